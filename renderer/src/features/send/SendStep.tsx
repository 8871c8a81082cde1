import { useState, type ReactNode } from 'react';
import { Alert, Button, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeskValue, TaskSending } from '../../../../common/contract';
import type { Channel } from '../../../../common/domain/legalEffect';
import { useAppSelector } from '../../app/hooks';
import { callDesk } from '../../shared/call';
import { notifyError, notifySuccess } from '../../shared/notify';

type Preview = DeskValue<'sendPreview'>['messages'][number];

/** One tickable line of the send step: a channel or a document. */
function SendOption({
  testId,
  checked,
  onToggle,
  children,
}: {
  testId: string;
  checked: boolean;
  onToggle: () => void;
  children: ReactNode;
}) {
  return (
    <label className="send-option">
      <input
        type="checkbox"
        className="desk-check"
        data-testid={testId}
        checked={checked}
        onChange={onToggle}
      />
      {children}
    </label>
  );
}

/**
 * The script's send step, after consent: the channels the party confirmed (masked), the documents
 * (all by default), the exact text per channel as the hub would send it, and Send. The send is
 * committed on this desk first; until the hub has it the step says it is not yet sent.
 */
export function SendStep({
  taskId,
  sending,
  checkCode,
}: {
  taskId: number;
  sending: TaskSending;
  /** The latest send's check code (the task view's, also shown in the script). */
  checkCode: string | null;
}) {
  const { t } = useTranslation();
  const zone = useAppSelector((s) => s.session.info?.timeZone);
  // What the specialist unticked: everything confirmed and every document is in by default.
  const [offChannels, setOffChannels] = useState<Channel[]>([]);
  const [offDocuments, setOffDocuments] = useState<string[]>([]);
  const [preview, setPreview] = useState<Preview[] | null>(null);
  const [busy, setBusy] = useState<'preview' | 'send' | null>(null);
  const channels = sending.channels.map((c) => c.channel).filter((c) => !offChannels.includes(c));
  const documents = sending.documents.map((d) => d.sha256).filter((d) => !offDocuments.includes(d));

  /** Ticks or unticks `item`; the preview no longer shows what would be sent. */
  const toggled =
    <T,>(off: T[], setOff: (next: T[]) => void, item: T) =>
    () => {
      setOff(off.includes(item) ? off.filter((x) => x !== item) : [...off, item]);
      setPreview(null);
    };
  const choice = { taskId, channels, documents };
  const ready = channels.length > 0 && documents.length > 0;

  async function showPreview() {
    setBusy('preview');
    const answer = await callDesk((desk) => desk.sendPreview(choice));
    setBusy(null);
    if (answer.ok) setPreview(answer.value.messages);
    else notifyError(answer.error, { zone });
  }

  async function send(only?: Channel) {
    setBusy('send');
    const answer = await callDesk((desk) =>
      desk.sendQueue({ ...choice, channels: only ? [only] : channels }),
    );
    setBusy(null);
    if (!answer.ok) {
      notifyError(answer.error, { zone, title: t('send.failedTitle') });
      return;
    }
    notifySuccess(t('send.queuedToast'));
    setPreview(null);
    // Main's sendsChanged (sent with the answer) has the step read again.
  }

  async function escalate() {
    const answer = await callDesk((desk) => desk.sendEscalatePostal({ taskId }));
    if (answer.ok) {
      notifySuccess(t('send.escalatedToast'));
    } else notifyError(answer.error, { zone });
  }

  const latest = sending.sends.at(-1);
  // Once a send is queued or with the hub, the choice is made: the step shows where it stands
  // (the next step after a failure offers its own buttons).
  const chosen = sending.sends.some((s) => s.state === 'queued' || s.state === 'accepted');

  return (
    <Card size="small" className="task-card send-card" title={t('send.title')} data-testid="send-step">
      {sending.consent?.waitingForRecording ? (
        <Alert type="info" showIcon className="send-note" title={t('send.consentSaving')} />
      ) : null}
      {latest?.state === 'queued' ? (
        <Alert
          type="warning"
          showIcon
          className="send-note"
          data-testid="send-waiting"
          title={t('send.waitingForHub')}
        />
      ) : null}
      {latest?.state === 'refused' ? (
        <Alert
          type="error"
          showIcon
          className="send-note"
          title={t('send.refusedByHub', { reason: latest.error ?? '' })}
        />
      ) : null}
      {checkCode ? (
        <div className="check-code" data-testid="send-check-code">
          <span className="field-label">{t('send.checkCode')}</span>
          <strong className="check-code-digits">{checkCode}</strong>
          <span className="muted small">{t('send.checkCodeHint')}</span>
        </div>
      ) : null}
      {sending.nextStep ? (
        <Alert
          type="error"
          showIcon
          className="send-note"
          data-testid="send-next-step"
          title={t('send.failedNext')}
          action={
            <span className="send-next-actions">
              {sending.nextStep.channel ? (
                <Button
                  size="small"
                  data-testid="send-next-channel"
                  onClick={() => void send(sending.nextStep!.channel!)}
                >
                  {t('send.sendBy', { channel: t(`send.channel.${sending.nextStep.channel}`) })}
                </Button>
              ) : null}
              {sending.nextStep.escalate ? (
                <Button size="small" danger data-testid="send-escalate" onClick={() => void escalate()}>
                  {t('send.escalatePostal')}
                </Button>
              ) : null}
            </span>
          }
        />
      ) : null}

      {chosen ? (
        <div className="muted small" data-testid="send-done">
          {t('send.sentSummary', {
            channels: (latest?.channels ?? [])
              .map((c) => t(`send.channel.${c}`))
              .join(t('send.listSeparator')),
            count: latest?.documents.length ?? 0,
          })}
        </div>
      ) : (
        <>
          <fieldset className="send-group">
            <legend className="field-label">{t('send.channels')}</legend>
            {sending.channels.map((c) => (
              <SendOption
                key={c.channel}
                testId={`send-channel-${c.channel}`}
                checked={channels.includes(c.channel)}
                onToggle={toggled(offChannels, setOffChannels, c.channel)}
              >
                <span>{t(`send.channel.${c.channel}`)}</span>
                <span className="masked">{c.addressMasked}</span>
              </SendOption>
            ))}
          </fieldset>
          <fieldset className="send-group">
            <legend className="field-label">{t('send.documents')}</legend>
            {sending.documents.map((d) => (
              <SendOption
                key={d.sha256}
                testId="send-document"
                checked={documents.includes(d.sha256)}
                onToggle={toggled(offDocuments, setOffDocuments, d.sha256)}
              >
                <span>{d.title}</span>
                <span className="hash" title={d.sha256}>
                  {t('task.sha256', { hash: d.sha256.slice(0, 8) })}
                </span>
              </SendOption>
            ))}
          </fieldset>

          {preview ? (
            <div className="send-preview" data-testid="send-preview">
              {preview.map((m) => (
                <section key={m.channel} className="send-preview-message">
                  <div className="muted small">
                    {t(`send.channel.${m.channel}`)} · {m.addressMasked} ·{' '}
                    {t('send.from', { sender: m.sender })}
                  </div>
                  {m.subject ? <div className="send-preview-subject">{m.subject}</div> : null}
                  <pre className="send-preview-text">{m.content}</pre>
                </section>
              ))}
              <div className="muted small">{t('send.previewNote')}</div>
            </div>
          ) : null}

          <div className="send-actions">
            <Button
              data-testid="send-preview-button"
              disabled={!ready}
              loading={busy === 'preview'}
              onClick={() => void showPreview()}
            >
              {t('send.preview')}
            </Button>
            <span className="row-spacer" />
            <Button
              type="primary"
              data-testid="send-button"
              disabled={!ready || busy !== null}
              loading={busy === 'send'}
              onClick={() => void send()}
            >
              {t('send.send')}
            </Button>
          </div>
        </>
      )}
    </Card>
  );
}
