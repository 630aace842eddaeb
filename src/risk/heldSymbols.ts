// The symbols with a position, kept by the risk engine from fills. Held as an array in the order a Set would
// iterate them (first held first; a symbol closed and reopened moves to the end), so the per-order scans
// walk a plain array instead of a Set iterator and sum in the same order as before.

export class HeldSymbols {
  private readonly set: Set<string>;
  private readonly list: string[];

  constructor(initial: Iterable<string>) {
    this.set = new Set(initial);
    this.list = [...this.set];
  }

  /** A fill left `symbol` with `quantity`. */
  update(symbol: string, quantity: number): void {
    if (quantity !== 0) {
      if (this.set.has(symbol)) return;
      this.set.add(symbol);
      this.list.push(symbol);
    } else if (this.set.delete(symbol)) {
      this.list.splice(this.list.indexOf(symbol), 1);
    }
  }

  symbols(): readonly string[] {
    return this.list;
  }
}
