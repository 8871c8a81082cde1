import { useTranslation } from 'react-i18next';

/** The task pane before a task is opened: part of the first load, unlike the task view itself. */
export function TaskPlaceholder() {
  const { t } = useTranslation();
  return (
    <div className="task-placeholder">
      <div className="placeholder-title">{t('task.placeholderTitle')}</div>
      <div className="muted">{t('task.placeholderBody')}</div>
      <div className="placeholder-keys">
        <kbd>↑</kbd> <kbd>↓</kbd> <kbd>Enter</kbd> · <kbd>/</kbd> · <kbd>Alt+1…5</kbd> · <kbd>Ctrl+Enter</kbd>
      </div>
    </div>
  );
}
