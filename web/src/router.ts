// Hash routes (`#/orders`): the server serves one document at `/`, so every page is reachable without a
// server-side catch-all. Pure parsing, unit-tested.

export const ROUTES = [
  { path: 'overview', label: 'Overview' },
  { path: 'orders', label: 'Orders & trades' },
  { path: 'markets', label: 'Markets' },
  { path: 'backtests', label: 'Backtests' },
  { path: 'optimization', label: 'Optimization' },
  { path: 'strategies', label: 'Strategies' },
  { path: 'risk', label: 'Risk' },
  { path: 'admin', label: 'Admin' },
] as const;

export type RoutePath = (typeof ROUTES)[number]['path'];

export interface Route {
  readonly path: RoutePath;
  /** Query parameters after the path: `#/markets?symbol=DEMOA`. */
  readonly params: Readonly<Record<string, string>>;
}

const PATHS: readonly string[] = ROUTES.map((r) => r.path);

/** Parses `location.hash`; an empty or unknown path is the overview. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = raw.split('?', 2);
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query)) params[k] = v;
  return { path: PATHS.includes(path) ? (path as RoutePath) : 'overview', params };
}

export function hrefOf(path: RoutePath, params: Record<string, string> = {}): string {
  const q = new URLSearchParams(params).toString();
  return `#/${path}${q ? `?${q}` : ''}`;
}
