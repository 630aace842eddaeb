// The coded reasons a broker venue gives when a broker refuses an order, replace or cancel: every broker maps its
// own refusals onto these, so risk reports, notifications and tests match on one code whichever broker said no.
// A rejection reason reads `CODE: broker's own words` (e.g. `INSUFFICIENT_BUYING_POWER: alpaca HTTP 403 ...`).

export const BROKER_REFUSALS = {
  INSUFFICIENT_BUYING_POWER: 'the account lacks the buying power (or shares) for the order',
  PATTERN_DAY_TRADER: 'pattern day trader protection refused the order',
  WASH_TRADE: 'the order could trade against one of our own working orders',
  INVALID_ORDER: 'the broker found the order malformed or not allowed (qty, price, type or time in force)',
  FORBIDDEN: 'the account may not place this order (blocked, asset not tradable, permissions)',
  RATE_LIMITED: 'the broker throttled requests and kept doing so through every retry',
  UNKNOWN_ORDER: 'the broker does not know the order',
  NOT_CANCELABLE: 'the order is already finished or being changed at the broker',
  BROKER_ERROR: 'the broker refused for another reason',
} as const;

export type BrokerRefusalCode = keyof typeof BROKER_REFUSALS;

/** The rejection reason text for a refusal: the code first, so it can be matched, then the broker's words. */
export function refusalReason(code: BrokerRefusalCode, detail: string): string {
  return `${code}: ${detail}`;
}

/** The code at the start of a rejection reason, or null for a reason that is not a broker refusal. */
export function refusalCodeOf(reason: string | null): BrokerRefusalCode | null {
  const code = reason?.split(':', 1)[0] ?? '';
  return code in BROKER_REFUSALS ? (code as BrokerRefusalCode) : null;
}
