import { useEffect, useState } from 'react';
import { Input, type InputRef } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { registerSearch } from '../../shared/focus';
import { IconSearch } from '../../shared/icons';
import { searchSet } from './queueSlice';
import { ensureCounts } from './thunks';
import { FilterBar } from './FilterBar';
import { QueueList } from './QueueList';

const SEARCH_DEBOUNCE_MS = 150;

function SearchBox() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const applied = useAppSelector((s) => s.queue.search);
  const [value, setValue] = useState(applied);

  // Filters cleared elsewhere: follow the store (adjusting state during render, as React advises).
  const [seenApplied, setSeenApplied] = useState(applied);
  if (applied !== seenApplied) {
    setSeenApplied(applied);
    if (applied === '') setValue('');
  }

  useEffect(() => {
    const timer = window.setTimeout(() => dispatch(searchSet(value.trim())), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [value, dispatch]);

  return (
    <div className="queue-search">
      <Input
        ref={(ref: InputRef | null) => registerSearch(ref?.input ?? null)}
        data-testid="queue-search"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        placeholder={t('queue.searchPlaceholder')}
        title={t('queue.searchHint')}
        aria-label={t('queue.searchPlaceholder')}
        prefix={<IconSearch />}
        suffix={<kbd className="search-kbd">/</kbd>}
        allowClear
        maxLength={100}
        autoComplete="off"
        spellCheck={false}
        size="middle"
      />
    </div>
  );
}

export function QueuePane() {
  const dispatch = useAppDispatch();
  const search = useAppSelector((s) => s.queue.search);
  useEffect(() => {
    dispatch(ensureCounts());
  }, [search, dispatch]);
  return (
    <aside className="queue-pane">
      <SearchBox />
      <FilterBar />
      <QueueList />
    </aside>
  );
}
