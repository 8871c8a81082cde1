import type { AppThunk } from '../../app/store';
import { callDesk } from '../../shared/call';
import { notifyError } from '../../shared/notify';
import { markStartup } from '../../shared/startupMarks';
import {
  countsLoaded,
  invalidated,
  PAGE_SIZE,
  pageFailed,
  pageLoaded,
  pageRequested,
  queueFilterOf,
} from './queueSlice';

let lastPageError = 0;

/** Loads one page of the queue unless it is cached for the current generation or on its way. */
export const fetchPage =
  (offset: number): AppThunk =>
  async (dispatch, getState) => {
    const queue = getState().queue;
    const gen = queue.gen;
    if (queue.inflight[offset] === gen) return;
    if (queue.pages[offset]?.gen === gen) return;
    dispatch(pageRequested({ offset, gen }));
    const answer = await callDesk((desk) =>
      desk.queuePage({
        filter: queueFilterOf(queue),
        sort: queue.sort,
        search: queue.search,
        offset,
        limit: PAGE_SIZE,
      }),
    );
    if (!answer.ok) {
      dispatch(pageFailed({ offset, gen }));
      // Scrolling can ask for several pages at once: one toast is enough.
      if (Date.now() - lastPageError > 3000) {
        lastPageError = Date.now();
        notifyError(answer.error);
      }
      return;
    }
    if (offset === 0) markStartup('firstPage');
    dispatch(pageLoaded({ offset, gen, rows: answer.value.rows, total: answer.value.total }));
  };

let countsSeq = 0;
/** The search the latest counts were asked for; null after a failure. */
let countsAskedFor: string | null = null;

export const fetchCounts = (): AppThunk => async (dispatch, getState) => {
  const seq = ++countsSeq;
  const search = getState().queue.search;
  countsAskedFor = search;
  const answer = await callDesk((desk) => desk.queueCounts({ search }));
  markStartup('counts');
  if (seq !== countsSeq) return;
  if (answer.ok) dispatch(countsLoaded(answer.value));
  else {
    countsAskedFor = null;
    notifyError(answer.error);
  }
};

/** The counts for the current search, unless they are already asked for (at start-up). */
export const ensureCounts = (): AppThunk<void> => (dispatch, getState) => {
  if (countsAskedFor !== getState().queue.search) void dispatch(fetchCounts());
};

/** After a change (event, outcome, import): refetch what is in view and the counts. */
export const refreshQueue = (): AppThunk<void> => (dispatch) => {
  dispatch(invalidated());
  void dispatch(fetchCounts());
};
