// The order ticket's rules, checked before sending: which prices an order type needs, positive numbers,
// a stop-limit's limit on the right side of its stop. Builds the POST /orders body. Pure, unit-tested.

export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop-limit', 'trailing-stop'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];
export const TIFS = ['DAY', 'GTC', 'IOC', 'FOK', 'OPG', 'CLS'] as const;
/** What each time in force means, for the ticket's choices. */
export const TIF_LABELS: Record<(typeof TIFS)[number], string> = {
  DAY: 'DAY (until the close)',
  GTC: 'GTC (until canceled)',
  IOC: 'IOC (fill now, cancel the rest)',
  FOK: 'FOK (fill all now or nothing)',
  OPG: 'OPG (opening auction)',
  CLS: 'CLS (closing auction)',
};

/** Opening and closing auction orders: market or limit only (the API and brokers say the same). */
export function isAuction(tif: string): boolean {
  return tif === 'OPG' || tif === 'CLS';
}

export interface TicketInput {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: string;
  readonly type: OrderType;
  readonly limitPrice: string;
  readonly stopPrice: string;
  /** Trailing stops: an amount ("1.5") or a percent ("2%"). */
  readonly trail: string;
  readonly tif: string;
  /** Bracket exits (market and limit entries): blank for none. */
  readonly takeProfit: string;
  readonly stopLoss: string;
}

export interface BracketBody {
  takeProfit?: { limitPrice: number };
  stopLoss?: { stopPrice: number };
}

export interface OrderBody {
  symbol: string;
  side: 'buy' | 'sell';
  quantity: number;
  type: OrderType;
  tif: string;
  limitPrice?: number;
  stopPrice?: number;
  trailAmount?: number;
  trailPercent?: number;
  bracket?: BracketBody;
}

/** A bracket's exits wait for an entry that fills outright: market and limit entries only. */
export function canBracket(type: OrderType): boolean {
  return type === 'market' || type === 'limit';
}

export function fieldsFor(type: OrderType): { limit: boolean; stop: boolean; trail: boolean } {
  return { limit: type === 'limit' || type === 'stop-limit', stop: type === 'stop' || type === 'stop-limit', trail: type === 'trailing-stop' };
}

function positive(text: string): number | null {
  const t = text.trim();
  if (!/^\d+(\.\d+)?$|^\.\d+$/.test(t)) return null;
  const x = Number(t);
  return x > 0 ? x : null;
}

/** The request body, or the problems keyed by field (in plain words). */
export function buildOrder(t: TicketInput): { body: OrderBody | null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const symbol = t.symbol.trim().toUpperCase();
  if (!/^[A-Z0-9.:_/-]{1,32}$/.test(symbol)) errors.symbol = 'Enter a symbol (letters and digits).';
  const quantity = positive(t.quantity);
  if (quantity === null) errors.quantity = 'Enter a quantity above zero.';
  const need = fieldsFor(t.type);
  const body: OrderBody = { symbol, side: t.side, quantity: quantity ?? 0, type: t.type, tif: t.tif };
  if (need.limit) {
    const p = positive(t.limitPrice);
    if (p === null) errors.limitPrice = 'A limit order needs a limit price above zero.';
    else body.limitPrice = p;
  }
  if (need.stop) {
    const p = positive(t.stopPrice);
    if (p === null) errors.stopPrice = 'A stop order needs a stop price above zero.';
    else body.stopPrice = p;
  }
  if (need.trail) {
    const pctText = t.trail.trim().endsWith('%') ? t.trail.trim().slice(0, -1) : null;
    const p = positive(pctText ?? t.trail);
    if (p === null) errors.trail = 'Enter the trail as an amount (1.50) or a percent (2%).';
    else if (pctText !== null) body.trailPercent = p;
    else body.trailAmount = p;
  }
  if (t.type === 'stop-limit' && body.limitPrice !== undefined && body.stopPrice !== undefined) {
    // A buy stop-limit whose limit is below its stop (or a sell's above) can never fill once triggered.
    if (t.side === 'buy' ? body.limitPrice < body.stopPrice : body.limitPrice > body.stopPrice) {
      errors.limitPrice = t.side === 'buy' ? 'A buy stop-limit needs its limit at or above the stop.' : 'A sell stop-limit needs its limit at or below the stop.';
    }
  }
  if (isAuction(t.tif) && t.type !== 'market' && t.type !== 'limit') errors.tif = `${t.tif} (an auction order) takes a market or limit order only.`;
  if (canBracket(t.type)) bracketInto(t, body, errors);
  return { body: Object.keys(errors).length === 0 ? body : null, errors };
}

/** Take-profit and stop-loss: each optional, positive, and on its side (a buy's take-profit above its stop-loss and its limit). */
function bracketInto(t: TicketInput, body: OrderBody, errors: Record<string, string>): void {
  const tpText = t.takeProfit.trim();
  const slText = t.stopLoss.trim();
  if (tpText === '' && slText === '') return;
  const bracket: BracketBody = {};
  if (tpText !== '') {
    const p = positive(tpText);
    if (p === null) errors.takeProfit = 'Enter a take-profit price above zero, or leave it empty.';
    else bracket.takeProfit = { limitPrice: p };
  }
  if (slText !== '') {
    const p = positive(slText);
    if (p === null) errors.stopLoss = 'Enter a stop-loss price above zero, or leave it empty.';
    else bracket.stopLoss = { stopPrice: p };
  }
  const tp = bracket.takeProfit?.limitPrice;
  const sl = bracket.stopLoss?.stopPrice;
  const buy = t.side === 'buy';
  if (tp !== undefined && sl !== undefined && (buy ? tp <= sl : tp >= sl)) {
    errors.takeProfit = buy ? 'A buy’s take-profit must be above its stop-loss.' : 'A sell’s take-profit must be below its stop-loss.';
  }
  const entry = body.limitPrice;
  if (entry !== undefined && tp !== undefined && (buy ? tp <= entry : tp >= entry)) {
    errors.takeProfit = buy ? 'A buy’s take-profit must be above its limit price.' : 'A sell’s take-profit must be below its limit price.';
  }
  if (entry !== undefined && sl !== undefined && (buy ? sl >= entry : sl <= entry)) {
    errors.stopLoss = buy ? 'A buy’s stop-loss must be below its limit price.' : 'A sell’s stop-loss must be above its limit price.';
  }
  body.bracket = bracket;
}

/** Statuses in which an order can still be modified or canceled. */
export function isWorking(status: string): boolean {
  return ['new', 'submitted', 'accepted', 'partially_filled', 'pending_replace'].includes(status);
}
