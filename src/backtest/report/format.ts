// Human-facing number and time formatting shared by the console summary and the HTML report.
// Machine outputs (JSON, CSV) never use these: they keep full precision.

export const MISSING = '—';

const DAY_MS = 86_400_000;
const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const PRICE = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 8 });
const DAYS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const QUANTITY = new Intl.NumberFormat('en-US', { maximumFractionDigits: 8 });
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

export function isFiniteNumber(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Rounds to `decimals` places and drops the sign of a zero result, so tiny losses never print as "-0.00". */
const FIXED = new Map<number, Intl.NumberFormat>();

/** Intl formatters are costly to build and tables format thousands of cells, so keep one per precision. */
function fixedFormat(decimals: number): Intl.NumberFormat {
  let f = FIXED.get(decimals);
  if (f === undefined) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    FIXED.set(decimals, f);
  }
  return f;
}

function roundClean(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

/** 1234567.891 → "1,234,567.89". */
export function formatMoney(x: number | null | undefined): string {
  return isFiniteNumber(x) ? MONEY.format(roundClean(x, 2)) : MISSING;
}

/** A fraction as a percentage: 0.1234 → "12.34%". */
export function formatPercent(x: number | null | undefined, decimals = 2): string {
  if (!isFiniteNumber(x)) return MISSING;
  return `${fixedFormat(decimals).format(roundClean(x * 100, decimals))}%`;
}

/** A unitless ratio (Sharpe, profit factor): 2 decimals. */
export function formatRatio(x: number | null | undefined): string {
  return isFiniteNumber(x) ? roundClean(x, 2).toFixed(2) : MISSING;
}

export function formatCount(x: number | null | undefined): string {
  return isFiniteNumber(x) ? COUNT.format(x) : MISSING;
}

/** Prices keep up to 8 decimals (the tick precision of the engine) but at least 2. */
export function formatPrice(x: number | null | undefined): string {
  return isFiniteNumber(x) ? PRICE.format(x) : MISSING;
}

export function formatQuantity(x: number | null | undefined): string {
  return isFiniteNumber(x) ? QUANTITY.format(x) : MISSING;
}

export function formatDays(x: number | null | undefined): string {
  if (!isFiniteNumber(x)) return MISSING;
  return `${DAYS.format(roundClean(x, 1))} days`;
}

/** True when every time is a UTC midnight, i.e. the data is daily or coarser and dates say it all. */
export function allDates(times: Iterable<number>): boolean {
  for (const t of times) if (Number.isFinite(t) && t % DAY_MS !== 0) return false;
  return true;
}

function validTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15;
}

/** "2014-03-05", or "2014-03-05 14:30" (":ss" only when seconds are present) for intraday times. */
export function formatTime(ms: number, dateOnly: boolean): string {
  if (!validTime(ms)) return MISSING;
  const iso = new Date(ms).toISOString();
  if (dateOnly) return iso.slice(0, 10);
  const seconds = iso.slice(17, 19) !== '00' || iso.slice(20, 23) !== '000';
  return `${iso.slice(0, 10)} ${iso.slice(11, seconds ? 19 : 16)}`;
}

/** ISO 8601 UTC for machine outputs, null for a time that is not one. */
export function isoTime(ms: number): string | null {
  return validTime(ms) ? new Date(ms).toISOString() : null;
}

/** "1 trade", "2,500 trades". */
export function plural(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;
}

/** 0-based month → "Jan". */
export function monthName(month0: number): string {
  return MONTHS[month0] ?? '?';
}

/** Signed style class for a number: 'p' positive, 'n' negative, '' otherwise. */
export function signClass(x: number | null | undefined): '' | 'p' | 'n' {
  if (!isFiniteNumber(x) || x === 0) return '';
  return x > 0 ? 'p' : 'n';
}
