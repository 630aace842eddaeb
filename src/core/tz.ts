// Exchange-local calendar arithmetic for session logic (DAY orders, opening ranges, forced exits).
// Offsets come from Intl and are cached per UTC quarter hour (zones change at :00, :30 or :45), so per-bar
// calls stay cheap.

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, number>();
const QUARTER_MS = 900_000;
const DAY_MS = 86_400_000;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at instant `ts`, in ms (New York in winter: −5 h). */
export function zoneOffsetMs(ts: number, timeZone: string): number {
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return 0;
  const quarter = Math.floor(ts / QUARTER_MS);
  const key = `${timeZone}|${quarter}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(quarter * QUARTER_MS))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  const offset = asUtc - quarter * QUARTER_MS;
  if (offsetCache.size > 100_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** Local calendar day number (days since 1970-01-01 in the zone's wall time). */
export function localDayKey(ts: number, timeZone: string): number {
  return Math.floor((ts + zoneOffsetMs(ts, timeZone)) / DAY_MS);
}

/** Minutes since local midnight in the zone. */
export function localMinuteOfDay(ts: number, timeZone: string): number {
  const local = ts + zoneOffsetMs(ts, timeZone);
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / 60_000);
}

/** Parses 'HH:MM' to minutes since midnight; NaN when malformed. */
export function parseClockTime(text: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!m) return NaN;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : NaN;
}

/** True when the runtime knows `zone` as an IANA time zone (e.g. America/New_York). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
