// A pause that ends early when woken: the wait between polls, reconnects or replay steps, cut short by close()
// or pause() so shutdown never waits out a timer.

export class WakeableDelay {
  private wakeCurrent: (() => void) | null = null;

  /** Resolves after ms, or as soon as wake() is called. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        if (this.wakeCurrent === done) this.wakeCurrent = null;
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wakeCurrent = done;
    });
  }

  /** Ends the pause in progress, if any. */
  wake(): void {
    this.wakeCurrent?.();
  }
}
