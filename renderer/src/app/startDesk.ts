import type { AppThunk } from './store';
import { loadSession } from '../features/session/thunks';
import { loadHubSession } from '../features/hub/thunks';
import { fetchCounts, fetchPage } from '../features/queue/thunks';

/** How long the first render waits for the first answers before it shows the loading state. */
const FIRST_RENDER_WAIT_MS = 250;

/**
 * The desk's first calls, sent as the page boots and side by side: the session, the hub session, the
 * counts and the first queue page. Resolves when all are answered, or after a short wait at most —
 * the first render waits for it, so it draws the queue at once instead of a spinner first and
 * then the queue again (two of antd's costly first renders instead of one).
 */
export const startDesk = (): AppThunk<Promise<void>> => async (dispatch) => {
  const answered = Promise.all([
    dispatch(loadSession()),
    dispatch(loadHubSession()),
    dispatch(fetchCounts()),
    dispatch(fetchPage(0)),
  ]).then(() => undefined);
  await Promise.race([answered, new Promise((resolve) => window.setTimeout(resolve, FIRST_RENDER_WAIT_MS))]);
};
