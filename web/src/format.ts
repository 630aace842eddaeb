// Number and time formatting for the dashboard: fixed decimals, signs and arrows so gains and losses read
// without colour. Pure functions (unit-tested in test/unit/web), no DOM.

export type Tone = 'gain' | 'loss' | 'flat';

const fixed = new Map<number, Intl.NumberFormat>();

function formatter(decimals: number): Intl.NumberFormat {
  let f = fixed.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    fixed.set(decimals, f);
  }
  return f;
}

/** A number with `decimals` fixed decimals and thousands separators; '–' for null, undefined or NaN. */
export function num(x: number | null | undefined, decimals = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  // -0.001 rounded to 2 dp prints "-0.00": show zero without a sign instead.
  const r = formatter(decimals).format(x);
  return /^-0[.,]?0*$/.test(r) ? r.slice(1) : r;
}

/** Money with two decimals. */
export function money(x: number | null | undefined): string {
  return num(x, 2);
}

/** Whether a value is a gain, a loss or neither (at the shown precision). */
export function tone(x: number | null | undefined, decimals = 2): Tone {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'flat';
  const eps = 0.5 * 10 ** -decimals;
  return x >= eps ? 'gain' : x <= -eps ? 'loss' : 'flat';
}

/** A signed change with an arrow: "▲ +1,234.50", "▼ −12.00", "0.00". The arrow and sign carry the meaning, colour only repeats it. */
export function signed(x: number | null | undefined, decimals = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  const t = tone(x, decimals);
  const body = num(Math.abs(x), decimals);
  if (t === 'gain') return `▲ +${body}`;
  if (t === 'loss') return `▼ −${body}`;
  return body;
}

/** A ratio as a percentage: 0.0123 → "1.23%". */
export function pct(x: number | null | undefined, decimals = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return `${num(x * 100, decimals)}%`;
}

/** Epoch ms as "2024-03-05" (UTC). */
export function day(ts: number | null | undefined): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return '–';
  return new Date(ts).toISOString().slice(0, 10);
}

/** Epoch ms as "2024-03-05 14:30:00" (UTC). */
export function dateTime(ts: number | null | undefined): string {
  if (ts === null || ts === undefined || !Number.isFinite(ts)) return '–';
  return new Date(ts).toISOString().slice(0, 19).replace('T', ' ');
}

/** A quantity: integers without decimals, fractions with up to 4. */
export function qty(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return Number.isInteger(x) ? num(x, 0) : num(x, 4);
}
