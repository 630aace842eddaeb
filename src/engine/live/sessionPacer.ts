// The wait between a running session's steps: a replay sleeps its wall-clock interval, a live session waits
// for the market to close its next step. Either wait ends at once when the session pauses or stops.

import { WakeableDelay } from '../../core/wakeableDelay.js';
import type { LiveStepSource } from './liveStepSource.js';
import type { ReplayFeed } from './replayFeed.js';
import type { EndlessSyntheticFeed } from './endlessSyntheticFeed.js';

export class StepPacer {
  private readonly delay = new WakeableDelay();

  constructor(
    private readonly feed: ReplayFeed | EndlessSyntheticFeed | LiveStepSource,
    /** Wall-clock ms between replayed steps (unused live). */
    public intervalMs: number,
  ) {}

  /** Runs `step`, then waits, for as long as `running()` holds. */
  async run(running: () => boolean, step: () => Promise<void>): Promise<void> {
    while (running()) {
      await step();
      if (!running()) return;
      await this.wait();
    }
  }

  wait(): Promise<void> {
    return this.feed.kind === 'live' ? this.feed.waitForStep() : this.delay.sleep(this.intervalMs);
  }

  wake(): void {
    this.delay.wake();
    if (this.feed.kind === 'live') this.feed.wake();
  }
}
