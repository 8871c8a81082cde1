import { useTranslation } from 'react-i18next';
import type { CallFacts } from '../../../../common/contract';
import { maskDialString } from '../../../../common/domain/masking';
import { formatTimeOfDay } from '../../shared/time';

function seconds(fromIso: string | null, toIso: string | null): string | null {
  if (!fromIso || !toIso) return null;
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  return Number.isFinite(ms) && ms >= 0 ? (ms / 1000).toFixed(1) : null;
}

/** What SIP and WebRTC said about a softphone call: status, who hung up, times, media quality. */
export function CallFactsView({ call, zone }: { call: CallFacts; zone: string | undefined }) {
  const { t } = useTranslation();
  // The attempt's line already shows the date; within the call the second matters.
  const time = (iso: string | null) => (iso ? formatTimeOfDay(iso, zone) : t('common.none'));
  const status =
    call.sipStatus === null
      ? t('timeline.call.noStatus')
      : `${call.sipStatus}${call.reason ? ` ${call.reason}` : ''}`;
  const connected = call.mediaConnectedAt !== null;
  const talk = seconds(call.mediaConnectedAt, call.endedAt);
  const setup = seconds(call.inviteAt, call.mediaConnectedAt);
  // [label, value, wide]: long values (times with durations, media figures, the Call-ID) span the row.
  const rows: Array<[string, string, boolean?]> = [
    [t('timeline.call.direction'), t(`timeline.call.directions.${call.direction}`)],
    [t('timeline.call.status'), status],
    [
      t('timeline.call.hungUpBy'),
      call.hungUpBy ? t(`timeline.call.hungUpByValues.${call.hungUpBy}`) : t('common.none'),
    ],
    [t('timeline.call.dialled'), call.dialled ? maskDialString(call.dialled) : t('common.none')],
    [t('timeline.call.inviteAt'), time(call.inviteAt)],
    [t('timeline.call.ringingAt'), time(call.ringingAt)],
    [t('timeline.call.answeredAt'), time(call.answeredAt)],
    [
      t('timeline.call.mediaConnectedAt'),
      connected
        ? `${time(call.mediaConnectedAt)}${setup ? ` (+${setup} s)` : ''}`
        : t('timeline.call.noMedia'),
    ],
    [
      t('timeline.call.endedAt'),
      `${time(call.endedAt)}${talk ? ` · ${t('timeline.call.talk', { s: talk })}` : ''}`,
    ],
  ];
  if (call.stats)
    rows.push([
      t('timeline.call.media'),
      t('timeline.call.stats', {
        lost: call.stats.packetsLost,
        received: call.stats.packetsReceived,
        jitter: call.stats.jitterMs.toFixed(1),
        rtt: call.stats.roundTripMs === null ? '–' : call.stats.roundTripMs.toFixed(0),
      }),
      true,
    ]);
  if (call.sipCallId) rows.push([t('timeline.call.sipCallId'), call.sipCallId, true]);
  return (
    <dl className="call-facts" data-testid="call-facts" data-connected={connected}>
      {rows.map(([label, value, wide]) => (
        <div className={wide ? 'call-fact wide' : 'call-fact'} key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
