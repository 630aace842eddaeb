// The TWS / IB Gateway socket framing: a 4-byte big-endian length before every message, fields as text each
// ended by a NUL byte, and the one unframed opening ("API\0" then a framed version range). Both our client and
// the test fake frame through here; what the fields mean lives in messages.ts.

/** A message field as sent: text, number or flag; null and undefined go out as an empty field (IB's "unset"). */
export type WireField = string | number | boolean | null | undefined;

function fieldText(f: WireField): string {
  if (f === null || f === undefined) return '';
  if (typeof f === 'boolean') return f ? '1' : '0';
  return String(f);
}

/** One framed message of `fields`. */
export function frame(fields: readonly WireField[]): Buffer {
  const body = Buffer.from(fields.map((f) => fieldText(f) + '\0').join(''), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** The client's opening: "API\0" and the framed range of protocol versions it speaks ("v151..151"). */
export function handshake(minVersion: number, maxVersion: number): Buffer {
  const range = Buffer.from(`v${minVersion}..${maxVersion}`, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(range.length, 0);
  return Buffer.concat([Buffer.from('API\0', 'latin1'), head, range]);
}

/** The largest message we accept: TWS never sends one near this, so a bigger length means a broken stream. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Splits a byte stream into messages of fields; bytes of a message not yet complete wait for the next chunk. */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  /** Adds a chunk; returns every message it completed, in order. */
  push(chunk: Buffer): string[][] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const out: string[][] = [];
    while (this.pending.length >= 4) {
      const len = this.pending.readUInt32BE(0);
      if (len > MAX_MESSAGE_BYTES) throw new Error(`IB stream broken: a message claims ${len} bytes`);
      if (this.pending.length < 4 + len) break;
      const text = this.pending.subarray(4, 4 + len).toString('utf8');
      this.pending = this.pending.subarray(4 + len);
      const fields = text.split('\0');
      // Every field ends with NUL, so the split leaves one empty string after the last.
      if (fields.length > 0 && fields[fields.length - 1] === '') fields.pop();
      out.push(fields);
    }
    return out;
  }
}

/** Reads fields in order, with the parsing IB's text needs (empty is unset). */
export class FieldCursor {
  private i = 0;
  constructor(private readonly fields: readonly string[], private readonly what: string) {}

  str(): string {
    const v = this.fields[this.i++];
    if (v === undefined) throw new Error(`IB ${this.what}: message ends before field ${this.i}`);
    return v;
  }
  int(): number {
    const s = this.str();
    if (s === '') return 0;
    const n = Number.parseInt(s, 10);
    if (!Number.isFinite(n)) throw new Error(`IB ${this.what}: field ${this.i} is not an integer: ${JSON.stringify(s)}`);
    return n;
  }
  num(): number {
    const s = this.str();
    if (s === '') return 0;
    const n = Number(s);
    if (!Number.isFinite(n)) throw new Error(`IB ${this.what}: field ${this.i} is not a number: ${JSON.stringify(s)}`);
    return n;
  }
  skip(n: number): void {
    this.i += n;
  }
  get remaining(): number {
    return this.fields.length - this.i;
  }
}
