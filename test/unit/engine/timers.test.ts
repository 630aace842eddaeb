// Strategy timers: TimerQueue fires in time order (ties in the order set), repeats after `now`, and the
// kernel fires due timers before the bars of each time step.

import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../../src/engine/backtestRunner.js';
import { TimerQueue } from '../../../src/engine/timers.js';
import { defineStrategy } from '../../../src/strategy/api.js';
import { day, series, type Row } from './fixtures.js';

type Fired = Array<[string, string, number]>;

function queue(): { q: TimerQueue<string>; fired: Fired; fire: (now: number) => void } {
  const q = new TimerQueue<string>();
  const fired: Fired = [];
  return { q, fired, fire: (now) => q.fireDue(now, (owner, name, at) => fired.push([owner, name, at])) };
}

describe('TimerQueue', () => {
  it('fires due timers in time order, ties in the order they were set', () => {
    const { q, fired, fire } = queue();
    q.set('s1', 'late', 300);
    q.set('s1', 'tieA', 200);
    q.set('s2', 'early', 100);
    q.set('s2', 'tieB', 200);
    fire(250);
    expect(fired).toEqual([
      ['s2', 'early', 100],
      ['s1', 'tieA', 200],
      ['s2', 'tieB', 200],
    ]);
    expect(q.nextAt).toBe(300);
  });

  it('fires a timer exactly at its time, not before', () => {
    const { q, fired, fire } = queue();
    q.set('s', 't', 100);
    fire(99);
    expect(fired).toEqual([]);
    fire(100);
    expect(fired).toEqual([['s', 't', 100]]);
    expect(q.nextAt).toBe(Infinity);
  });

  it('setting the same owner and name again replaces the timer', () => {
    const { q, fired, fire } = queue();
    q.set('s', 't', 100);
    q.set('s', 't', 500);
    fire(400);
    expect(fired).toEqual([]);
    expect(q.nextAt).toBe(500);
  });

  it('the same name under different owners are different timers', () => {
    const { q, fired, fire } = queue();
    q.set('a', 't', 100);
    q.set('b', 't', 100);
    q.cancel('a', 't');
    fire(100);
    expect(fired).toEqual([['b', 't', 100]]);
  });

  it('a repeating timer fires every period', () => {
    const { q, fired, fire } = queue();
    q.set('s', 'tick', 100, 50);
    fire(100);
    fire(150);
    fire(199);
    fire(200);
    expect(fired.map((f) => f[2])).toEqual([100, 150, 200]);
    expect(q.nextAt).toBe(250);
  });

  it('a repeating timer that fell behind fires once and is rescheduled after now', () => {
    const { q, fired, fire } = queue();
    q.set('s', 'tick', 100, 50);
    fire(260);
    // Due at 100; 150, 200 and 250 are skipped; the next firing is at 300.
    expect(fired.map((f) => f[2])).toEqual([100]);
    expect(q.nextAt).toBe(300);
  });

  it('a repeating timer canceled while it fires does not come back', () => {
    const q = new TimerQueue<string>();
    const fired: number[] = [];
    q.set('s', 'tick', 100, 50);
    q.fireDue(100, (owner, name, at) => {
      fired.push(at);
      q.cancel(owner, name);
    });
    q.fireDue(1000, (_o, _n, at) => fired.push(at));
    expect(fired).toEqual([100]);
  });

  it('a timer set while firing for a time already due fires in the same pass', () => {
    const q = new TimerQueue<string>();
    const fired: string[] = [];
    q.set('s', 'first', 100);
    q.fireDue(200, (owner, name) => {
      fired.push(name);
      if (name === 'first') q.set(owner, 'second', 150);
    });
    expect(fired).toEqual(['first', 'second']);
  });

  it('a zero or negative repeat is a one-shot timer', () => {
    const { q, fired, fire } = queue();
    q.set('s', 'once', 100, 0);
    q.set('s', 'neg', 100, -5);
    fire(1000);
    expect(fired.map((f) => f[1])).toEqual(['once', 'neg']);
    expect(q.nextAt).toBe(Infinity);
  });
});

describe('timers in a backtest', () => {
  const rows: Row[] = [
    [100, 101, 99, 100],
    [102, 103, 101, 102],
    [104, 105, 103, 104],
    [106, 107, 105, 106],
  ];

  it('fire before the bars of the first step at or after their time; orders from them meet that step’s bar', () => {
    const events: Array<[string, number]> = [];
    const strategy = defineStrategy({
      id: 'timer-test',
      name: 'timer test',
      description: 'buys from a timer',
      params: {},
      create: () => ({
        onStart(ctx) {
          ctx.setTimer('noon', day(1) + 12 * 3_600_000);
          ctx.setTimer('every2d', day(0), 2 * 86_400_000);
        },
        onTimer(name, ctx) {
          events.push([`timer ${name}`, ctx.now()]);
          if (name === 'noon') ctx.buy('AAA', 10);
        },
        onBar(bar, ctx) {
          events.push([`bar`, ctx.now()]);
        },
        onFill(fill) {
          events.push([`fill ${fill.price}`, fill.ts]);
        },
      }),
    });
    runBacktest({ series: [series(rows)], strategy, cash: 100_000 });
    expect(events).toEqual([
      ['timer every2d', day(0)],
      ['bar', day(0)],
      ['bar', day(1)],
      // Day 1 noon is passed when the clock reaches day 2: the timer fires first, then day 2's bar fills the
      // order at its open (the decision was taken before that bar opened).
      ['timer noon', day(2)],
      ['timer every2d', day(2)],
      ['fill 104', day(2)],
      ['bar', day(2)],
      ['bar', day(3)],
    ]);
  });
});
