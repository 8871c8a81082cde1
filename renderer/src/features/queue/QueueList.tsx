import { memo, useEffect, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { registerList } from '../../shared/focus';
import { filtersCleared, PAGE_SIZE, pageOffsetOf, selected } from './queueSlice';
import { fetchPage } from './thunks';
import { QueueRowView } from './QueueRowView';
import { openTask } from '../task/thunks';

export const ROW_HEIGHT = 70;

interface RowProps {
  index: number;
  start: number;
  t: TFunction;
  today: string | undefined;
  zone: string | undefined;
}

const Row = memo(function Row({ index, start, t, today, zone }: RowProps) {
  return (
    <div className="queue-row-slot" style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}>
      <QueueRowView index={index} t={t} today={today} zone={zone} />
    </div>
  );
});

export function QueueList() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const total = useAppSelector((s) => s.queue.total);
  const gen = useAppSelector((s) => s.queue.gen);
  const query = useAppSelector((s) => s.queue.query);
  const selectedIndex = useAppSelector((s) => s.queue.selected);
  const hasFilters = useAppSelector(
    (s) =>
      s.queue.quick !== 'all' || s.queue.status !== null || s.queue.method !== null || s.queue.search !== '',
  );
  const today = useAppSelector((s) => s.session.info?.today);
  const zone = useAppSelector((s) => s.session.info?.timeZone);
  const scrollRef = useRef<HTMLDivElement | null>(null);

  const count = total ?? 0;
  // TanStack Virtual hands back new functions each render; nothing here relies on memoizing them.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
  });
  const items = virtualizer.getVirtualItems();
  const firstPage = pageOffsetOf(items[0]?.index ?? 0);
  const lastPage = pageOffsetOf(items[items.length - 1]?.index ?? 0);

  // Ask only for the pages in view; the thunk skips cached and in-flight ones.
  useEffect(() => {
    if (count === 0) {
      void dispatch(fetchPage(0));
      return;
    }
    for (let offset = firstPage; offset <= lastPage; offset += PAGE_SIZE) void dispatch(fetchPage(offset));
  }, [firstPage, lastPage, gen, count, dispatch]);

  // A new query starts at the top.
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [query, virtualizer]);

  // Keep the selection in view when it moves by keyboard.
  useEffect(() => {
    if (count > 0 && selectedIndex < count) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, count, virtualizer]);

  const onClick = (event: React.MouseEvent<HTMLDivElement>) => {
    const rowEl = (event.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!rowEl) return;
    const index = Number(rowEl.dataset.index);
    dispatch(selected(index));
    const id = Number(rowEl.dataset.taskId);
    if (id > 0) void dispatch(openTask(id));
  };

  return (
    <div className="queue-list-wrap">
      <div className="queue-meta">
        <span data-testid="queue-total" className="queue-total">
          {total === null ? t('common.loading') : t('queue.total', { count: total })}
        </span>
        {total ? (
          <span className="queue-position">
            {selectedIndex + 1} / {total}
          </span>
        ) : null}
      </div>
      <div
        ref={(el) => {
          scrollRef.current = el;
          registerList(el);
        }}
        className="queue-list"
        tabIndex={0}
        role="listbox"
        aria-label={t('queue.listLabel')}
        aria-activedescendant={count > 0 ? `queue-row-${selectedIndex}` : undefined}
        data-queue-list="true"
        onClick={onClick}
      >
        {total === 0 ? (
          <div className="queue-empty">
            <div>{t('queue.noMatch')}</div>
            {hasFilters ? (
              <Button type="link" onClick={() => dispatch(filtersCleared())}>
                {t('queue.clearFilters')}
              </Button>
            ) : null}
          </div>
        ) : (
          <div className="queue-list-inner" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => (
              <Row key={item.key} index={item.index} start={item.start} t={t} today={today} zone={zone} />
            ))}
          </div>
        )}
      </div>
    </div>
  );
}
