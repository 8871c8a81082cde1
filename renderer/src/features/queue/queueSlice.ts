import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { QueueCounts, QueueFilter, QueueRow } from '../../../../common/contract';
import type { Method, TaskStatus } from '../../../../common/domain/model';
import type { RootState } from '../../app/store';

export const PAGE_SIZE = 50;
/** Pages kept in the cache; the ones farthest from where the specialist is looking go first. */
const MAX_CACHED_PAGES = 80;

export type QuickFilter = 'all' | 'today' | 'overdue' | 'callbacks';
export type SortKey = 'deadline' | 'priority';

interface PageEntry {
  /** The cache generation the rows were loaded in; older ones are shown until refreshed. */
  gen: number;
  rows: QueueRow[];
}

export interface QueueState {
  quick: QuickFilter;
  status: TaskStatus | null;
  method: Method | null;
  sort: SortKey;
  search: string;
  /** Bumps when filter, sort or search change: the list scrolls back to the top. */
  query: number;
  /** Bumps on every invalidation (query change, queueChanged event, after an outcome). */
  gen: number;
  total: number | null;
  pages: Record<number, PageEntry>;
  inflight: Record<number, number>;
  counts: QueueCounts | null;
  selected: number;
  failed: boolean;
}

const initialState: QueueState = {
  quick: 'all',
  status: null,
  method: null,
  sort: 'deadline',
  search: '',
  query: 0,
  gen: 0,
  total: null,
  pages: {},
  inflight: {},
  counts: null,
  selected: 0,
  failed: false,
};

function newQuery(state: QueueState): void {
  state.query += 1;
  state.gen += 1;
  state.pages = {};
  state.inflight = {};
  state.selected = 0;
  state.failed = false;
}

const slice = createSlice({
  name: 'queue',
  initialState,
  reducers: {
    quickFilterSet(state, action: PayloadAction<QuickFilter>) {
      if (state.quick === action.payload) return;
      state.quick = action.payload;
      newQuery(state);
    },
    statusFilterSet(state, action: PayloadAction<TaskStatus | null>) {
      if (state.status === action.payload) return;
      state.status = action.payload;
      newQuery(state);
    },
    methodFilterSet(state, action: PayloadAction<Method | null>) {
      if (state.method === action.payload) return;
      state.method = action.payload;
      newQuery(state);
    },
    sortSet(state, action: PayloadAction<SortKey>) {
      if (state.sort === action.payload) return;
      state.sort = action.payload;
      newQuery(state);
    },
    searchSet(state, action: PayloadAction<string>) {
      if (state.search === action.payload) return;
      state.search = action.payload;
      newQuery(state);
    },
    filtersCleared(state) {
      state.quick = 'all';
      state.status = null;
      state.method = null;
      state.search = '';
      newQuery(state);
    },
    /** The data changed underneath: keep showing the cached rows, but refetch what is in view. */
    invalidated(state) {
      state.gen += 1;
      state.inflight = {};
      state.failed = false;
    },
    pageRequested(state, action: PayloadAction<{ offset: number; gen: number }>) {
      state.inflight[action.payload.offset] = action.payload.gen;
    },
    pageLoaded(
      state,
      action: PayloadAction<{ offset: number; gen: number; rows: QueueRow[]; total: number }>,
    ) {
      const { offset, gen, rows, total } = action.payload;
      if (gen !== state.gen) return;
      delete state.inflight[offset];
      state.pages[offset] = { gen, rows };
      const cached = Object.keys(state.pages).map(Number);
      if (cached.length > MAX_CACHED_PAGES) {
        cached.sort((a, b) => Math.abs(b - offset) - Math.abs(a - offset));
        for (const key of cached.slice(0, cached.length - MAX_CACHED_PAGES)) delete state.pages[key];
      }
      if (state.total !== total) {
        state.total = total;
        // Pages past the new end are stale for good.
        for (const key of Object.keys(state.pages))
          if (Number(key) >= total && Number(key) > 0) delete state.pages[Number(key)];
      }
      state.failed = false;
      if (state.selected >= total) state.selected = Math.max(0, total - 1);
    },
    pageFailed(state, action: PayloadAction<{ offset: number; gen: number }>) {
      if (action.payload.gen !== state.gen) return;
      delete state.inflight[action.payload.offset];
      state.failed = true;
    },
    countsLoaded(state, action: PayloadAction<QueueCounts>) {
      state.counts = action.payload;
    },
    selected(state, action: PayloadAction<number>) {
      const max = Math.max(0, (state.total ?? 0) - 1);
      state.selected = Math.min(max, Math.max(0, action.payload));
    },
    selectionMoved(state, action: PayloadAction<number>) {
      const max = Math.max(0, (state.total ?? 0) - 1);
      state.selected = Math.min(max, Math.max(0, state.selected + action.payload));
    },
  },
});

export const {
  quickFilterSet,
  statusFilterSet,
  methodFilterSet,
  sortSet,
  searchSet,
  filtersCleared,
  invalidated,
  pageRequested,
  pageLoaded,
  pageFailed,
  countsLoaded,
  selected,
  selectionMoved,
} = slice.actions;
export const queueReducer = slice.reducer;

export function pageOffsetOf(index: number): number {
  return Math.floor(index / PAGE_SIZE) * PAGE_SIZE;
}

export function queueFilterOf(state: QueueState): QueueFilter {
  const filter: QueueFilter = {};
  if (state.status) filter.status = state.status;
  if (state.method) filter.method = state.method;
  if (state.quick !== 'all') filter.due = state.quick;
  return filter;
}

export function selectRowAt(state: RootState, index: number): QueueRow | undefined {
  const page = state.queue.pages[pageOffsetOf(index)];
  return page?.rows[index - pageOffsetOf(index)];
}
