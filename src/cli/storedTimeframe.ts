// The timeframe a data command works on when --timeframe is left out: the symbol's only stored one.

import { Pi5Error } from '../core/errors.js';
import type { BarStore } from '../persistence/barStore.js';

export async function storedTimeframe(store: BarStore, symbol: string, given: string | undefined): Promise<string> {
  if (given !== undefined) return given;
  const stored = (await store.list()).filter((s) => s.symbol.toUpperCase() === symbol.toUpperCase()).map((s) => s.timeframe);
  const [only] = stored;
  if (only !== undefined && stored.length === 1) return only;
  if (stored.length === 0) throw new Pi5Error('PI5_ERR_NO_DATA', `no ${symbol} bars stored (see pi5 data list)`, { symbol });
  throw new Pi5Error('PI5_ERR_BAD_USAGE', `--timeframe: ${symbol} is stored at ${stored.join(', ')}; say which`, { symbol, stored });
}
