// Focus targets registered by the views, so global keyboard shortcuts can reach them.

const targets: { search: HTMLInputElement | null; list: HTMLElement | null } = { search: null, list: null };

export function registerSearch(el: HTMLInputElement | null): void {
  targets.search = el;
}

export function registerList(el: HTMLElement | null): void {
  targets.list = el;
}

export function focusSearch(): void {
  const el = targets.search;
  if (!el) return;
  el.focus();
  el.select();
}

export function focusList(): void {
  targets.list?.focus({ preventScroll: true });
}

export function isSearch(el: EventTarget | null): boolean {
  return el !== null && el === targets.search;
}
