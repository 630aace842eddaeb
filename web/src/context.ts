// What every page needs: the API client, the live feed, the signed-in user and their role.

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api.js';
import type { LiveFeed } from './live.js';

export type Role = 'viewer' | 'trader' | 'admin';

export interface Me {
  readonly username: string;
  readonly role: Role;
  readonly mustChangePassword: boolean;
}

export interface AppCtx {
  readonly api: ApiClient;
  readonly live: LiveFeed;
  readonly me: Me;
}

export const Ctx = createContext<AppCtx | null>(null);

export function useApp(): AppCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error('useApp outside the signed-in shell');
  return c;
}

const RANK: Record<Role, number> = { viewer: 0, trader: 1, admin: 2 };

/** Whether `role` is at least `min` (viewer < trader < admin), as the server checks it. */
export function allows(role: Role, min: Role): boolean {
  return RANK[role] >= RANK[min];
}
