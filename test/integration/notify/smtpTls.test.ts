// Mail over TLS: STARTTLS when the server offers it (the dialogue restarts at EHLO on the encrypted channel and
// the password goes only over it), TLS from the first byte, certificates checked by default, and requireTls
// refusing a server that cannot encrypt. The fake server really speaks TLS with a certificate made per run.

import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMail, SmtpError, type Mail, type SmtpOptions } from '../../../src/notify/smtp.js';
import { mailText, startFakeSmtp, type FakeSmtp, type TlsIdentity } from '../../helpers/fakeReceivers.js';

let dir: string;
let identity: TlsIdentity;
let starttls: FakeSmtp;
let implicit: FakeSmtp;
let plain: FakeSmtp;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pi5-smtp-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  identity = { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') };
  starttls = await startFakeSmtp({ tls: identity });
  implicit = await startFakeSmtp({ tls: { ...identity, implicit: true } });
  plain = await startFakeSmtp();
});
afterAll(async () => {
  await Promise.all([starttls?.close(), implicit?.close(), plain?.close()]);
  await rm(dir, { recursive: true, force: true });
});

const mail: Mail = { from: 'pi5@example.com', to: ['ops@example.com'], subject: 'fill', text: 'bought 10 NVDA', date: new Date(0) };
const base = (port: number): SmtpOptions => ({ host: '127.0.0.1', port, secure: false, requireTls: false, user: 'bot', password: 'pw', timeoutMs: 10_000 });

describe('SMTP over TLS', () => {
  it('upgrades with STARTTLS when offered, greets again, and authenticates only on the encrypted channel', async () => {
    await sendMail({ ...base(starttls.port), requireTls: true, rejectUnauthorized: false }, mail);
    const m = starttls.mails.at(-1);
    expect(m?.encrypted).toBe(true);
    expect(m?.ehlo).toBe('pi5.local'); // the EHLO recorded is the one after the upgrade (the fake forgets the first)
    expect(m?.auth).toBe(`PLAIN ${Buffer.from('\0bot\0pw').toString('base64')}`);
    expect(m === undefined ? '' : mailText(m)).toBe('bought 10 NVDA');
  });

  it('speaks TLS from the first byte when secure is set', async () => {
    await sendMail({ ...base(implicit.port), secure: true, rejectUnauthorized: false }, mail);
    expect(implicit.mails.at(-1)?.encrypted).toBe(true);
  });

  it('checks the certificate by default: a self-signed one is refused and nothing is sent', async () => {
    const before = starttls.mails.length;
    await expect(sendMail(base(starttls.port), mail)).rejects.toThrow(/self[- ]signed/i);
    await expect(sendMail({ ...base(implicit.port), secure: true }, mail)).rejects.toThrow(/self[- ]signed/i);
    expect(starttls.mails.length).toBe(before);
  });

  it('with requireTls, refuses for good a server that offers no STARTTLS, before sending the password', async () => {
    const err = await sendMail({ ...base(plain.port), requireTls: true }, mail).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmtpError);
    expect((err as SmtpError).permanent).toBe(true);
    expect((err as SmtpError).message).toMatch(/no STARTTLS/);
    expect(plain.mails).toHaveLength(0);
  });

  it('without requireTls, still mails in the clear to a server that cannot encrypt', async () => {
    await sendMail(base(plain.port), mail);
    expect(plain.mails.at(-1)?.encrypted).toBe(false);
  });
});
