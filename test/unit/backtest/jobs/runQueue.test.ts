import { describe, expect, it } from 'vitest';
import { RunQueue } from '../../../../src/backtest/jobs/runQueue.js';

describe('RunQueue', () => {
  it('starts at most `concurrency` runs and the next one when a started run is released', () => {
    const q = new RunQueue(2);
    const started: number[] = [];
    const pump = (): void => q.pump(() => true, (id) => started.push(id));
    for (const id of [1, 2, 3, 4]) q.enqueue(id);
    pump();
    expect(started).toEqual([1, 2]);
    q.release(2);
    pump();
    expect(started).toEqual([1, 2, 3]);
  });

  it('frees no slot for a run that never started (canceled while queued), and none twice', () => {
    const q = new RunQueue(1);
    const started: number[] = [];
    const pump = (): void => q.pump((id) => id !== 2, (id) => started.push(id));
    for (const id of [1, 2, 3]) q.enqueue(id);
    pump();
    q.release(3); // queued, not started
    q.release(99); // unknown
    pump();
    expect(started).toEqual([1]);
    q.release(1);
    q.release(1);
    pump();
    // 2 was skipped by `take` (it ended while queued) without taking a slot; 3 runs alone.
    expect(started).toEqual([1, 3]);
  });
});
