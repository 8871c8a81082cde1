import { useTranslation } from 'react-i18next';
import { METHODS, TASK_STATUSES, isOneOf } from '../../../../common/domain/model';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import {
  methodFilterSet,
  quickFilterSet,
  sortSet,
  statusFilterSet,
  type QuickFilter,
  type SortKey,
} from './queueSlice';

const QUICK: Array<{
  key: QuickFilter;
  testId: string;
  label: string;
  count: 'all' | 'dueToday' | 'overdue' | 'callbacksDue';
}> = [
  { key: 'all', testId: 'filter-all', label: 'queue.quickAll', count: 'all' },
  { key: 'today', testId: 'filter-due-today', label: 'queue.quickDueToday', count: 'dueToday' },
  { key: 'overdue', testId: 'filter-overdue', label: 'queue.quickOverdue', count: 'overdue' },
  { key: 'callbacks', testId: 'filter-callbacks', label: 'queue.quickCallbacks', count: 'callbacksDue' },
];

const withCount = (label: string, count: number | undefined) =>
  count === undefined ? label : `${label} (${count})`;

/** A native select over an enumeration, each option with its count; '' means no filter. */
function CountedSelect<T extends string>(props: {
  testId: string;
  label: string;
  allLabel: string;
  values: readonly T[];
  value: T | null;
  optionLabel: (value: T) => string;
  count: (value: T) => number | undefined;
  onChange: (value: T | null) => void;
}) {
  return (
    <label className="select-wrap">
      <span className="visually-hidden">{props.label}</span>
      <select
        className="desk-select"
        data-testid={props.testId}
        value={props.value ?? ''}
        onChange={(e) => props.onChange(isOneOf(props.values, e.target.value) ? e.target.value : null)}
      >
        <option value="">{props.allLabel}</option>
        {props.values.map((v) => (
          <option key={v} value={v}>
            {withCount(props.optionLabel(v), props.count(v))}
          </option>
        ))}
      </select>
    </label>
  );
}

export function FilterBar() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const quick = useAppSelector((s) => s.queue.quick);
  const status = useAppSelector((s) => s.queue.status);
  const method = useAppSelector((s) => s.queue.method);
  const sort = useAppSelector((s) => s.queue.sort);
  const counts = useAppSelector((s) => s.queue.counts);

  return (
    <div className="filter-bar">
      <div className="quick-filters" role="radiogroup" aria-label={t('queue.listLabel')}>
        {QUICK.map((q) => (
          <button
            key={q.key}
            type="button"
            role="radio"
            aria-checked={quick === q.key}
            data-testid={q.testId}
            className={`quick-filter${quick === q.key ? ' active' : ''}${q.key === 'overdue' ? ' danger' : ''}`}
            onClick={() => dispatch(quickFilterSet(q.key))}
          >
            <span className="quick-label">{t(q.label)}</span>
            <span className="quick-count">{counts ? counts[q.count] : '·'}</span>
          </button>
        ))}
      </div>
      <div className="select-filters">
        <CountedSelect
          testId="status-filter"
          label={t('queue.statusLabel')}
          allLabel={t('queue.allStatuses')}
          values={TASK_STATUSES}
          value={status}
          optionLabel={(s) => t(`status.${s}`)}
          count={(s) => (counts ? (counts.byStatus[s] ?? 0) : undefined)}
          onChange={(s) => dispatch(statusFilterSet(s))}
        />
        <CountedSelect
          testId="method-filter"
          label={t('queue.methodLabel')}
          allLabel={t('queue.allMethods')}
          values={METHODS}
          value={method}
          optionLabel={(m) => t(`method.${m}`)}
          count={(m) => (counts ? (counts.byMethod[m] ?? 0) : undefined)}
          onChange={(m) => dispatch(methodFilterSet(m))}
        />
        <label className="select-wrap">
          <span className="visually-hidden">{t('queue.sortLabel')}</span>
          <select
            className="desk-select"
            data-testid="sort-select"
            value={sort}
            onChange={(e) =>
              dispatch(sortSet(e.target.value === 'priority' ? 'priority' : ('deadline' satisfies SortKey)))
            }
          >
            <option value="deadline">{t('queue.sortDeadline')}</option>
            <option value="priority">{t('queue.sortPriority')}</option>
          </select>
        </label>
      </div>
    </div>
  );
}
