// Wraps driver errors as PI5_ERR_DB naming the statement, so a failed query says what it was doing.

import { Pi5Error } from '../core/errors.js';

export function dbError(what: string, error: unknown): Pi5Error {
  const e = error as { message?: string; code?: string; detail?: string };
  const detail = e.detail ? ` (${e.detail})` : '';
  return new Pi5Error('PI5_ERR_DB', `${what}: ${e.message ?? String(error)}${detail}`, {
    ...(e.code === undefined ? {} : { sqlState: e.code }),
  });
}

/** First line of a statement, for error messages. */
export function sqlHead(sql: string): string {
  const line = sql.trim().split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** Runs one driver call; its failure becomes PI5_ERR_DB "<kind> failed: <first line of the SQL>". */
export async function guarded<T>(kind: 'query' | 'statement' | 'copy', sql: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw dbError(`${kind} failed: ${sqlHead(sql)}`, e);
  }
}
