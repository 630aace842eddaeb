// The admin page's system status in words: `GET /system/status` holds nested objects (memory, database,
// session) that a person should read as a sentence, not as JSON. Pure, unit-tested.

import { dateTime, num } from './format.js';

const MIB = 1024 * 1024;

function record(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** 42 → "42 s", 4000 → "1 h 6 min", 200000 → "2 d 7 h". */
export function duration(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** Any value as text: numbers with separators, objects as "key value, …" (nested ones the same way), never JSON braces. */
export function plain(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return num(v, Number.isInteger(v) ? 0 : 2);
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map(plain).join(', ');
  const r = record(v);
  if (r === null) return String(v);
  return Object.entries(r)
    .filter(([, x]) => x !== null && x !== undefined)
    .map(([k, x]) => `${k} ${plain(x)}`)
    .join(', ');
}

function memory(v: unknown): string {
  const m = record(v);
  if (m === null) return plain(v);
  const mib = (x: unknown): string => (typeof x === 'number' ? `${num(x / MIB, 1)} MiB` : '–');
  return `${mib(m.rssBytes)} resident, ${mib(m.heapUsedBytes)} JavaScript heap`;
}

function database(v: unknown): string {
  const d = record(v);
  if (d === null) return plain(v);
  return `${String(d.engine ?? '?')}${d.timescale === true ? ' with TimescaleDB' : ''}`;
}

function session(v: unknown): string {
  const s = record(v);
  if (s === null) return plain(v);
  const parts = [`${String(s.id ?? 'session')}: ${String(s.state ?? '?')}`];
  if (typeof s.step === 'number') parts.push(typeof s.steps === 'number' ? `step ${num(s.step, 0)} of ${num(s.steps, 0)}` : `step ${num(s.step, 0)}`);
  if (typeof s.marketTime === 'number') parts.push(`market time ${dateTime(s.marketTime)}`);
  if (typeof s.source === 'string') parts.push(s.source);
  if (typeof s.stepIntervalMs === 'number') parts.push(`${num(s.stepIntervalMs, 0)} ms a step`);
  if (Array.isArray(s.strategies)) parts.push(`strategies ${plain(s.strategies)}`);
  if (typeof s.killSwitch === 'string') parts.push(`kill switch ${s.killSwitch === 'reset' ? 'armed' : s.killSwitch}`);
  if (typeof s.failure === 'string') parts.push(`failed: ${s.failure}`);
  if (s.waiting !== null && s.waiting !== undefined) parts.push(`waiting: ${plain(s.waiting)}`);
  if (s.dataStale !== null && s.dataStale !== undefined) parts.push(`data stale: ${plain(s.dataStale)}`);
  return parts.join(' · ');
}

const LABELS: Record<string, [string, (v: unknown) => string]> = {
  version: ['Version', plain],
  uptimeSec: ['Up for', (v) => (typeof v === 'number' ? duration(v) : plain(v))],
  memory: ['Memory', memory],
  database: ['Database', database],
  cache: ['Cache', plain],
  session: ['Session', session],
};

/** Rows of [label, text] for the status table, known keys first in their order, then any others as sent. */
export function systemRows(status: Readonly<Record<string, unknown>>): [string, string][] {
  const known = Object.keys(LABELS).filter((k) => k in status);
  const rest = Object.keys(status).filter((k) => !(k in LABELS));
  return [...known.map((k): [string, string] => {
    const [label, fmt] = LABELS[k] as [string, (v: unknown) => string];
    return [label, fmt(status[k])];
  }), ...rest.map((k): [string, string] => [k, plain(status[k])])];
}
