// Shapes shared by the auth modules and the server that wires them.

import type { User } from '../persistence/repositories/users.js';
import type { Role } from './roles.js';

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Lifetime of the access token, in seconds (DESIGN.md §9 login response). */
  readonly expiresIn: number;
}

/** Who asked, for the audit log: the acting user (none for anonymous calls and the CLI) and the client address. */
export interface AuditContext {
  readonly actorId?: number | null;
  readonly ip?: string | null;
  /** Where the call came from when not HTTP, e.g. `cli`. */
  readonly via?: string;
}

/** What a valid access token proves; role and flags are the user's current ones, not the token's copy. */
export interface AccessIdentity {
  readonly userId: number;
  readonly username: string;
  readonly role: Role;
  /** First-run or reset account: the server allows only a password change until this is false. */
  readonly mustChangePassword: boolean;
  readonly tokenId: string;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

/** A user as shown to clients and the CLI: everything but the password hash. */
export type PublicUser = Omit<User, 'passwordHash'>;

export function publicUser(u: User): PublicUser {
  const { passwordHash: _hash, ...rest } = u;
  return rest;
}
