// Parameter forms generated from a strategy's parameter schema (GET /strategies/available): initial values
// from the defaults, and a check against types, ranges and options before anything is sent. Pure, unit-tested.

export interface ParamSpec {
  readonly type: string;
  readonly default?: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly options?: readonly string[];
  readonly description?: string;
}

export type ParamSchema = Readonly<Record<string, ParamSpec>>;

/** Form text per parameter, from the defaults. */
export function initialValues(schema: ParamSchema): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, s] of Object.entries(schema)) out[k] = s.default === undefined || s.default === null ? '' : String(s.default);
  return out;
}

function checkNumber(text: string, s: ParamSpec, integer: boolean): { value?: number; error?: string } {
  const t = text.trim();
  if (!/^-?(\d+(\.\d*)?|\.\d+)$/.test(t)) return { error: integer ? 'a whole number' : 'a number' };
  const x = Number(t);
  if (integer && !Number.isInteger(x)) return { error: 'a whole number' };
  if (s.min !== undefined && x < s.min) return { error: `at least ${s.min}` };
  if (s.max !== undefined && x > s.max) return { error: `at most ${s.max}` };
  return { value: x };
}

/** Typed parameters, or errors keyed by name ("must be at least 2"). Empty text keeps the default (not sent). */
export function parseParams(schema: ParamSchema, values: Readonly<Record<string, string>>): { params: Record<string, unknown>; errors: Record<string, string> } {
  const params: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [k, s] of Object.entries(schema)) {
    const text = values[k] ?? '';
    if (text.trim() === '' && s.type !== 'string') continue;
    if (s.type === 'int' || s.type === 'integer' || s.type === 'number') {
      const r = checkNumber(text, s, s.type !== 'number');
      if (r.error) errors[k] = `must be ${r.error}`;
      else params[k] = r.value;
    } else if (s.type === 'boolean') {
      if (text !== 'true' && text !== 'false') errors[k] = 'must be true or false';
      else params[k] = text === 'true';
    } else if (s.type === 'enum') {
      if (!(s.options ?? []).includes(text)) errors[k] = `must be one of ${(s.options ?? []).join(', ')}`;
      else params[k] = text;
    } else if (text !== '') params[k] = text;
  }
  return { params, errors };
}
