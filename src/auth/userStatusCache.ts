// A short-lived cache of user rows for verifyAccess, so each request need not hit the database, while a
// disable, role change or password change made elsewhere (the CLI, another process) is seen within `ttlMs`.
// Changes made through this process's AuthService drop the entry at once. While the database is unreachable
// the last known row is served past its TTL (a change cannot be made meanwhile: it needs the database), so
// authenticated reads and the kill switch keep working through an outage.

import type { Queryable } from '../persistence/database.js';
import { UserRepository, type User } from '../persistence/repositories/users.js';

interface Entry {
  readonly user: User | undefined;
  readonly fetchedAtMs: number;
}

/** Bounds memory if a flood of tokens for many ids arrives; real deployments have a handful of users. */
const MAX_ENTRIES = 1000;

export class UserStatusCache {
  private readonly entries = new Map<number, Entry>();

  constructor(
    private readonly db: Queryable,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  async get(userId: number): Promise<User | undefined> {
    const hit = this.entries.get(userId);
    if (hit !== undefined && this.now() - hit.fetchedAtMs < this.ttlMs) return hit.user;
    let user: User | undefined;
    try {
      user = await new UserRepository(this.db).findById(userId);
    } catch (e) {
      if (hit !== undefined) return hit.user;
      throw e;
    }
    if (this.ttlMs > 0) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(userId, { user, fetchedAtMs: this.now() });
    }
    return user;
  }

  forget(userId: number): void {
    this.entries.delete(userId);
  }
}
