// Progress on stderr for long jobs: a redrawn bar on a terminal, a line every 10% otherwise.

export type ProgressFn = (done: number, total: number) => void;

export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressFn {
  const start = performance.now();
  let lastDecile = -1;
  return (done, total) => {
    if (total <= 0) return;
    const frac = Math.min(1, done / total);
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(frac * width);
      const elapsed = (performance.now() - start) / 1000;
      // Remaining time at the average pace so far; unknown until something is done.
      const eta = done > 0 && frac < 1 ? ` eta ${((elapsed * (total - done)) / done).toFixed(1)}s` : '';
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${elapsed.toFixed(1)}s${eta}`);
      if (frac >= 1) stream.write('\n');
      return;
    }
    const decile = Math.floor(frac * 10);
    if (decile > lastDecile) {
      lastDecile = decile;
      stream.write(`${label}: ${decile * 10}% (${done}/${total})\n`);
    }
  };
}
