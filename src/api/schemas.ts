// JSON Schemas shared by routes (Fastify validates requests and serializes responses with them, and the
// OpenAPI document is built from them).

export type JsonSchema = Readonly<Record<string, unknown>>;

export const str = { type: 'string' } as const;
export const num = { type: 'number' } as const;
export const int = { type: 'integer' } as const;
export const bool = { type: 'boolean' } as const;
export const nullable = (s: JsonSchema): JsonSchema => ({ anyOf: [s, { type: 'null' }] });
export const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
/** Text a client sends (body, query or path): bounded length and no NUL or control characters. Every text input
 * uses this one helper (edgeGuard.ts enforces the same rule on routes that forget). `pattern` narrows it further. */
export function text(maxLength: number, minLength = 0, pattern?: string): JsonSchema {
  const noControl = '^[^\\u0000-\\u001f\\u007f]*$';
  const base = { type: 'string', minLength, maxLength };
  return pattern === undefined ? { ...base, pattern: noControl } : { ...base, allOf: [{ pattern: noControl }, { pattern }] };
}
/** A whole number within bounds (query and path numbers arrive as text and are coerced; bounds keep them finite and
 * inside what a PostgreSQL bigint and a JS safe integer both hold). */
export const intIn = (minimum: number, maximum: number = Number.MAX_SAFE_INTEGER): JsonSchema => ({ type: 'integer', minimum, maximum });
/** A database row id: 1 up to the largest safe integer. */
export const idParam = intIn(1);
/** A finite number strictly above 0 and below `maximum`. */
export const positiveIn = (maximum: number): JsonSchema => ({ type: 'number', exclusiveMinimum: 0, maximum });
/** Default length bound of a free-text query or path value (a symbol, strategy id, username, action name). */
export const NAME_MAX = 64;
/** An object whose listed properties are all required unless named in `optional`. */
export function obj(properties: Record<string, JsonSchema>, optional: readonly string[] = [], extra = false): JsonSchema {
  return { type: 'object', properties, required: Object.keys(properties).filter((k) => !optional.includes(k)), additionalProperties: extra };
}
/** Any JSON object (results whose shape is documented elsewhere, e.g. the backtest result). */
export const anyObject = { type: 'object', additionalProperties: true } as const;

export const errorSchema = obj({ error: obj({ code: str, message: str, details: anyObject }) });

export const orderSchema = obj({
  id: int,
  clientOrderId: str,
  brokerOrderId: nullable(str),
  symbol: str,
  side: { type: 'string', enum: ['buy', 'sell'] },
  quantity: num,
  type: str,
  limitPrice: nullable(num),
  stopPrice: nullable(num),
  trailAmount: nullable(num),
  trailPercent: nullable(num),
  tif: str,
  tag: nullable(str),
  parentId: nullable(int),
  ocoGroup: nullable(str),
  role: nullable(str),
  strategyId: nullable(str),
  createdAt: num,
  status: str,
  filledQuantity: num,
  avgFillPrice: num,
  updatedAt: num,
  rejectReason: nullable(str),
}, [], true);

export const positionSchema = obj({
  symbol: str,
  quantity: num,
  avgPrice: num,
  lastPrice: nullable(num),
  marketValue: nullable(num),
  realizedPnl: num,
  unrealizedPnl: num,
});

export const portfolioSchema = obj({
  ts: nullable(num),
  step: int,
  startingCash: num,
  cash: num,
  equity: num,
  positionsValue: num,
  dayPnl: num,
  realizedPnl: num,
  unrealizedPnl: num,
  openPositions: int,
});

export const pageQuery = obj({ limit: { ...intIn(1, 1000), default: 100 }, offset: { ...intIn(0, 1_000_000_000), default: 0 } }, ['limit', 'offset']);

/** A page of items: the items, the total before paging, and the page bounds used. */
export const page = (items: JsonSchema): JsonSchema => obj({ items: arr(items), total: int, limit: int, offset: int });

export const okSchema = obj({ ok: bool });

/** Standard error responses, so the OpenAPI document lists them. */
export function withErrors(responses: Record<number, JsonSchema>, guarded = true): Record<number, JsonSchema> {
  const errors: Record<number, JsonSchema> = { 400: errorSchema };
  if (guarded) {
    errors[401] = errorSchema;
    errors[403] = errorSchema;
  }
  return { ...errors, ...responses };
}
