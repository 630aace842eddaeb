// How trials and data sets travel through Redis: JSON that keeps every number exactly (NaN, ±Infinity and
// -0 are tagged, since plain JSON turns them into null or 0), canonical key order for content hashes, and the
// shared bar columns packed into one buffer so a data set is published once and fetched once per worker.

import { createHash } from 'node:crypto';
import { Pi5Error } from '../../core/errors.js';
import type { SharedSeries } from '../sharedSeries.js';

const TAG = '$num';

function tagNumbers(_key: string, v: unknown): unknown {
  if (typeof v !== 'number') return v;
  if (Number.isNaN(v)) return { [TAG]: 'NaN' };
  if (v === Infinity) return { [TAG]: 'Infinity' };
  if (v === -Infinity) return { [TAG]: '-Infinity' };
  if (Object.is(v, -0)) return { [TAG]: '-0' };
  return v;
}

function untagNumbers(_key: string, v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const keys = Object.keys(v);
  if (keys.length !== 1 || keys[0] !== TAG) return v;
  const t = (v as Record<string, unknown>)[TAG];
  return t === 'NaN' ? NaN : t === 'Infinity' ? Infinity : t === '-Infinity' ? -Infinity : t === '-0' ? -0 : v;
}

/** Objects with their keys sorted, so equal values give equal text (and equal hashes). */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sorted(o[k])]));
}

/** Keeps key order (a trial's params and metrics come back in the order the local run writes them). */
export function encodeJson(v: unknown): string {
  return JSON.stringify(v, tagNumbers);
}

/** Keys sorted: the text to hash, equal for equal values whatever order their keys were set in. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sorted(v), tagNumbers);
}

export function decodeJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text, untagNumbers) as unknown;
  } catch (e) {
    throw new Pi5Error('PI5_ERR_QUEUE', `${where}: not readable: ${(e as Error).message}`);
  }
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

interface SeriesHeader {
  readonly symbol: string;
  readonly timeframe: SharedSeries['timeframe'];
  readonly priceDecimals: number;
  readonly length: number;
}

/** The series as one buffer: a 4-byte header length, the JSON header, then each series' columns (8-byte aligned). */
export function packSeries(series: readonly SharedSeries[]): Buffer {
  const header: SeriesHeader[] = series.map((s) => ({ symbol: s.symbol, timeframe: s.timeframe, priceDecimals: s.priceDecimals, length: s.length }));
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const start = Math.ceil((4 + head.length) / 8) * 8;
  const out = Buffer.alloc(start + series.reduce((n, s) => n + s.buffer.byteLength, 0));
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  let at = start;
  for (const s of series) {
    out.set(new Uint8Array(s.buffer), at);
    at += s.buffer.byteLength;
  }
  return out;
}

/** Unpacks into fresh SharedArrayBuffers (the trial pool's threads view them without copying). */
export function unpackSeries(buf: Buffer, where: string): SharedSeries[] {
  const fail = (why: string): Pi5Error => new Pi5Error('PI5_ERR_QUEUE', `${where}: not a packed data set: ${why}`);
  if (buf.length < 4) throw fail('too short');
  const headLength = buf.readUInt32LE(0);
  if (4 + headLength > buf.length) throw fail('header runs past the end');
  const header = decodeJson(buf.subarray(4, 4 + headLength).toString('utf8'), where) as SeriesHeader[];
  let at = Math.ceil((4 + headLength) / 8) * 8;
  return header.map((h) => {
    const bytes = h.length * 8 * 6;
    if (at + bytes > buf.length) throw fail(`series ${h.symbol} runs past the end`);
    const buffer = new SharedArrayBuffer(bytes);
    new Uint8Array(buffer).set(buf.subarray(at, at + bytes));
    at += bytes;
    return { ...h, buffer };
  });
}
