import { useEffect, useState } from 'react';
import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ProofState, TaskDetail } from '../../../../common/contract';
import { useAppSelector } from '../../app/hooks';
import { base64ToBytes } from '../../shared/base64';
import { callDesk } from '../../shared/call';
import { download } from '../../shared/download';
import { notifyError } from '../../shared/notify';
import { formatDateTime } from '../../shared/time';

const pdfBlob = (base64: string): Blob => new Blob([base64ToBytes(base64)], { type: 'application/pdf' });

/**
 * The task's proof of service (送达回证): made on this desk when the task was delivered, "not yet
 * sealed" until the center's sealed PDF has come back; then it opens and saves as the sealed PDF.
 */
export function ProofNote({ detail }: { detail: TaskDetail }) {
  const { t } = useTranslation();
  const zone = useAppSelector((s) => s.session.info?.timeZone);
  const lastSynced = useAppSelector((s) => s.hub.sync?.lastSyncedAt ?? null);
  const [proof, setProof] = useState<ProofState | null>(null);
  useEffect(() => {
    let live = true;
    void callDesk((desk) => desk.taskProof({ taskId: detail.id })).then((answer) => {
      if (live && answer.ok) setProof(answer.value);
    });
    return () => {
      live = false;
    };
    // A proof appears or changes with the task's status or in a sync cycle, not with every re-read.
  }, [detail.id, detail.status, lastSynced]);
  if (!proof) return null;

  const read = async () => {
    const answer = await callDesk((desk) => desk.proofRead({ proofId: proof.proofId, sealed: true }));
    if (!answer.ok) notifyError(answer.error);
    return answer.ok ? answer.value : null;
  };
  const open = async () => {
    const file = await read();
    if (!file) return;
    const url = URL.createObjectURL(pdfBlob(file.dataBase64));
    window.open(url, '_blank', 'noopener');
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  const save = async () => {
    const file = await read();
    if (file) download(file.fileName, pdfBlob(file.dataBase64));
  };

  const title =
    proof.status === 'sealed'
      ? t('proof.sealed', { time: proof.sealedAt ? formatDateTime(proof.sealedAt, zone) : '' })
      : proof.status === 'refused'
        ? t('proof.refused', { reason: proof.hubReason ?? '' })
        : t('proof.unsealed');
  return (
    <Alert
      type={proof.status === 'sealed' ? 'success' : proof.status === 'refused' ? 'error' : 'warning'}
      showIcon
      className="task-proof-note"
      data-testid="task-proof"
      data-proof-status={proof.status}
      title={title}
      description={
        <span className="muted small">
          {t('proof.id', { id: proof.proofId })}
          {proof.status === 'unsealed' && proof.hubReason
            ? ` · ${t('proof.waitingReason', { reason: proof.hubReason })}`
            : ''}
        </span>
      }
      action={
        <Space>
          <Button size="small" onClick={() => void open()} data-testid="proof-open">
            {t('proof.open')}
          </Button>
          <Button size="small" onClick={() => void save()} data-testid="proof-save">
            {t('proof.save')}
          </Button>
        </Space>
      }
    />
  );
}
