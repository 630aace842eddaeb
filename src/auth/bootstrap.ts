// First run: with no users at all, create `admin` so the API is usable. Its password is PI5_ADMIN_PASSWORD
// when set (checked by the policy); otherwise a one-time password returned to the caller, who shows it
// once on stderr, and the account must change it before doing anything else.

import type { Database } from '../persistence/database.js';
import { AuditRepository } from '../persistence/repositories/audit.js';
import { UserRepository } from '../persistence/repositories/users.js';
import { checkPasswordPolicy, DEFAULT_SCRYPT, generatePassword, hashPassword, type ScryptParams } from './password.js';
import { publicUser, type PublicUser } from './types.js';

export const BOOTSTRAP_ADMIN = 'admin';
/** Serializes first-run checks of several processes starting on one database. */
const BOOTSTRAP_LOCK = 8675310;

export type BootstrapResult =
  | { readonly created: false }
  | { readonly created: true; readonly user: PublicUser; readonly passwordSource: 'env' }
  | { readonly created: true; readonly user: PublicUser; readonly passwordSource: 'generated'; readonly oneTimePassword: string };

export async function bootstrapAdmin(
  db: Database,
  opts: { env?: NodeJS.ProcessEnv; scrypt?: ScryptParams } = {},
): Promise<BootstrapResult> {
  const users = new UserRepository(db);
  if ((await users.count()) > 0) return { created: false };
  const fromEnv = (opts.env ?? process.env).PI5_ADMIN_PASSWORD;
  const given = fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
  if (given !== undefined) checkPasswordPolicy(given, BOOTSTRAP_ADMIN, 'PI5_ADMIN_PASSWORD');
  const password = given ?? generatePassword();
  // Hashed before the transaction so the lock is held for milliseconds, not a scrypt run.
  const passwordHash = await hashPassword(password, opts.scrypt ?? DEFAULT_SCRYPT);
  const user = await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
    const repo = new UserRepository(tx);
    if ((await repo.count()) > 0) return undefined;
    const created = await repo.create({ username: BOOTSTRAP_ADMIN, passwordHash, role: 'admin', mustChangePassword: given === undefined });
    await new AuditRepository(tx).append({
      action: 'user.bootstrap_admin', target: `user:${BOOTSTRAP_ADMIN}`, details: { passwordSource: given === undefined ? 'generated' : 'env' },
    });
    return created;
  });
  if (user === undefined) return { created: false };
  return given === undefined
    ? { created: true, user: publicUser(user), passwordSource: 'generated', oneTimePassword: password }
    : { created: true, user: publicUser(user), passwordSource: 'env' };
}

/** The one stderr message for a generated password; the caller prints it, nothing logs it. */
export function bootstrapNotice(result: BootstrapResult): string | undefined {
  if (!result.created) return undefined;
  if (result.passwordSource === 'env') return `created user ${BOOTSTRAP_ADMIN} (admin) with the password from PI5_ADMIN_PASSWORD`;
  return [
    `created user ${BOOTSTRAP_ADMIN} (admin) with a one-time password, shown only this once:`,
    `    ${result.oneTimePassword}`,
    'log in and change it; until then the account can do nothing else (set PI5_ADMIN_PASSWORD to choose it instead)',
  ].join('\n');
}
