import { useEffect, useRef } from 'react';
import { Card, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { selectDraft } from './taskSlice';
import { toggleStep } from './thunks';

/** `checkCode`: the code the hub gave the last send, read out in the closing step. */
export function ScriptSection({ checkCode = null }: { checkCode?: string | null } = {}) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const steps = useAppSelector((s) => s.task.script);
  const loading = useAppSelector((s) => s.task.scriptLoading);
  const done = useAppSelector((s) => selectDraft(s).steps);
  const currentIndex = steps.findIndex((step) => !done.includes(step.id));
  const doneCount = steps.filter((step) => done.includes(step.id)).length;
  const listRef = useRef<HTMLOListElement | null>(null);

  // Ticking a step (often by Alt+n mid-call) brings the next one into view.
  useEffect(() => {
    listRef.current?.querySelector('.script-step.current')?.scrollIntoView({ block: 'nearest' });
  }, [currentIndex]);

  return (
    <Card
      size="small"
      className="task-card script-card"
      title={t('task.sections.script')}
      extra={
        steps.length > 0 ? (
          <span className="muted small">
            {t('script.progress', { done: doneCount, total: steps.length })}
          </span>
        ) : null
      }
    >
      {loading && steps.length === 0 ? <Skeleton active paragraph={{ rows: 4 }} /> : null}
      {!loading && steps.length === 0 ? <div className="muted">{t('script.empty')}</div> : null}
      <ol className="script" ref={listRef}>
        {steps.map((step, index) => {
          const checked = done.includes(step.id);
          const current = index === currentIndex;
          const inputId = `script-step-${step.id}`;
          return (
            <li
              key={step.id}
              className={`script-step${checked ? ' done' : ''}${current ? ' current' : ''}`}
              data-testid="script-step"
              data-step-id={step.id}
              aria-current={current ? 'step' : undefined}
            >
              <div className="script-step-head">
                <input
                  id={inputId}
                  type="checkbox"
                  className="desk-check"
                  data-testid={`script-step-check-${step.id}`}
                  checked={checked}
                  onChange={() => dispatch(toggleStep(step.id))}
                />
                <label htmlFor={inputId} className="script-step-title">
                  <span className="step-num">{index + 1}</span>
                  {step.title}
                </label>
                <span className="row-spacer" />
                {current ? <span className="current-badge">{t('script.current')}</span> : null}
                {index < 5 ? <kbd className="step-kbd">{t('script.shortcut', { n: index + 1 })}</kbd> : null}
              </div>
              {step.lines.length > 0 ? (
                <div className="script-lines">
                  {step.lines.map((line, i) => (
                    <p key={i}>{line}</p>
                  ))}
                </div>
              ) : null}
              {step.id === 'closing' && checkCode ? (
                <p className="script-check-code" data-testid="script-check-code">
                  {t('send.readCheckCode', { code: checkCode })}
                </p>
              ) : null}
              {/* Guidance for the specialist (e.g. how to verify identity without an ID number),
                  shown on the step at hand only, to keep the script readable. */}
              {current && step.notes.length > 0 ? (
                <ul className="script-notes" data-testid="script-notes" aria-label={t('script.notes')}>
                  {step.notes.map((note, i) => (
                    <li key={i}>{note}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          );
        })}
      </ol>
    </Card>
  );
}
