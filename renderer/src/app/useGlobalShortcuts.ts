import { useEffect } from 'react';
import { useStore } from 'react-redux';
import { useAppDispatch } from './hooks';
import type { AppThunk, RootState } from './store';
import { focusList, focusSearch, isSearch } from '../shared/focus';
import { selectionMoved, selectRowAt } from '../features/queue/queueSlice';
import { openTask, submitOutcome, toggleStepAt } from '../features/task/thunks';
import { answerIncoming, hangUpCall, toggleMute } from '../features/phone/phoneController';

function isEditable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(el.type);
  return false;
}

/** Whether Enter on this element belongs to the queue (not a button, link or form control). */
function enterOpensTask(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return true;
  if (el === document.body || isSearch(el)) return true;
  return el.dataset.queueList === 'true';
}

/** Alt+letter by key position, so it works whatever the keyboard layout or input method. */
const PHONE_KEYS: Record<string, () => AppThunk<void | Promise<void>>> = {
  KeyA: answerIncoming,
  KeyH: hangUpCall,
  KeyM: toggleMute,
};

/**
 * The desk's keyboard: / or Ctrl+K search, ↑↓ (j/k when not typing) move, Enter opens, Esc
 * leaves the search, Alt+1..5 tick script steps, Ctrl+Enter records the outcome; the phone:
 * Alt+A answers, Alt+H hangs up (or declines), Alt+M mutes. Those work even while typing notes.
 */
export function useGlobalShortcuts(): void {
  const dispatch = useAppDispatch();
  const store = useStore<RootState>();

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const target = e.target;
      const ctrl = e.ctrlKey || e.metaKey;

      if (ctrl && !e.altKey && (e.key === 'k' || e.key === 'K')) {
        e.preventDefault();
        focusSearch();
        return;
      }
      if (ctrl && e.key === 'Enter') {
        if (store.getState().task.detail) {
          e.preventDefault();
          void dispatch(submitOutcome());
        }
        return;
      }
      if (e.altKey && !ctrl && /^(Digit|Numpad)[1-5]$/.test(e.code)) {
        e.preventDefault();
        dispatch(toggleStepAt(Number(e.code.slice(-1)) - 1));
        return;
      }
      if (e.altKey && !ctrl && PHONE_KEYS[e.code]) {
        e.preventDefault();
        void dispatch(PHONE_KEYS[e.code]!());
        return;
      }
      if (ctrl || e.altKey) return;

      const inSearch = isSearch(target);
      if (!inSearch && isEditable(target)) return;
      // Keys typed inside an open dialog or popup belong to it.
      if (
        target instanceof HTMLElement &&
        target.closest('.ant-modal-root, .ant-popover, .ant-select-dropdown')
      )
        return;

      const typingLetters = inSearch;
      switch (e.key) {
        case '/':
          if (typingLetters) return;
          e.preventDefault();
          focusSearch();
          return;
        case 'ArrowDown':
        case 'j':
          if (e.key === 'j' && typingLetters) return;
          e.preventDefault();
          dispatch(selectionMoved(1));
          return;
        case 'ArrowUp':
        case 'k':
          if (e.key === 'k' && typingLetters) return;
          e.preventDefault();
          dispatch(selectionMoved(-1));
          return;
        case 'PageDown':
        case 'PageUp':
          if (!inSearch && !enterOpensTask(target)) return;
          e.preventDefault();
          dispatch(selectionMoved(e.key === 'PageDown' ? 10 : -10));
          return;
        case 'Enter': {
          if (!enterOpensTask(target)) return;
          const state = store.getState();
          const row = selectRowAt(state, state.queue.selected);
          if (!row) return;
          e.preventDefault();
          void dispatch(openTask(row.id));
          return;
        }
        case 'Escape':
          if (inSearch) {
            e.preventDefault();
            focusList();
          }
          return;
        default:
          return;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [dispatch, store]);
}
