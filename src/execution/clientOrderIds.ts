// Client order ids: `prefix-N` for order N unless the caller gives one; unique within a session, so a
// generated id steps aside (`prefix-N.1`) for a given id that took its plain form.

import { Pi5Error } from '../core/errors.js';

export class ClientOrderIds {
  /** Client ids given by callers, and generated ids that had to take a suffix to avoid one of them, by order id. */
  private readonly taken = new Map<string, number>();
  /** Orders whose client id is not the plain generated one (given, or generated with a suffix). */
  private readonly custom = new Set<number>();

  constructor(private readonly prefix: string) {}

  generated(id: number): string {
    return `${this.prefix}-${id}`;
  }

  /** True when order `id` has the plain generated client id (the archive rebuilds it instead of storing it). */
  isPlain(id: number): boolean {
    return this.custom.size === 0 || !this.custom.has(id);
  }

  /** The client id for order `id`: `given` (throws PI5_ERR_BAD_ORDER when already used) or a generated one. */
  assign(given: string | undefined, id: number): string {
    if (given === undefined) {
      // The plain id is formatted once: every order of a run comes here, and almost none needs a suffix.
      const plain = this.generated(id);
      if (this.taken.size === 0 || !this.taken.has(plain)) return plain;
      let generated = plain;
      for (let k = 1; this.taken.has(generated); k++) generated = `${plain}.${k}`;
      this.taken.set(generated, id);
      this.custom.add(id);
      return generated;
    }
    // A plain generated id (prefix-N, N without leading zeros) of an earlier order is taken too.
    const prefix = `${this.prefix}-`;
    const rest = given.startsWith(prefix) ? given.slice(prefix.length) : '';
    const generatedBefore = /^[1-9]\d*$/.test(rest) && Number(rest) < id && !this.custom.has(Number(rest));
    if (this.taken.has(given) || generatedBefore) {
      throw new Pi5Error('PI5_ERR_BAD_ORDER', `client order id ${given} is already in use`, { clientOrderId: given });
    }
    this.taken.set(given, id);
    this.custom.add(id);
    return given;
  }

  /** The id of the order that has (or, for a plain generated id, would have) client id `clientId`. */
  orderIdOf(clientId: string): number | undefined {
    const given = this.taken.get(clientId);
    if (given !== undefined) return given;
    const prefix = `${this.prefix}-`;
    const rest = clientId.startsWith(prefix) ? clientId.slice(prefix.length) : '';
    return /^[1-9]\d*$/.test(rest) && !this.custom.has(Number(rest)) ? Number(rest) : undefined;
  }
}
