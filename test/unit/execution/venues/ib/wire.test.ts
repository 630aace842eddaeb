// The TWS socket framing and the message pacer: bytes split anywhere still make whole messages; never more
// than the allowed messages in any one-second window, in order, with time moved by hand.

import { describe, expect, it } from 'vitest';
import { MessagePacer, type PacerTimers } from '../../../../../src/execution/venues/ib/pacer.js';
import { FrameReader, frame, handshake } from '../../../../../src/execution/venues/ib/wire.js';

describe('IB framing', () => {
  it('frames fields as length-prefixed NUL-ended text and reads them back from any split of the bytes', () => {
    const bytes = Buffer.concat([frame([3, 'AAA', 1.5, true, null, '']), frame([49, 1])]);
    expect(bytes.readUInt32BE(0)).toBe('3\0AAA\x001.5\x001\0\0\0'.length);
    for (let cut = 0; cut <= bytes.length; cut++) {
      const r = new FrameReader();
      const got = [...r.push(bytes.subarray(0, cut)), ...r.push(bytes.subarray(cut))];
      expect(got).toEqual([['3', 'AAA', '1.5', '1', '', ''], ['49', '1']]);
    }
  });

  it('opens with API\\0 and the framed version range', () => {
    const h = handshake(151, 151);
    expect(h.subarray(0, 4).toString('latin1')).toBe('API\0');
    expect(h.readUInt32BE(4)).toBe(9);
    expect(h.subarray(8).toString()).toBe('v151..151');
  });

  it('refuses a stream whose length prefix is absurd', () => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(0x7fffffff, 0);
    expect(() => new FrameReader().push(head)).toThrow(/stream broken/);
  });
});

describe('IB message pacer', () => {
  function manual(): PacerTimers & { advance(ms: number): void } {
    let now = 0;
    let due: { at: number; fn: () => void }[] = [];
    return {
      now: () => now,
      later(fn, ms) {
        const t = { at: now + ms, fn };
        due.push(t);
        return () => void (due = due.filter((d) => d !== t));
      },
      advance(ms) {
        now += ms;
        const ready = due.filter((d) => d.at <= now);
        due = due.filter((d) => d.at > now);
        for (const d of ready) d.fn();
      },
    };
  }

  it('sends at most the limit per window and the rest, in order, as the window frees', () => {
    const timers = manual();
    const sent: string[] = [];
    const p = new MessagePacer(3, 1000, (b) => sent.push(b.toString()), timers);
    for (const m of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) p.push(Buffer.from(m));
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(p.queued).toBe(4);
    timers.advance(999);
    expect(sent).toHaveLength(3);
    timers.advance(1);
    expect(sent).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    timers.advance(1000);
    expect(sent.join('')).toBe('abcdefg');
    expect(p.queued).toBe(0);
  });

  it('drops what waits when the connection closes', () => {
    const timers = manual();
    const sent: string[] = [];
    const p = new MessagePacer(1, 1000, (b) => sent.push(b.toString()), timers);
    p.push(Buffer.from('a'));
    p.push(Buffer.from('b'));
    p.clear();
    timers.advance(5000);
    expect(sent).toEqual(['a']);
  });
});
