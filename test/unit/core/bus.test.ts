// The synchronous message bus: handlers of a type run in registration order; a publish keeps the handler
// list it started with; bound publishers see subscribers added after they were made.

import { describe, expect, it } from 'vitest';
import { MessageBus } from '../../../src/core/bus.js';

interface Events {
  ping: number;
  pong: string;
}

describe('MessageBus', () => {
  it('runs the handlers of a type in registration order, each once per publish', () => {
    const bus = new MessageBus<Events>();
    const seen: string[] = [];
    bus.subscribe('ping', (n) => seen.push(`a${n}`));
    bus.subscribe('ping', (n) => seen.push(`b${n}`));
    bus.subscribe('pong', (s) => seen.push(`pong ${s}`));
    bus.subscribe('ping', (n) => seen.push(`c${n}`));
    bus.publish('ping', 1);
    bus.publish('ping', 2);
    expect(seen).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'c2']);
  });

  it('delivers only to the handlers of the published type', () => {
    const bus = new MessageBus<Events>();
    const seen: string[] = [];
    bus.subscribe('pong', (s) => seen.push(s));
    bus.publish('ping', 1);
    bus.publish('pong', 'x');
    expect(seen).toEqual(['x']);
  });

  it('publishing a type nobody subscribed to does nothing', () => {
    const bus = new MessageBus<Events>();
    expect(() => bus.publish('ping', 1)).not.toThrow();
    expect(bus.hasSubscribers('ping')).toBe(false);
  });

  it('unsubscribe stops later deliveries', () => {
    const bus = new MessageBus<Events>();
    const seen: number[] = [];
    const off = bus.subscribe('ping', (n) => seen.push(n));
    bus.publish('ping', 1);
    off();
    bus.publish('ping', 2);
    expect(seen).toEqual([1]);
    expect(bus.hasSubscribers('ping')).toBe(false);
  });

  it('unsubscribing during a publish keeps that publish’s snapshot: the removed handler still runs this time', () => {
    const bus = new MessageBus<Events>();
    const seen: string[] = [];
    let offB: () => void = () => undefined;
    bus.subscribe('ping', (n) => {
      seen.push(`a${n}`);
      offB();
    });
    offB = bus.subscribe('ping', (n) => seen.push(`b${n}`));
    bus.publish('ping', 1);
    bus.publish('ping', 2);
    expect(seen).toEqual(['a1', 'b1', 'a2']);
  });

  it('a handler subscribed during a publish first runs on the next publish', () => {
    const bus = new MessageBus<Events>();
    const seen: string[] = [];
    let added = false;
    bus.subscribe('ping', (n) => {
      seen.push(`a${n}`);
      if (!added) {
        added = true;
        bus.subscribe('ping', (m) => seen.push(`late${m}`));
      }
    });
    bus.publish('ping', 1);
    bus.publish('ping', 2);
    expect(seen).toEqual(['a1', 'a2', 'late2']);
  });

  it('a bound publisher sees subscribers added after it was made, and honours unsubscribes', () => {
    const bus = new MessageBus<Events>();
    const emit = bus.publisher('ping');
    const seen: string[] = [];
    emit(0);
    const off = bus.subscribe('ping', (n) => seen.push(`a${n}`));
    bus.subscribe('ping', (n) => seen.push(`b${n}`));
    emit(1);
    off();
    emit(2);
    expect(seen).toEqual(['a1', 'b1', 'b2']);
  });

  it('a bound publisher keeps its snapshot when a handler unsubscribes another mid-publish', () => {
    const bus = new MessageBus<Events>();
    const emit = bus.publisher('ping');
    const seen: string[] = [];
    let offB: () => void = () => undefined;
    bus.subscribe('ping', (n) => {
      seen.push(`a${n}`);
      offB();
    });
    offB = bus.subscribe('ping', (n) => seen.push(`b${n}`));
    emit(1);
    emit(2);
    expect(seen).toEqual(['a1', 'b1', 'a2']);
  });

  it('calling an unsubscribe twice is harmless', () => {
    const bus = new MessageBus<Events>();
    const seen: number[] = [];
    const off = bus.subscribe('ping', (n) => seen.push(n));
    bus.subscribe('ping', (n) => seen.push(n * 10));
    off();
    off();
    bus.publish('ping', 1);
    expect(seen).toEqual([10]);
  });

  // Regression (fixed): unsubscribe filters out every registration of the same function (`handlers.filter(h => h !== handler)`),
  // so when one handler is subscribed twice, either returned unsubscribe removes both registrations.
  it('each unsubscribe removes only its own registration of a handler subscribed twice', () => {
    const bus = new MessageBus<Events>();
    const seen: number[] = [];
    const h = (n: number): void => void seen.push(n);
    const off1 = bus.subscribe('ping', h);
    bus.subscribe('ping', h);
    off1();
    bus.publish('ping', 7);
    expect(seen).toEqual([7]);
  });

  it('a handler that throws stops the publish and the error reaches the publisher', () => {
    const bus = new MessageBus<Events>();
    const seen: number[] = [];
    bus.subscribe('ping', () => {
      throw new Error('boom');
    });
    bus.subscribe('ping', (n) => seen.push(n));
    expect(() => bus.publish('ping', 1)).toThrow('boom');
    expect(seen).toEqual([]);
  });
});
