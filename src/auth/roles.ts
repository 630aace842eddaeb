// The three roles (DESIGN.md §9), ordered: each role may do everything the ones below it may.

import { Pi5Error } from '../core/errors.js';
import { USER_ROLES, type UserRole } from '../persistence/repositories/users.js';

export type Role = UserRole;
export const ROLES = USER_ROLES;

const RANK: Record<Role, number> = { viewer: 0, trader: 1, admin: 2 };

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** viewer < trader < admin: true when `actual` is `required` or above it. */
export function hasRole(actual: Role, required: Role): boolean {
  return RANK[actual] >= RANK[required];
}

/** Throws PI5_ERR_FORBIDDEN (HTTP 403) when `actual` is below `required`. */
export function requireRole(actual: Role, required: Role, what = 'this action'): void {
  if (!hasRole(actual, required)) {
    throw new Pi5Error('PI5_ERR_FORBIDDEN', `${what} needs role ${required} or above; this user is ${actual}`, { required, actual });
  }
}
