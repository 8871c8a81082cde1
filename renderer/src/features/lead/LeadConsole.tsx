import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Input, Modal, Segmented, Select, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeskValue } from '../../../../common/contract';
import { LEAD_QUEUE_FILTERS, type LeadQueueFilter, type LeadQueueRow } from '../../../../common/sync/hubApi';
import type { Priority } from '../../../../common/domain/model';
import { desk } from '../../bridge';
import { callDesk } from '../../shared/call';
import { notifyError, notifySuccess } from '../../shared/notify';
import { STATUS_COLOR } from '../../shared/statusColors';
import { formatDateTime } from '../../shared/time';
import { useAppSelector } from '../../app/hooks';

type Move = { kind: 'reassign' } | { kind: 'pool' } | { kind: 'priority' } | { kind: 'auto' };
type QueuePicture = DeskValue<'leadQueue'>;
type LoadPicture = DeskValue<'leadLoad'>;
const PAGE = 50;
/** The hub's default N of "stuck" (no attempt for N days). */
const STUCK_DAYS = 3;
const STUCK_CHOICES = [1, 2, 3, 5, 7, 14, 30];

/**
 * The lead console: the team's tasks across all specialists, with the queue's filters and search;
 * moves (reassign, return to the pool, priority) on one task or a selection, each with a reason;
 * each specialist's load today. The hub answers through main; offline the console shows the
 * last synced picture and offers no moves.
 */
