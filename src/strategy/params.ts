// Parameter schemas for strategies: types, defaults and ranges, and validation of user-given values.

import { Pi5Error } from '../core/errors.js';

export type ParamSpec =
  | { readonly type: 'int'; readonly default: number; readonly min?: number; readonly max?: number; readonly description: string }
  | { readonly type: 'number'; readonly default: number; readonly min?: number; readonly max?: number; readonly description: string }
  | { readonly type: 'boolean'; readonly default: boolean; readonly description: string }
  | { readonly type: 'string'; readonly default: string; readonly description: string }
  | {
      readonly type: 'enum';
      readonly default: string;
      readonly options: readonly string[];
      readonly description: string;
    };

export type ParamSchema = Readonly<Record<string, ParamSpec>>;

type ValueOf<P extends ParamSpec> = P['type'] extends 'int' | 'number' ? number : P['type'] extends 'boolean' ? boolean : string;

export type ParamValues<S extends ParamSchema> = { readonly [K in keyof S]: ValueOf<S[K]> };

export type RawParams = Readonly<Record<string, string | number | boolean>>;

/** The error for a bad parameter value, naming the strategy and the parameter. */
export function paramError(strategyId: string, name: string, message: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_PARAM', `strategy ${strategyId}: parameter ${name}: ${message}`, {
    strategy: strategyId,
    param: name,
  });
}

function coerce(strategyId: string, name: string, spec: ParamSpec, raw: string | number | boolean): number | boolean | string {
  switch (spec.type) {
    case 'int':
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      if (!Number.isFinite(n)) throw paramError(strategyId, name, `${JSON.stringify(raw)} is not a number`);
      if (spec.type === 'int' && !Number.isInteger(n)) throw paramError(strategyId, name, `${n} is not a whole number`);
      if (spec.min !== undefined && n < spec.min) throw paramError(strategyId, name, `${n} is below the minimum ${spec.min}`);
      if (spec.max !== undefined && n > spec.max) throw paramError(strategyId, name, `${n} is above the maximum ${spec.max}`);
      return n;
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
      throw paramError(strategyId, name, `${JSON.stringify(raw)} is not true or false`);
    }
    case 'enum': {
      const s = String(raw);
      if (!spec.options.includes(s)) throw paramError(strategyId, name, `${JSON.stringify(s)} is not one of ${spec.options.join(', ')}`);
      return s;
    }
    case 'string':
      return String(raw);
  }
}

/** Validates raw values (from the CLI, a config file or the API) against a schema, filling defaults. */
export function resolveParams<S extends ParamSchema>(strategyId: string, schema: S, raw: RawParams = {}): ParamValues<S> {
  for (const name of Object.keys(raw)) {
    if (!Object.hasOwn(schema, name)) {
      const known = Object.keys(schema);
      throw paramError(strategyId, name, `unknown parameter (known: ${known.length ? known.join(', ') : 'none'})`);
    }
  }
  const out: Record<string, number | boolean | string> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const given = raw[name];
    out[name] = given === undefined ? spec.default : coerce(strategyId, name, spec, given);
  }
  return out as ParamValues<S>;
}
