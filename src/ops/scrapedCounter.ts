// A Prometheus counter whose values are counts kept elsewhere (the backup scheduler's runs, the cache's lookups,
// the notifier's deliveries): read at each scrape, one series per label value. The sources only ever count up,
// so setting the counter to their totals keeps it monotonic, as Prometheus expects.

import { Counter, type Registry } from 'prom-client';

/** Registers `name` with one label; `read` returns the current total for each label value (all always present). */
export function registerScrapedCounter(registry: Registry, name: string, help: string, label: string, read: () => Iterable<readonly [string, number]>): void {
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, total] of read()) this.inc({ [label]: value }, total);
    },
  });
}