export function LeadConsole() {
  const { t } = useTranslation();
  const zone = useAppSelector((s) => s.session.info?.timeZone);
  const [filter, setFilter] = useState<LeadQueueFilter>('all');
  const [search, setSearch] = useState('');
  const [stuckDays, setStuckDays] = useState(STUCK_DAYS);
  const [offset, setOffset] = useState(0);
  const [queue, setQueue] = useState<QueuePicture | null>(null);
  const [load, setLoad] = useState<LoadPicture | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [move, setMove] = useState<Move | null>(null);
  const [reason, setReason] = useState('');
  const [assignee, setAssignee] = useState<string | null>(null);
  const [priority, setPriority] = useState<Priority>('urgent');
  const [busy, setBusy] = useState(false);

  const fetchPictures = useCallback(
    () =>
      Promise.all([
        callDesk((api) =>
          api.leadQueue({
            filter,
            search,
            offset,
            limit: PAGE,
            ...(filter === 'stuck' ? { stuckDays } : {}),
          }),
        ),
        callDesk((api) => api.leadLoad({})),
      ]),
    [filter, search, offset, stuckDays],
  );
  const show = useCallback(([q, l]: Awaited<ReturnType<typeof fetchPictures>>) => {
    if (q.ok) setQueue(q.value);
    else notifyError(q.error);
    if (l.ok) setLoad(l.value);
  }, []);
  const refresh = useCallback(() => void fetchPictures().then(show), [fetchPictures, show]);

  useEffect(() => {
    let current = true;
    const run = () =>
      void fetchPictures().then((answers) => {
        if (current) show(answers);
      });
    run();
    const off = desk().on('queueChanged', run);
    return () => {
      current = false;
      off();
    };
  }, [fetchPictures, show]);

  const live = queue?.live ?? false;
  const rows = queue?.value?.rows ?? [];
  const specialists = useMemo(() => load?.value?.specialists ?? [], [load]);

  const submit = async () => {
    if (!move || reason.trim() === '') return;
    setBusy(true);
    const answer =
      move.kind === 'priority'
        ? await callDesk((api) => api.leadPriority({ taskIds: selected, priority, reason }))
        : move.kind === 'auto'
          ? await callDesk((api) =>
              api.leadAutoAssign(selected.length > 0 ? { taskIds: selected, reason } : { reason }),
            )
          : await callDesk((api) =>
              api.leadReassign({
                taskIds: selected,
                assigneeId: move.kind === 'pool' ? null : assignee,
                reason,
              }),
            );
    setBusy(false);
    if (!answer.ok) {
      notifyError(answer.error);
      return;
    }
    notifySuccess(t('lead.done', { updated: answer.value.updated, skipped: answer.value.skipped.length }));
    setMove(null);
    setReason('');
    setSelected([]);
    refresh();
  };

  const columns = [
    { title: t('lead.columns.caseNumber'), dataIndex: 'caseNumber', key: 'caseNumber', width: 210 },
    { title: t('lead.columns.party'), dataIndex: 'partyName', key: 'partyName', width: 160 },
    {
      title: t('lead.columns.status'),
      key: 'status',
      width: 150,
      render: (_: unknown, row: LeadQueueRow) => (
        <>
          <Tag color={STATUS_COLOR[row.status]} variant="filled">
            {t(`status.${row.status}`)}
          </Tag>
          {row.completedAfterReassignment ? <Tag color="orange">{t('sync.flagged')}</Tag> : null}
        </>
      ),
    },
    {
      title: t('lead.columns.priority'),
      key: 'priority',
      width: 80,
      render: (_: unknown, row: LeadQueueRow) =>
        row.priority === 'urgent' ? <Tag color="red">{t('priority.urgent')}</Tag> : t('priority.normal'),
    },
    {
      title: t('lead.columns.deadline'),
      dataIndex: 'deadline',
      key: 'deadline',
      width: 110,
      render: (v: string | null) => v ?? t('common.none'),
    },
    {
      title: t('lead.columns.assignee'),
      key: 'assignee',
      width: 120,
      render: (_: unknown, row: LeadQueueRow) =>
        row.assignee?.name ?? <span className="muted">{t('lead.pool')}</span>,
    },
    { title: t('lead.columns.attempts'), dataIndex: 'attempts', key: 'attempts', width: 80 },
  ];

  return (
    <section className="lead-console" data-testid="lead-console" aria-labelledby="lead-title">
      <div className="lead-main">
        <div className="lead-toolbar">
          <h2 id="lead-title">{t('lead.title')}</h2>
          <Input.Search
            allowClear
            className="lead-search"
            placeholder={t('lead.search')}
            onSearch={(value) => {
              setOffset(0);
              setSearch(value.trim());
            }}
            data-testid="lead-search"
          />
        </div>
        <Segmented
          className="lead-filters"
          value={filter}
          onChange={(value) => {
            setOffset(0);
            setFilter(value as LeadQueueFilter);
          }}
          options={LEAD_QUEUE_FILTERS.map((f) => ({ value: f, label: t(`lead.filters.${f}`) }))}
          data-testid="lead-filters"
        />
        {filter === 'stuck' ? (
          <div className="lead-stuck-days">
            <span className="muted">{t('lead.stuckDaysBefore')}</span>
            <Select
              size="small"
              className="lead-stuck-select"
              value={stuckDays}
              onChange={(value) => {
                setOffset(0);
                setStuckDays(value);
              }}
              options={STUCK_CHOICES.map((n) => ({ value: n, label: String(n) }))}
              aria-label={t('lead.stuckDaysLabel')}
              data-testid="lead-stuck-days"
            />
            <span className="muted">{t('lead.stuckDaysAfter')}</span>
          </div>
        ) : null}
        {queue && !live ? (
          <Alert
            type="warning"
            showIcon
            className="lead-offline"
            data-testid="lead-offline"
            title={
              queue.asOf
                ? t('lead.offline', { time: formatDateTime(queue.asOf, zone) })
                : t('lead.offlineNever')
            }
          />
        ) : null}
        <div className="lead-actions">
          <span className="muted">{t('lead.selected', { count: selected.length })}</span>
          <Button
            disabled={!live || selected.length === 0}
            onClick={() => setMove({ kind: 'reassign' })}
            data-testid="lead-reassign"
          >
            {t('lead.reassign')}
          </Button>
          <Button
            disabled={!live || selected.length === 0}
            onClick={() => setMove({ kind: 'pool' })}
            data-testid="lead-pool"
          >
            {t('lead.toPool')}
          </Button>
          <Button
            disabled={!live || selected.length === 0}
            onClick={() => setMove({ kind: 'priority' })}
            data-testid="lead-priority"
          >
            {t('lead.priority')}
          </Button>
          <Button disabled={!live} onClick={() => setMove({ kind: 'auto' })} data-testid="lead-auto-assign">
            {t('lead.autoAssign')}
          </Button>
          <span className="row-spacer" />
          <span className="muted">{t('lead.total', { count: queue?.value?.total ?? 0 })}</span>
        </div>
        <Table<LeadQueueRow>
          size="small"
          rowKey="id"
          dataSource={rows}
          columns={columns}
          rowSelection={
            live
              ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }
              : undefined
          }
          pagination={{
            current: offset / PAGE + 1,
            pageSize: PAGE,
            total: queue?.value?.total ?? 0,
            showSizeChanger: false,
            onChange: (page) => setOffset((page - 1) * PAGE),
          }}
          scroll={{ y: 'calc(100vh - 300px)' }}
          data-testid="lead-table"
        />
      </div>
      <aside className="lead-load" aria-label={t('lead.load')}>
        <h3>{t('lead.load')}</h3>
        <Table
          size="small"
          rowKey={(row) => row.user.id}
          pagination={false}
          dataSource={specialists}
          data-testid="lead-load"
          columns={[
            {
              title: t('lead.loadColumns.specialist'),
              key: 'name',
              render: (_: unknown, row) => row.user.name,
            },
            { title: t('lead.loadColumns.open'), dataIndex: 'openTasks', key: 'open' },
            { title: t('lead.loadColumns.attempts'), dataIndex: 'attemptsToday', key: 'attempts' },
            { title: t('lead.loadColumns.connects'), dataIndex: 'connectsToday', key: 'connects' },
            { title: t('lead.loadColumns.consents'), dataIndex: 'consentsToday', key: 'consents' },
            {
              title: t('lead.loadColumns.online'),
              key: 'online',
              render: (_: unknown, row) => (
                <Tag color={row.online ? 'green' : 'default'}>
                  {row.online ? t('lead.yes') : t('lead.no')}
                </Tag>
              ),
            },
          ]}
        />
      </aside>
      <Modal
        open={move !== null}
        title={
          move
            ? t(
                move.kind === 'reassign'
                  ? 'lead.reassign'
                  : move.kind === 'pool'
                    ? 'lead.toPool'
                    : move.kind === 'auto'
                      ? 'lead.autoAssign'
                      : 'lead.priority',
              )
            : ''
        }
        okText={t('lead.confirm')}
        cancelText={t('lead.cancel')}
        confirmLoading={busy}
        okButtonProps={{
          disabled: reason.trim() === '' || (move?.kind === 'reassign' && !assignee),
          'data-testid': 'lead-confirm',
        }}
        onOk={() => void submit()}
        onCancel={() => setMove(null)}
        destroyOnHidden
      >
        <p className="muted">
          {move?.kind === 'auto' && selected.length === 0
            ? t('lead.autoAssignPool')
            : t('lead.selected', { count: selected.length })}
        </p>
        {move?.kind === 'auto' ? <p className="muted">{t('lead.autoAssignHint')}</p> : null}
        {move?.kind === 'reassign' ? (
          <Select
            className="lead-field"
            placeholder={t('lead.assignee')}
            value={assignee}
            onChange={setAssignee}
            options={specialists.map((s) => ({ value: s.user.id, label: s.user.name }))}
            data-testid="lead-assignee"
          />
        ) : null}
        {move?.kind === 'priority' ? (
          <Select
            className="lead-field"
            value={priority}
            onChange={setPriority}
            options={(['urgent', 'normal'] as const).map((p) => ({ value: p, label: t(`priority.${p}`) }))}
          />
        ) : null}
        <Input.TextArea
          className="lead-field"
          placeholder={t('lead.reason')}
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          maxLength={500}
          autoSize={{ minRows: 2 }}
          data-testid="lead-reason"
        />
      </Modal>
    </section>
  );
}
