// The browser host hands the per-launch secret to the page in the URL fragment (`#token=…`),
// which browsers never send to a server. We keep it in sessionStorage so a reload still works,
// and take it out of the visible URL so it is not shared by copying the address bar.

const STORAGE_KEY = 'desk.token';

function readStored(): string | null {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function store(token: string): void {
  try {
    window.sessionStorage.setItem(STORAGE_KEY, token);
  } catch {
    // Storage can be disabled; the token then only lives for this page load.
  }
}

let memo: string | null | undefined;

export function takeToken(): string | null {
  if (memo !== undefined) return memo;
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const fromHash = fragment.get('token');
  if (fromHash) {
    store(fromHash);
    fragment.delete('token');
    const rest = fragment.toString();
    const clean = `${window.location.pathname}${window.location.search}${rest ? `#${rest}` : ''}`;
    window.history.replaceState(window.history.state, '', clean);
    memo = fromHash;
    return fromHash;
  }
  memo = readStored();
  return memo;
}
