// Light/dark theme: the user's choice is remembered; without one the system preference decides (CSS
// prefers-color-scheme), so `system` sets no attribute at all.

export type Theme = 'light' | 'dark' | 'system';

// Structural stand-ins for Storage and the <html> element, so this module also type-checks without DOM types (unit tests).
interface KeyValue {
  getItem(k: string): string | null;
  setItem(k: string, v: string): void;
  removeItem(k: string): void;
}
interface Attributes {
  setAttribute(k: string, v: string): void;
  removeAttribute(k: string): void;
}

const KEY = 'pi5.theme';

export function savedTheme(store: Pick<KeyValue, 'getItem'>): Theme {
  const t = store.getItem(KEY);
  return t === 'light' || t === 'dark' ? t : 'system';
}

/** The next theme of the toggle: system → dark → light → system. */
export function nextTheme(t: Theme): Theme {
  return t === 'system' ? 'dark' : t === 'dark' ? 'light' : 'system';
}

export function applyTheme(t: Theme, el: Attributes): void {
  if (t === 'system') el.removeAttribute('data-theme');
  else el.setAttribute('data-theme', t);
}

export function saveTheme(t: Theme, store: Pick<KeyValue, 'setItem' | 'removeItem'>): void {
  if (t === 'system') store.removeItem(KEY);
  else store.setItem(KEY, t);
}
