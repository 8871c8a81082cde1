import { useEffect, useState } from 'react';
import { Button, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { IconPhone } from '../../shared/icons';
import { callDismissed, keypadToggled, type PhoneCallView } from './phoneSlice';
import { hangUpCall, sendDigits, toggleHold, toggleMute } from './phoneController';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'];

function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  return `${String(minutes).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(timer);
  }, [active]);
  return now;
}

/** How the call ended, in the desk's language: the SIP code decides, the reason text is a fallback. */
function endOutcomeKey(call: PhoneCallView): string | null {
  const code = call.sipStatus;
  if (code === 200) return call.endReason === 'media did not connect' ? 'noMedia' : null;
  if (code === 486 || code === 600) return 'busy';
  if (code === 603) return 'declined';
  if (code === 480 || code === 408) return 'noAnswer';
  if (code === 404 || code === 604) return 'notExist';
  if (code === 487) return call.hungUpBy === 'system' ? 'noAnswer' : 'cancelled';
  return code === null ? 'failed' : null;
}

function stateLabel(call: PhoneCallView): string {
  if (call.phase === 'connected' && call.held) return 'held';
  return call.phase;
}

function Keypad() {
  const dispatch = useAppDispatch();
  const [typed, setTyped] = useState('');
  return (
    <div className="dtmf-keypad" data-testid="dtmf-keypad">
      <div className="dtmf-typed">{typed || '\u00a0'}</div>
      <div className="dtmf-grid">
        {KEYS.map((key) => (
          <Button
            key={key}
            data-testid={`dtmf-${key === '*' ? 'star' : key === '#' ? 'hash' : key}`}
            onClick={() => {
              setTyped((current) => (current + key).slice(-16));
              void dispatch(sendDigits(key));
            }}
          >
            {key}
          </Button>
        ))}
      </div>
    </div>
  );
}

/** The call in progress: state, timer, mute, hold/resume, DTMF keypad, hang up. */
export function CallPanel() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const call = useAppSelector((s) => s.phone.call);
  const keypadOpen = useAppSelector((s) => s.phone.keypadOpen);
  const now = useNow(call !== null && call.phase !== 'ended');
  if (!call) return null;

  const connected = call.phase === 'connected';
  const ended = call.phase === 'ended';
  const timer = call.connectedAt ? formatDuration((call.endedAt ?? now) - call.connectedAt) : '00:00';
  const state = stateLabel(call);
  const outcomeKey = endOutcomeKey(call);
  const reason = outcomeKey ? t(`phone.call.outcome.${outcomeKey}`) : call.endReason;
  // A call answered and hung up needs no reason beyond who hung up.
  const endText =
    call.sipStatus === 200 && !outcomeKey
      ? null
      : call.sipStatus !== null
        ? t('phone.call.endedReason', { reason, code: call.sipStatus })
        : reason;
  const recordingText = {
    off: null,
    recording: t('phone.call.recording'),
    saving: t('phone.call.recordingSaving'),
    saved: t('phone.call.recordingSaved'),
    failed: t('phone.call.recordingFailed'),
  }[call.recording];

  return (
    <section
      className={`call-panel call-${state}`}
      data-testid="call-panel"
      data-phase={call.phase}
      aria-live="polite"
    >
      <div className="call-head">
        <span className="call-icon">
          <IconPhone />
        </span>
        <div className="call-who">
          <div className="call-party" data-testid="call-party">
            {call.partyName ?? t('phone.call.unknownParty')}
          </div>
          <div className="call-number muted small">
            <Tag variant="outlined">{t(`phone.call.${call.direction}`)}</Tag>
            {call.numberMasked}
          </div>
        </div>
        <div className="call-timer" data-testid="call-timer">
          {timer}
        </div>
      </div>
      <div className="call-state" data-testid="call-state">
        <span className={`call-state-dot dot-${state}`} aria-hidden />
        {t(`phone.call.${state}`)}
        {ended && call.endReason ? (
          <span className="call-end-reason" data-testid="call-end-reason">
            {[endText, call.hungUpBy ? t(`phone.call.hungUpBy.${call.hungUpBy}`) : null]
              .filter(Boolean)
              .map((part) => ` · ${part}`)
              .join('')}
          </span>
        ) : null}
      </div>
      {recordingText ? (
        <div
          className={`call-recording rec-${call.recording}`}
          data-testid="call-recording"
          data-state={call.recording}
        >
          <span className="rec-dot" aria-hidden /> {recordingText}
          {call.chunksWaiting > 0 ? (
            <span className="muted small">
              {' '}
              · {t('phone.call.chunksWaiting', { count: call.chunksWaiting })}
            </span>
          ) : null}
        </div>
      ) : null}
      {keypadOpen && connected ? <Keypad /> : null}
      <div className="call-controls">
        {ended ? (
          <Button data-testid="call-dismiss" onClick={() => dispatch(callDismissed())}>
            {t('phone.call.dismiss')}
          </Button>
        ) : (
          <>
            <Button
              data-testid="call-mute"
              disabled={!connected}
              type={call.muted ? 'primary' : 'default'}
              onClick={() => dispatch(toggleMute())}
            >
              {call.muted ? t('phone.call.unmute') : t('phone.call.mute')}
            </Button>
            <Button
              data-testid="call-hold"
              disabled={!connected}
              type={call.held ? 'primary' : 'default'}
              onClick={() => void dispatch(toggleHold())}
            >
              {call.held ? t('phone.call.resume') : t('phone.call.hold')}
            </Button>
            <Button
              data-testid="call-keypad"
              disabled={!connected}
              type={keypadOpen ? 'primary' : 'default'}
              onClick={() => dispatch(keypadToggled())}
            >
              {t('phone.call.keypad')}
            </Button>
            <Button
              danger
              type="primary"
              data-testid="call-hangup"
              onClick={() => void dispatch(hangUpCall())}
            >
              {t('phone.call.hangUp')}
            </Button>
          </>
        )}
      </div>
    </section>
  );
}
