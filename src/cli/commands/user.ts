// `pi5 user add|list|passwd|disable|enable`: API accounts in the configured database (DATABASE_URL, or
// PGlite in PI5_DATA_DIR). Passwords come from stdin (--password-stdin) or are generated and shown once.

import type { Command } from 'commander';
import { Pi5Error } from '../../core/errors.js';
import { checkPasswordPolicy } from '../../auth/password.js';
import type { PublicUser } from '../../auth/types.js';
import { checkRole, checkUsername, UserAdmin } from '../../auth/userAdmin.js';
import { withDatabase } from '../../persistence/session.js';

const CLI = { via: 'cli' } as const;

/** The whole of stdin minus one trailing newline (what `echo` or a here-string adds). */
async function readPasswordFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new Pi5Error('PI5_ERR_BAD_PASSWORD', '--password-stdin: stdin was empty', { rule: 'min_length' });
  return text;
}

function oneTimeNotice(username: string, password: string): string {
  return `one-time password for ${username} (shown only now; it must be changed at first login):\n${password}\n`;
}

function table(users: readonly PublicUser[]): string {
  const rows = [
    ['id', 'username', 'role', 'disabled', 'created', 'last login'],
    ...users.map((u) => [
      String(u.id),
      u.username + (u.mustChangePassword ? ' *' : ''),
      u.role,
      u.disabledAt === null ? 'no' : `yes (${u.disabledAt.toISOString().slice(0, 10)})`,
      u.createdAt.toISOString().slice(0, 19) + 'Z',
      u.lastLoginAt === null ? '-' : u.lastLoginAt.toISOString().slice(0, 19) + 'Z',
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const lines = rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
  const note = users.some((u) => u.mustChangePassword) ? '* must change the password at next login\n' : '';
  return lines.join('\n') + '\n' + note;
}

async function add(username: string, flags: { role: string; passwordStdin?: boolean }): Promise<void> {
  // Checked before anything is read or opened, so bad usage fails fast with exit 2.
  checkUsername(username);
  const role = checkRole(flags.role);
  const password = flags.passwordStdin ? await readPasswordFromStdin() : undefined;
  if (password !== undefined) checkPasswordPolicy(password, username);
  await withDatabase(async (db) => {
    const created = await new UserAdmin(db).create(password === undefined ? { username, role } : { username, role, password }, CLI);
    process.stdout.write(`created user ${created.user.username} (${created.user.role}), id ${created.user.id}\n`);
    if (created.oneTimePassword !== undefined) process.stdout.write(oneTimeNotice(username, created.oneTimePassword));
  });
}

async function passwd(username: string, flags: { passwordStdin?: boolean }): Promise<void> {
  const password = flags.passwordStdin ? await readPasswordFromStdin() : undefined;
  await withDatabase(async (db) => {
    const result = await new UserAdmin(db).setPassword(username, password, CLI);
    process.stdout.write(`password of ${username} changed; all its sessions are logged out\n`);
    if (result.oneTimePassword !== undefined) process.stdout.write(oneTimeNotice(username, result.oneTimePassword));
  });
}

async function setDisabled(username: string, disabled: boolean): Promise<void> {
  await withDatabase(async (db) => {
    const u = await new UserAdmin(db).setDisabled(username, disabled, CLI);
    process.stdout.write(disabled ? `user ${u.username} disabled; its sessions are logged out\n` : `user ${u.username} enabled\n`);
  });
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('API users: add, list, passwd, disable, enable');
  user
    .command('add <username>')
    .description('create a user; without --password-stdin a one-time password is generated and printed')
    .requiredOption('--role <role>', 'viewer, trader or admin')
    .option('--password-stdin', 'read the password from stdin (min 12 characters, not the username)')
    .action((username: string, flags: { role: string; passwordStdin?: boolean }) => add(username, flags));
  user
    .command('list')
    .description('list users: id, username, role, disabled, created, last login')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      await withDatabase(async (db) => {
        const users = await new UserAdmin(db).list();
        process.stdout.write(flags.json ? JSON.stringify(users, null, 2) + '\n' : table(users));
      });
    });
  user
    .command('passwd <username>')
    .description("set a user's password and log out its sessions; without --password-stdin a one-time password is printed")
    .option('--password-stdin', 'read the new password from stdin')
    .action((username: string, flags: { passwordStdin?: boolean }) => passwd(username, flags));
  user
    .command('disable <username>')
    .description('refuse logins and end all sessions of a user')
    .action((username: string) => setDisabled(username, true));
  user
    .command('enable <username>')
    .description('allow a disabled user to log in again')
    .action((username: string) => setDisabled(username, false));
}
