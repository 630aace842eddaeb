// zod schemas of Alpaca's Trading API v2 wire formats: the order entity (REST and inside trade_updates), account,
// positions, FILL activities, error bodies and the trading stream's messages. Alpaca sends decimals as strings;
// only the fields we use are checked, others pass through.

import { z } from 'zod';

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'is not a decimal number');
const optDecimal = decimal.nullish();

export const ALPACA_ORDER_STATUSES = [
  'new',
  'partially_filled',
  'filled',
  'done_for_day',
  'canceled',
  'expired',
  'replaced',
  'pending_cancel',
  'pending_replace',
  'pending_new',
  'accepted',
  'accepted_for_bidding',
  'stopped',
  'rejected',
  'suspended',
  'calculated',
  'held',
] as const;

export const alpacaOrderSchema = z.object({
  id: z.string().min(1),
  client_order_id: z.string(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  filled_at: z.string().nullish(),
  replaced_by: z.string().nullish(),
  replaces: z.string().nullish(),
  symbol: z.string(),
  qty: optDecimal,
  filled_qty: decimal,
  filled_avg_price: optDecimal,
  order_class: z.string().nullish(),
  type: z.string(),
  side: z.enum(['buy', 'sell']),
  time_in_force: z.string(),
  limit_price: optDecimal,
  stop_price: optDecimal,
  trail_price: optDecimal,
  trail_percent: optDecimal,
  status: z.enum(ALPACA_ORDER_STATUSES),
  extended_hours: z.boolean().optional(),
  get legs() {
    return z.array(alpacaOrderSchema).nullish();
  },
});
export type AlpacaOrder = z.infer<typeof alpacaOrderSchema>;

export const alpacaOrdersSchema = z.array(alpacaOrderSchema);

export const alpacaAccountSchema = z.object({
  id: z.string(),
  status: z.string(),
  currency: z.string(),
  cash: decimal,
  buying_power: decimal,
  equity: decimal,
  pattern_day_trader: z.boolean().optional(),
  trading_blocked: z.boolean().optional(),
});
export type AlpacaAccount = z.infer<typeof alpacaAccountSchema>;

export const alpacaPositionSchema = z.object({
  symbol: z.string(),
  qty: decimal,
  side: z.enum(['long', 'short']),
  avg_entry_price: decimal,
});
export const alpacaPositionsSchema = z.array(alpacaPositionSchema);
export type AlpacaPosition = z.infer<typeof alpacaPositionSchema>;

/** One FILL account activity: an execution of an order, what recovery applies for fills missed while down. */
export const alpacaFillActivitySchema = z.object({
  id: z.string(),
  activity_type: z.literal('FILL'),
  transaction_time: z.string(),
  type: z.string(),
  price: decimal,
  qty: decimal,
  side: z.string(),
  symbol: z.string(),
  order_id: z.string(),
  cum_qty: decimal.optional(),
  leaves_qty: decimal.optional(),
});
export const alpacaFillActivitiesSchema = z.array(alpacaFillActivitySchema);
export type AlpacaFillActivity = z.infer<typeof alpacaFillActivitySchema>;

export const alpacaErrorSchema = z.object({ code: z.number().optional(), message: z.string() });

export const TRADE_EVENTS = [
  'new',
  'fill',
  'partial_fill',
  'canceled',
  'expired',
  'done_for_day',
  'replaced',
  'rejected',
  'pending_new',
  'stopped',
  'pending_cancel',
  'pending_replace',
  'calculated',
  'suspended',
  'order_replace_rejected',
  'order_cancel_rejected',
] as const;
export type TradeEventKind = (typeof TRADE_EVENTS)[number];

export const tradeUpdateSchema = z.object({
  event: z.enum(TRADE_EVENTS),
  execution_id: z.string().optional(),
  timestamp: z.string().optional(),
  price: optDecimal,
  qty: optDecimal,
  position_qty: optDecimal,
  order: alpacaOrderSchema,
});
export type TradeUpdate = z.infer<typeof tradeUpdateSchema>;

/** Every frame of the trading stream: `{stream, data}`. */
export const streamFrameSchema = z.object({ stream: z.string(), data: z.unknown() });
export const authorizationSchema = z.object({ action: z.string().optional(), status: z.string() });
export const listeningSchema = z.object({ streams: z.array(z.string()) });
