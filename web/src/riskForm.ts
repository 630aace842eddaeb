// The risk-limits form: the global layer's limits one field each (blank = off), checked before sending, and
// merged back into the whole risk config (per-strategy and per-symbol layers, groups, kill switch and global
// keys the form does not show are kept as they were). The server validates the result again. Pure, unit-tested.

export type LimitKind = 'number' | 'int' | 'percent' | 'fraction' | 'boolean';

export interface LimitField {
  readonly key: string;
  readonly label: string;
  readonly kind: LimitKind;
  /** Always in force (a blank is refused): the engine has a default for it. */
  readonly required?: boolean;
}

export const LIMIT_FIELDS: readonly LimitField[] = [
  { key: 'maxLeverage', label: 'Max leverage (1 = no margin)', kind: 'number', required: true },
  { key: 'maxOpenOrders', label: 'Max open orders', kind: 'int', required: true },
  { key: 'allowShort', label: 'Allow short selling', kind: 'boolean', required: true },
  { key: 'maxPositionQty', label: 'Max position (quantity)', kind: 'number' },
  { key: 'maxPositionNotional', label: 'Max position value', kind: 'number' },
  { key: 'maxGrossExposure', label: 'Max gross exposure', kind: 'number' },
  { key: 'maxNetExposure', label: 'Max net exposure', kind: 'number' },
  { key: 'maxPositions', label: 'Max symbols held', kind: 'int' },
  { key: 'maxOrdersPerSecond', label: 'Max orders per second', kind: 'int' },
  { key: 'maxOrdersPerMinute', label: 'Max orders per minute', kind: 'int' },
  { key: 'maxOrdersPerDay', label: 'Max orders per day', kind: 'int' },
  { key: 'maxDailyLoss', label: 'Max daily loss', kind: 'number' },
  { key: 'maxDailyLossPct', label: 'Max daily loss (%)', kind: 'percent' },
  { key: 'maxDrawdownPct', label: 'Max drawdown (%)', kind: 'percent' },
  { key: 'priceBandPct', label: 'Price band (% from last)', kind: 'percent' },
  { key: 'minPrice', label: 'Min price', kind: 'number' },
  { key: 'minCashReserve', label: 'Min cash reserve', kind: 'number' },
  { key: 'maxCorrelation', label: 'Max correlation (0–1)', kind: 'fraction' },
  { key: 'maxGroupPct', label: 'Max group exposure (%)', kind: 'percent' },
];

/** A limit's name in plain words: the form's label, else the key's words ("maxSectorWeight" → "Max sector weight"). */
export function limitLabel(key: string): string {
  const known = LIMIT_FIELDS.find((f) => f.key === key);
  if (known !== undefined) return known.label;
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A limit's value in force as text: off, yes/no, a number, or the structure as JSON. */
export function limitText(v: unknown): string {
  if (v === null || v === undefined) return 'off';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export type LimitValues = Record<string, string>;

type Config = Record<string, unknown>;

function globalOf(config: unknown): Config {
  const g = typeof config === 'object' && config !== null ? (config as Config).global : undefined;
  return typeof g === 'object' && g !== null ? (g as Config) : {};
}

/** The form's text per field from a config (blank where a limit is off; always-on ones from the limits in force). */
export function limitValues(config: unknown, inForce: Readonly<Record<string, unknown>> = {}): LimitValues {
  const g = globalOf(config);
  const out: LimitValues = {};
  for (const f of LIMIT_FIELDS) {
    const v = g[f.key] ?? (f.required ? inForce[f.key] : undefined);
    out[f.key] = v === undefined || v === null ? '' : String(v);
  }
  return out;
}

function parseField(f: LimitField, text: string): { value?: number | boolean; error?: string } {
  const t = text.trim();
  if (t === '') return f.required ? { error: `${f.label} is always in force: enter a value.` } : {};
  if (f.kind === 'boolean') {
    if (t === 'true' || t === 'false') return { value: t === 'true' };
    return { error: `${f.label}: choose yes or no.` };
  }
  const x = Number(t);
  if (!/^-?\d+(\.\d+)?$/.test(t) || !Number.isFinite(x)) return { error: `${f.label}: "${t}" is not a number.` };
  if (f.kind === 'int' && !Number.isInteger(x)) return { error: `${f.label}: enter a whole number.` };
  if (f.key === 'maxLeverage' || f.key === 'maxOpenOrders' ? x <= 0 : x < 0) return { error: `${f.label}: must be ${f.key === 'maxLeverage' || f.key === 'maxOpenOrders' ? 'above zero' : 'zero or more'}.` };
  if (f.kind === 'percent' && x > 100) return { error: `${f.label}: a percent of at most 100.` };
  if (f.kind === 'fraction' && x > 1) return { error: `${f.label}: between 0 and 1.` };
  return { value: x };
}

/** The whole config to PUT (the form's fields replacing theirs in `global`), or the problems keyed by field. */
export function buildRiskConfig(config: unknown, values: LimitValues): { config: Config | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const global: Config = { ...globalOf(config) };
  for (const f of LIMIT_FIELDS) {
    delete global[f.key];
    const r = parseField(f, values[f.key] ?? '');
    if (r.error !== undefined) errors[f.key] = r.error;
    else if (r.value !== undefined) global[f.key] = r.value;
  }
  if (Object.keys(errors).length > 0) return { config: null, errors };
  const base = typeof config === 'object' && config !== null ? (config as Config) : {};
  return { config: { ...base, global }, errors };
}
