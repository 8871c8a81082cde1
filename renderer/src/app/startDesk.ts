import type { AppThunk } from './store';
import { loadSession } from '../features/session/thunks';
import { fetchCounts, fetchPage } from '../features/queue/thunks';

/**
 * The desk's first calls, sent as the page boots — before React's first render — and side by
 * side: the socket opens, and the session, the counts and the first queue page are answered
 * while the page renders, instead of one after another as each view mounts and asks.
 */
export const startDesk = (): AppThunk<void> => (dispatch) => {
  void dispatch(loadSession());
  void dispatch(fetchCounts());
  void dispatch(fetchPage(0));
};
