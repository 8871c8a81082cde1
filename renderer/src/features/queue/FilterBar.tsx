import { useTranslation } from 'react-i18next';
import { METHODS, TASK_STATUSES, type Method, type TaskStatus } from '../../../../common/domain/model';
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

function isStatus(value: string): value is TaskStatus {
  return (TASK_STATUSES as readonly string[]).includes(value);
}
function isMethod(value: string): value is Method {
  return (METHODS as readonly string[]).includes(value);
}

export function FilterBar() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const quick = useAppSelector((s) => s.queue.quick);
  const status = useAppSelector((s) => s.queue.status);
  const method = useAppSelector((s) => s.queue.method);
  const sort = useAppSelector((s) => s.queue.sort);
  const counts = useAppSelector((s) => s.queue.counts);

  const withCount = (label: string, count: number | undefined) =>
    count === undefined ? label : `${label} (${count})`;

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
        <label className="select-wrap">
          <span className="visually-hidden">{t('queue.statusLabel')}</span>
          <select
            className="desk-select"
            data-testid="status-filter"
            value={status ?? ''}
            onChange={(e) => dispatch(statusFilterSet(isStatus(e.target.value) ? e.target.value : null))}
          >
            <option value="">{t('queue.allStatuses')}</option>
            {TASK_STATUSES.map((s) => (
              <option key={s} value={s}>
                {withCount(t(`status.${s}`), counts ? (counts.byStatus[s] ?? 0) : undefined)}
              </option>
            ))}
          </select>
        </label>
        <label className="select-wrap">
          <span className="visually-hidden">{t('queue.methodLabel')}</span>
          <select
            className="desk-select"
            data-testid="method-filter"
            value={method ?? ''}
            onChange={(e) => dispatch(methodFilterSet(isMethod(e.target.value) ? e.target.value : null))}
          >
            <option value="">{t('queue.allMethods')}</option>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {withCount(t(`method.${m}`), counts ? (counts.byMethod[m] ?? 0) : undefined)}
              </option>
            ))}
          </select>
        </label>
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
