// Plain words for the API's error codes and the risk engine's rejection reasons, so a trader reads what
// happened and what to do instead of a code. Pure, unit-tested.

const RISK: Record<string, string> = {
  RISK_BUYING_POWER: 'Not enough buying power for this order.',
  RISK_KILL_SWITCH: 'The kill switch is tripped: no new orders until an admin resets it.',
  RISK_KILL_SWITCH_TRIPPED: 'The kill switch is tripped: no new orders until an admin resets it.',
  RISK_MAX_DAILY_LOSS: "Today's loss limit has been reached.",
  RISK_MAX_DRAWDOWN: 'The drawdown limit has been reached.',
  RISK_MAX_GROSS_EXPOSURE: 'The order would exceed the gross exposure limit.',
  RISK_MAX_NET_EXPOSURE: 'The order would exceed the net exposure limit.',
  RISK_MAX_OPEN_ORDERS: 'Too many working orders already.',
  RISK_MAX_ORDERS_PER_DAY: "Today's order count limit has been reached.",
  RISK_MAX_POSITIONS: 'Too many open positions already.',
  RISK_MAX_POSITION_NOTIONAL: 'The position would be larger than the per-position value limit.',
  RISK_MAX_POSITION_QTY: 'The position would be larger than the per-position quantity limit.',
  RISK_MIN_CASH_RESERVE: 'The order would eat into the required cash reserve.',
  RISK_MIN_PRICE: 'The price is below the minimum tradable price.',
  RISK_ORDER_RATE: 'Orders are being sent too fast; wait a moment.',
  RISK_PRICE_BAND: 'The price is too far from the market.',
  RISK_RESTRICTED_SYMBOL: 'This symbol is restricted.',
  RISK_SHORT_NOT_ALLOWED: 'Short selling is not allowed.',
  RISK_TRADING_HOURS: 'The market is outside trading hours.',
  RISK_ALLOCATION: "The order would exceed the strategy's capital allocation.",
  RISK_CORRELATION: 'The order would concentrate too much in correlated positions.',
  RISK_GROUP_CONCENTRATION: 'The order would concentrate too much in one group of symbols.',
};

const API: Record<string, string> = {
  PI5_ERR_UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
  PI5_ERR_FORBIDDEN: 'Your role does not allow this.',
  PI5_ERR_RATE_LIMITED: 'Too many attempts. Please wait a little and try again.',
  PI5_ERR_NOT_FOUND: 'Not found.',
  PI5_ERR_CONFLICT: 'Not possible in the current state.',
  PI5_ERR_BAD_PASSWORD: 'That password is not accepted.',
  PI5_ERR_BAD_ORDER: 'The order is not valid.',
  PI5_ERR_NO_DATA: 'There is no data for that selection.',
  PI5_ERR_INTERNAL: 'Something went wrong on the server.',
};

/** A venue's refusal of an auction order (the simulated exchange, or a broker without auctions), in any wording that names the time in force. */
const AUCTION_REFUSED = /time in force (OPG|CLS)\b/;

/** "RISK_BUYING_POWER: need 1000 have 10" → "Not enough buying power for this order. (need 1000 have 10)". */
export function rejectionInWords(reason: string | null | undefined): string {
  if (!reason) return '';
  const auction = AUCTION_REFUSED.exec(reason);
  if (auction) {
    const when = auction[1] === 'OPG' ? 'opening' : 'closing';
    return `This venue does not take ${auction[1]} orders (they trade in the ${when} auction): choose DAY or GTC, or trade ${auction[1]} at a broker that has auctions, such as Alpaca. (${reason})`;
  }
  const m = /^([A-Z_]+)(?::\s*|\s+|$)(.*)$/s.exec(reason);
  const code = m?.[1];
  const words = code === undefined ? undefined : RISK[code];
  if (words === undefined) return reason;
  const rest = (m?.[2] ?? '').trim();
  return rest ? `${words} (${rest})` : words;
}

/** The plain message for an API error: the server's message is specific, the code's words are the fallback. */
export function apiErrorInWords(code: string, message: string | undefined): string {
  const words = API[code];
  if (message && message.trim()) {
    // Reject reasons nested in a message (a modify refused by risk) get their words too.
    const risk = /\b(RISK_[A-Z_]+)\b/.exec(message);
    const riskWords = risk?.[1] === undefined ? undefined : RISK[risk[1]];
    return riskWords ? `${riskWords} (${message})` : message;
  }
  return words ?? code;
}
