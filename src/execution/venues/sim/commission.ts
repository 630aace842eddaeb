// Commission models, parsed from one spec string and computed exactly in price units (1e-8 currency).
// Spec grammar (terms joined by '+'): none | per-share:RATE[:min=M][:max=M] | percent:P | bps:B | fixed:F
// | tiered:RATE@SHARES,RATE@SHARES,...,RATE   (per-share rate by shares traded so far in the month).

import { Pi5Error } from '../../../core/errors.js';
import { mulDivRound, parseDecimal } from '../../../model/money.js';

export interface CommissionInput {
  readonly quantity: number;
  readonly pricePu: number;
  readonly notionalPu: bigint;
  /** True for the first fill of an order: per-order fees are charged once. */
  readonly firstFillOfOrder: boolean;
  readonly ts: number;
}

export interface CommissionModel {
  readonly spec: string;
  commissionPu(fill: CommissionInput): bigint;
}

type Term = (fill: CommissionInput) => bigint;
/** Builds a term for one run (only tiered rates keep state). */
type TermFactory = () => Term;

function badSpec(spec: string, why: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `--commission ${JSON.stringify(spec)}: ${why}`, { field: 'commission' });
}

function decimal(spec: string, text: string | undefined, what: string): { num: bigint; scale: number } {
  const d = text === undefined ? null : parseDecimal(text);
  if (!d || d.num < 0n) throw badSpec(spec, `${what} ${JSON.stringify(text ?? '')} is not a non-negative decimal number`);
  return d;
}

function puOf(spec: string, text: string | undefined, what: string): bigint {
  const d = decimal(spec, text, what);
  if (d.scale > 8) throw badSpec(spec, `${what} has more than 8 decimals`);
  return d.num * 10n ** BigInt(8 - d.scale);
}

function percentTerm(spec: string, text: string | undefined, perHundred: bigint): Term {
  const d = decimal(spec, text, 'rate');
  const den = perHundred * 10n ** BigInt(d.scale);
  return (f) => mulDivRound(f.notionalPu, d.num, den);
}

function perShareTerm(spec: string, args: string[]): Term {
  const rate = puOf(spec, args[0], 'per-share rate');
  let min = 0n;
  let maxPct: { num: bigint; scale: number } | null = null;
  for (const opt of args.slice(1)) {
    const [k, v] = opt.split('=');
    if (k === 'min') min = puOf(spec, v, 'minimum');
    else if (k === 'max' && v?.endsWith('%')) maxPct = decimal(spec, v.slice(0, -1), 'maximum percent');
    else throw badSpec(spec, `unknown option ${JSON.stringify(opt)} (use min=AMOUNT or max=PERCENT%)`);
  }
  return (f) => {
    let c = BigInt(f.quantity) * rate;
    if (c < min) c = min;
    if (maxPct) {
      const cap = mulDivRound(f.notionalPu, maxPct.num, 100n * 10n ** BigInt(maxPct.scale));
      if (c > cap) c = cap;
    }
    return c;
  };
}

/** IB-style tiers: the rate for a fill is the tier of shares already traded this calendar month (UTC). */
function tieredTerm(spec: string, arg: string | undefined): TermFactory {
  const tiers = (arg ?? '').split(',').map((t) => {
    const [rate, upTo] = t.split('@');
    return { rate: puOf(spec, rate, 'tier rate'), upTo: upTo === undefined ? Infinity : Number(upTo) };
  });
  const openEnded = (i: number): boolean => !Number.isFinite(tiers[i]?.upTo ?? 0);
  if (tiers.length === 0 || tiers.some((t, i) => openEnded(i) !== (i === tiers.length - 1) || !(t.upTo > 0))) {
    throw badSpec(spec, 'tiers are RATE@SHARES,...,RATE with a last open-ended rate');
  }
  // The month's volume belongs to one run: each model built from the spec counts from zero.
  return () => {
    let month = -1;
    let traded = 0;
    return (f) => {
      const d = new Date(f.ts);
      const m = d.getUTCFullYear() * 12 + d.getUTCMonth();
      if (m !== month) {
        month = m;
        traded = 0;
      }
      const tier = tiers.find((t) => traded < t.upTo) ?? tiers[tiers.length - 1];
      traded += f.quantity;
      return BigInt(f.quantity) * (tier ? tier.rate : 0n);
    };
  };
}

function statelessTerm(spec: string, kind: string | undefined, args: readonly string[]): Term {
  switch (kind) {
    case 'none':
    case '0':
      return () => 0n;
    case 'per-share':
      return perShareTerm(spec, [...args]);
    case 'percent':
      return percentTerm(spec, args[0], 100n);
    case 'bps':
      return percentTerm(spec, args[0], 10_000n);
    case 'fixed': {
      const fee = puOf(spec, args[0], 'fee');
      return (f) => (f.firstFillOfOrder ? fee : 0n);
    }
    default:
      throw badSpec(spec, `unknown model ${JSON.stringify(kind)} (none, per-share, percent, bps, fixed, tiered)`);
  }
}

function parseTerm(spec: string, term: string): TermFactory {
  const [kind, ...args] = term.trim().split(':');
  if (kind === 'tiered') return tieredTerm(spec, args[0]);
  const t = statelessTerm(spec, kind, args);
  return () => t;
}

/**
 * Checks a spec once and returns what builds its model: call it once per run (a tiered model counts the
 * shares of its own run). Throws PI5_ERR_BAD_USAGE naming the bad part.
 */
export function compileCommission(spec = 'none'): () => CommissionModel {
  const factories = spec.split('+').map((t) => parseTerm(spec, t));
  if (factories.length === 1 && spec.trim() === 'none') return () => ({ spec, commissionPu: () => 0n });
  return () => {
    const terms = factories.map((f) => f());
    return {
      spec,
      commissionPu: (fill) => {
        let total = 0n;
        for (const t of terms) total += t(fill);
        return total;
      },
    };
  };
}

export function parseCommission(spec = 'none'): CommissionModel {
  return compileCommission(spec)();
}
