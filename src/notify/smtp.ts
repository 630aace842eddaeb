// A minimal SMTP client (RFC 5321): EHLO, STARTTLS when offered (or TLS from the start), AUTH PLAIN, one
// message in plain UTF-8 text. Enough for alert mail through a provider's submission port; no dependency.

import { randomUUID } from 'node:crypto';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export interface SmtpOptions {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly requireTls: boolean;
  readonly user?: string;
  readonly password?: string;
  readonly timeoutMs: number;
  /** For a local test server with a self-signed certificate only. */
  readonly rejectUnauthorized?: boolean;
}

export interface Mail {
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly date: Date;
}

export class SmtpError extends Error {
  constructor(message: string, readonly permanent: boolean) {
    super(message);
  }
}

interface Reply {
  readonly code: number;
  readonly lines: readonly string[];
}

/** Reads whole replies (multi-line `250-` … `250 `) off a socket, one awaited at a time. */
class ReplyReader {
  private buf = '';
  private lines: string[] = [];
  private replies: Reply[] = [];
  private waiting: ((r: Reply | Error) => void) | null = null;
  private failure: Error | null = null;

  constructor(private socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  attach(socket: Socket | TLSSocket): void {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  private onData(chunk: string): void {
    this.buf += chunk;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i).replace(/\r$/, '');
      this.buf = this.buf.slice(i + 1);
      this.lines.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        this.replies.push({ code: Number(line.slice(0, 3)), lines: this.lines.map((l) => l.slice(4)) });
        this.lines = [];
      }
    }
    this.deliver();
  }

  private fail(e: Error): void {
    if (this.failure === null) this.failure = e;
    this.deliver();
  }

  private deliver(): void {
    if (this.waiting === null) return;
    const next = this.replies.shift() ?? this.failure;
    if (next === null || next === undefined) return;
    const w = this.waiting;
    this.waiting = null;
    w(next);
  }

  /** Stops listening (before the socket is handed to TLS). */
  detach(): void {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('error');
    this.socket.removeAllListeners('close');
  }

  read(): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting = (r) => (r instanceof Error ? reject(r) : resolve(r));
      this.deliver();
    });
  }
}

function expect(r: Reply, ok: readonly number[], step: string): void {
  if (!ok.includes(r.code)) throw new SmtpError(`SMTP ${step}: ${r.code} ${r.lines.join(' ')}`, r.code >= 500);
}

/** RFC 2047 for a header with non-ASCII text. */
function encodeHeader(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?UTF-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

/** The message as sent after DATA: headers, a base64 body (no line-length or 8-bit worries), the final dot. */
export function formatMail(m: Mail, host: string): string {
  const body = Buffer.from(m.text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n');
  const headers = [
    `From: ${m.from}`,
    `To: ${m.to.join(', ')}`,
    `Subject: ${encodeHeader(m.subject)}`,
    `Date: ${m.date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${randomUUID()}@${host}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  ];
  return `${headers.join('\r\n')}\r\n\r\n${body.replace(/\r\n$/, '')}\r\n.\r\n`;
}

/** SNI names a host; RFC 6066 forbids an IP address there (Node warns), so a server given by address gets none. */
function serverName(host: string): { servername?: string } {
  return isIP(host) === 0 ? { servername: host } : {};
}

function open(o: SmtpOptions): Promise<Socket | TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = o.secure
      ? tlsConnect({ host: o.host, port: o.port, ...serverName(o.host), rejectUnauthorized: o.rejectUnauthorized ?? true }, () => resolve(s))
      : netConnect({ host: o.host, port: o.port }, () => resolve(s));
    s.once('error', reject);
  });
}

function upgrade(socket: Socket, o: SmtpOptions): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ socket, host: o.host, ...serverName(o.host), rejectUnauthorized: o.rejectUnauthorized ?? true }, () => resolve(s));
    s.once('error', reject);
  });
}

/** Sends one mail; rejects with SmtpError (permanent on a 5xx reply) or a socket error. Always closes. */
export async function sendMail(o: SmtpOptions, mail: Mail): Promise<void> {
  let socket = await open(o);
  socket.setTimeout(o.timeoutMs, () => socket.destroy(new Error(`SMTP: no answer within ${o.timeoutMs} ms`)));
  const reader = new ReplyReader(socket);
  const cmd = async (line: string, ok: readonly number[], step: string): Promise<Reply> => {
    socket.write(`${line}\r\n`);
    const r = await reader.read();
    expect(r, ok, step);
    return r;
  };
  try {
    expect(await reader.read(), [220], 'greeting');
    let caps = await cmd('EHLO pi5.local', [250], 'EHLO');
    let encrypted = o.secure;
    if (!encrypted && caps.lines.some((l) => /^STARTTLS\b/i.test(l))) {
      await cmd('STARTTLS', [220], 'STARTTLS');
      reader.detach();
      socket = await upgrade(socket as Socket, o);
      reader.attach(socket);
      encrypted = true;
      caps = await cmd('EHLO pi5.local', [250], 'EHLO');
    }
    if (o.requireTls && !encrypted) throw new SmtpError('SMTP: the server offers no STARTTLS and requireTls is set', true);
    if (o.user !== undefined) {
      const plain = Buffer.from(`\0${o.user}\0${o.password ?? ''}`, 'utf8').toString('base64');
      await cmd(`AUTH PLAIN ${plain}`, [235], 'AUTH');
    }
    await cmd(`MAIL FROM:<${mail.from}>`, [250], 'MAIL FROM');
    for (const to of mail.to) await cmd(`RCPT TO:<${to}>`, [250, 251], `RCPT TO ${to}`);
    await cmd('DATA', [354], 'DATA');
    // Dot-stuffing is moot for base64 bodies, but a header line could still start with a dot.
    socket.write(formatMail(mail, 'pi5.local').replace(/\r\n\.(?!\r\n$)/g, '\r\n..'));
    const done = await reader.read();
    expect(done, [250], 'end of DATA');
    socket.write('QUIT\r\n');
  } finally {
    socket.end();
    socket.destroy();
  }
}
