import { useEffect, useRef, useState } from 'react';
import { Button, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RecordingView } from '../../../../common/contract';
import { callDesk } from '../../shared/call';
import { base64ToBytes } from '../../shared/base64';
import { download } from '../../shared/download';
import { notifyError } from '../../shared/notify';

/** 83 500 ms → 1:23 */
export function formatOffset(ms: number): string {
  const total = Math.floor(ms / 1000);
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

const STATE_COLOR: Record<RecordingView['state'], string> = {
  recording: 'processing',
  complete: 'success',
  incomplete: 'warning',
};

/**
 * One recording in the timeline: a player fed by recordingRead (a blob: URL, so it seeks), its
 * duration and hash, the script-step marks as jumps into it, and the export for the e-dossier.
 */
export function RecordingPlayer({
  recording,
  stepTitles,
}: {
  recording: RecordingView;
  stepTitles: Record<string, string>;
}) {
  const { t } = useTranslation();
  const audio = useRef<HTMLAudioElement>(null);
  const [source, setSource] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const finished = recording.state !== 'recording';

  useEffect(() => {
    if (!finished) return;
    let url: string | null = null;
    let cancelled = false;
    void callDesk((desk) => desk.recordingRead({ recordingId: recording.id })).then((answer) => {
      if (cancelled) return;
      if (!answer.ok) return notifyError(answer.error);
      url = URL.createObjectURL(
        new Blob([base64ToBytes(answer.value.dataBase64)], { type: recording.mimeType }),
      );
      setSource(url);
    });
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [finished, recording.id, recording.mimeType, recording.sha256]);

  const jump = (offsetMs: number) => {
    const player = audio.current;
    if (!player) return;
    player.currentTime = offsetMs / 1000;
    void player.play().catch(() => undefined);
  };

  const exportRecording = async () => {
    setExporting(true);
    const answer = await callDesk((desk) => desk.recordingExport({ recordingId: recording.id }));
    setExporting(false);
    if (!answer.ok) return notifyError(answer.error);
    const { fileName, dataBase64, manifestFileName, manifest } = answer.value;
    download(fileName, new Blob([base64ToBytes(dataBase64)], { type: recording.mimeType }));
    download(manifestFileName, new Blob([manifest], { type: 'application/json' }));
  };

  const hash = recording.sha256 ?? recording.rawSha256;
  return (
    <div
      className="recording"
      data-testid="recording"
      data-recording-id={recording.id}
      data-state={recording.state}
    >
      <div className="entry-line">
        <Tag color={STATE_COLOR[recording.state]}>{t(`timeline.recording.states.${recording.state}`)}</Tag>
        <span className="muted small">
          {recording.durationMs !== null
            ? t('timeline.recording.duration', { time: formatOffset(recording.durationMs) })
            : t('timeline.recording.noDuration')}
        </span>
        {hash ? (
          <Typography.Text
            className="hash small"
            data-testid="recording-hash"
            title={hash}
            copyable={{
              text: hash,
              tooltips: [t('timeline.recording.copyHash'), t('timeline.recording.copied')],
            }}
          >
            {t('task.sha256', { hash: hash.slice(0, 12) })}
          </Typography.Text>
        ) : null}
        <span className="row-spacer" />
        <Button
          size="small"
          data-testid="recording-export"
          disabled={!finished}
          loading={exporting}
          onClick={() => void exportRecording()}
        >
          {t('timeline.recording.export')}
        </Button>
      </div>
      {recording.state === 'incomplete' ? (
        <div className="recording-incomplete small" data-testid="recording-incomplete">
          {t('timeline.recording.incompleteNote')}
        </div>
      ) : null}
      {recording.state === 'recording' ? (
        <div className="muted small">{t('timeline.recording.inProgress')}</div>
      ) : (
        <audio
          ref={audio}
          className="recording-audio"
          data-testid="recording-audio"
          controls
          preload="metadata"
          src={source ?? undefined}
        />
      )}
      {recording.marks.length > 0 ? (
        <div className="recording-marks" data-testid="recording-marks">
          <span className="muted small">{t('timeline.recording.marks')}</span>
          {recording.marks.map((mark) => (
            <Button
              key={`${mark.stepId}-${mark.offsetMs}`}
              size="small"
              type="dashed"
              disabled={!source}
              data-testid="recording-mark"
              data-offset-ms={mark.offsetMs}
              onClick={() => jump(mark.offsetMs)}
            >
              {formatOffset(mark.offsetMs)} {stepTitles[mark.stepId] ?? mark.stepId}
            </Button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
