// RiskConfig: limits set globally, overridden per strategy and per symbol (symbol wins over strategy, which
// wins over global), plus symbol groups, the day boundary and the kill switch. Validated with zod at the edge.

import { z } from 'zod';
import { Pi5Error } from '../core/errors.js';
import { isTimeZone, parseClockTime } from '../core/tz.js';
import type { TradingWindow } from './limits.js';

const timeZone = z.string().refine(isTimeZone, { message: 'not a known IANA time zone' });
const window = z.string().regex(/^\d{1,2}:\d{2}-\d{1,2}:\d{2}$/, { message: 'expected HH:MM-HH:MM' });

function parseWindow(text: string): [number, number] {
  const [a = '', b = ''] = text.split('-');
  return [parseClockTime(a), parseClockTime(b)];
}

const tradingHoursSchema = z
  .strictObject({
    session: z.enum(['regular', 'extended']),
    regular: window.default('09:30-16:00'),
    extended: window.default('04:00-20:00'),
    timeZone: timeZone.optional(),
    weekdaysOnly: z.boolean().default(true),
  })
  .superRefine((h, ctx) => {
    const [start, end] = parseWindow(h.session === 'regular' ? h.regular : h.extended);
    if (!(start < end)) ctx.addIssue({ code: 'custom', path: [h.session], message: 'start must be a valid time before end' });
  })
  .transform((h): TradingWindow => {
    const [startMin, endMin] = parseWindow(h.session === 'regular' ? h.regular : h.extended);
    return { startMin, endMin, weekdaysOnly: h.weekdaysOnly, ...(h.timeZone === undefined ? {} : { timeZone: h.timeZone }) };
  });

const nonNegative = z.number().finite().nonnegative();
const count = z.number().int().nonnegative();
const percent = z.number().positive().max(100);

export const riskLimitsSchema = z.strictObject({
  maxLeverage: z.number().positive().max(100).optional(),
  maxOpenOrders: count.optional(),
  allowShort: z.boolean().optional(),
  maxPositionQty: nonNegative.optional(),
  maxPositionNotional: nonNegative.optional(),
  maxGrossExposure: nonNegative.optional(),
  maxNetExposure: nonNegative.optional(),
  maxOrdersPerSecond: count.optional(),
  maxOrdersPerMinute: count.optional(),
  maxOrdersPerDay: count.optional(),
  maxDailyLoss: z.number().finite().positive().optional(),
  maxDailyLossPct: percent.optional(),
  maxDrawdownPct: percent.optional(),
  restrictedSymbols: z.array(z.string().min(1)).optional(),
  priceBandPct: z.number().finite().positive().optional(),
  minPrice: nonNegative.optional(),
  maxPositions: count.optional(),
  minCashReserve: nonNegative.optional(),
  maxCorrelation: z.number().min(-1).max(1).optional(),
  correlationLookback: z.number().int().min(2).max(10_000).optional(),
  maxGroupPct: z.number().finite().positive().optional(),
  tradingHours: tradingHoursSchema.optional(),
});

export const riskConfigSchema = z.strictObject({
  global: riskLimitsSchema.default({}),
  strategies: z.record(z.string(), riskLimitsSchema).default({}),
  symbols: z.record(z.string(), riskLimitsSchema).default({}),
  /** symbol → group (sector, asset class…), for maxGroupPct. */
  groups: z.record(z.string(), z.string().min(1)).default({}),
  /** Where daily loss and orders per day start a new day. */
  dayTimeZone: timeZone.default('UTC'),
  killSwitch: z
    .strictObject({
      /** Close every position with market orders when the switch trips. */
      flattenOnTrip: z.boolean().default(false),
      /** Trip automatically when the global maxDrawdownPct or daily loss limit is reached at a time-step close. */
      autoTrip: z.boolean().default(true),
    })
    .default({ flattenOnTrip: false, autoTrip: true }),
});

/** A RiskConfig as written in a file or passed in code (defaults not yet applied). */
export type RiskConfigInput = z.input<typeof riskConfigSchema>;
export type RiskConfig = z.output<typeof riskConfigSchema>;
export type RiskLimitsLayer = z.output<typeof riskLimitsSchema>;

function issuePath(issue: z.core.$ZodIssue): string {
  const parts = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => [...parts, k].join('.')).join(', ');
  return parts.length === 0 ? '(root)' : parts.join('.');
}

/** Parses a risk-side config with its schema; PI5_ERR_BAD_CONFIG names the source and each bad field's path. */
export function parseConfigWith<S extends z.ZodType>(schema: S, input: unknown, source: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => `${issuePath(i)}: ${i.message}`);
  throw new Pi5Error('PI5_ERR_BAD_CONFIG', `${source}: ${problems.join('; ')}`, { source, problems });
}

/** Validates a RiskConfig; PI5_ERR_BAD_CONFIG names the source and each bad field's path. */
export function parseRiskConfig(input: unknown, source = 'risk config'): RiskConfig {
  return parseConfigWith(riskConfigSchema, input, source);
}

/** Validates a config read from a file and hands it back as input (runners apply the defaults themselves). */
export function checkRiskConfigInput(input: unknown, source: string): RiskConfigInput {
  parseRiskConfig(input, source);
  return input as RiskConfigInput;
}
