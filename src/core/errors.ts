// One catalogue of coded errors. Messages name the bad value and where it came from; tests assert on codes.

export const ERROR_CODES = {
  PI5_ERR_BAD_BAR: { exit: 2, what: 'a bar is invalid' },
  PI5_ERR_BAD_CSV: { exit: 2, what: 'a CSV file cannot be read' },
  PI5_ERR_BAD_ORDER: { exit: 2, what: 'an order request is invalid' },
  PI5_ERR_BAD_PARAM: { exit: 2, what: 'a strategy parameter is invalid' },
  PI5_ERR_BAD_CONFIG: { exit: 2, what: 'configuration is invalid' },
  PI5_ERR_BAD_USAGE: { exit: 2, what: 'the command line is invalid' },
  PI5_ERR_UNKNOWN_STRATEGY: { exit: 2, what: 'no strategy has this id or path' },
  PI5_ERR_BAD_STRATEGY: { exit: 2, what: 'a strategy module does not export a strategy' },
  PI5_ERR_BAD_TRANSITION: { exit: 1, what: 'an order state transition is not allowed' },
  PI5_ERR_NO_DATA: { exit: 2, what: 'no bars to run on' },
  PI5_ERR_IO: { exit: 1, what: 'a file could not be read or written' },
  PI5_ERR_DB: { exit: 1, what: 'a database statement failed or the database is unreachable' },
  PI5_ERR_MIGRATION: { exit: 1, what: 'the database schema does not match the known migrations' },
  PI5_ERR_BAD_CACHE_ARG: { exit: 1, what: 'a cache call got an invalid TTL, limit, window or key prefix' },
  PI5_ERR_PROVIDER: { exit: 1, what: 'a market data provider failed, timed out or kept refusing' },
  PI5_ERR_PROVIDER_PAYLOAD: { exit: 1, what: 'a market data provider answered with a payload we cannot read' },
  PI5_ERR_UNKNOWN_SYMBOL: { exit: 2, what: 'a market data provider does not know the symbol' },
  PI5_ERR_RATE_LIMITED: { exit: 1, what: "a provider's request budget is used up or it answered with a throttle message" },
  PI5_ERR_CIRCUIT_OPEN: { exit: 1, what: "a provider's circuit breaker is open after repeated failures" },
  PI5_ERR_UNAUTHENTICATED: { exit: 1, what: 'credentials or a token are missing, wrong, expired or revoked' },
  PI5_ERR_FORBIDDEN: { exit: 1, what: 'the role of the user does not allow this' },
  PI5_ERR_BAD_PASSWORD: { exit: 2, what: 'a new password does not meet the password policy' },
  PI5_ERR_BAD_USERNAME: { exit: 2, what: 'a username is invalid' },
  PI5_ERR_USER_EXISTS: { exit: 2, what: 'a user with this name already exists' },
  PI5_ERR_UNKNOWN_USER: { exit: 2, what: 'no user has this name or id' },
  PI5_ERR_NOT_FOUND: { exit: 2, what: 'no resource has this id' },
  PI5_ERR_CONFLICT: { exit: 1, what: 'the resource is not in a state that allows this' },
  PI5_ERR_BACKUP: { exit: 1, what: 'a backup or restore failed, or a backup file does not fit the configured database' },
  PI5_ERR_CHECK_FAILED: { exit: 1, what: '`pi5 doctor` found a problem that stops the installation from working' },
  PI5_ERR_INTERNAL: { exit: 1, what: 'an internal invariant failed' },
  PI5_ERR_PORT_IN_USE: { exit: 1, what: 'the listen address is taken or not allowed' },
  PI5_ERR_BAD_REQUEST: { exit: 2, what: 'a request parameter or body field is malformed or out of bounds' },
  PI5_ERR_BROKER: { exit: 1, what: 'a broker refused a request, answered with something we cannot read, or could not be reached' },
  PI5_ERR_NOTIFY: { exit: 1, what: 'a notification channel could not deliver a message' },
  PI5_ERR_BROKER_CONNECT: { exit: 1, what: 'a broker (TWS / IB Gateway) refused or did not answer the connection at start' },
  PI5_ERR_QUEUE: { exit: 1, what: 'the trial queue (Redis) is unreachable, or a distributed trial failed on a worker' },
  PI5_ERR_CANCELED: { exit: 1, what: 'the command was interrupted (Ctrl-C) before it had a result' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class Pi5Error extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'Pi5Error';
    this.code = code;
    this.details = details;
  }

  /** Process exit code: 2 for bad usage or input, 1 for other failures (DESIGN.md §12). */
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}

/**
 * True for our coded errors, also when thrown by a second copy of this module (a user's TypeScript
 * strategy compiled on load imports its own copy, so `instanceof` alone would miss it).
 */
export function isPi5Error(e: unknown): e is Pi5Error {
  if (e instanceof Pi5Error) return true;
  if (!(e instanceof Error) || e.name !== 'Pi5Error') return false;
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && code in ERROR_CODES;
}

/** The process exit code for any error: 2 for bad usage or input, 1 otherwise. */
export function exitCodeOf(e: unknown): number {
  return isPi5Error(e) ? ERROR_CODES[e.code].exit : 1;
}
