// Local fakes of the services notifications go to: an HTTP server standing in for Slack, Discord, Telegram,
// Gotify, ntfy and a JSON webhook (it records each request and answers as told: 200, an error status, or
// never), and a minimal SMTP server that speaks the dialogue a mail client sees and keeps each message.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';

export interface Captured {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

/** How to answer one request: a status and JSON body, or 'hang' (never answer). */
export type Answer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

export interface FakeHttp {
  readonly url: string;
  readonly requests: Captured[];
  /** Answers for the next requests, in order; afterwards 200 `{"ok":true}` (Telegram's shape). */
  readonly answers: Answer[];
  /** Resolves once `n` requests have arrived. */
  received(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeHttp(): Promise<FakeHttp> {
  const requests: Captured[] = [];
  const answers: Answer[] = [];
  const waiters: { n: number; done: () => void }[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      for (const w of waiters.filter((x) => requests.length >= x.n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done();
      }
      const a = answers.shift() ?? { status: 200, body: { ok: true, result: {} } };
      if (a === 'hang') {
        hanging.push(res);
        return;
      }
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.body ?? {}));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answers,
    received: (n) => (requests.length >= n ? Promise.resolve() : new Promise((done) => waiters.push({ n, done }))),
    close: async () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export interface CapturedMail {
  readonly ehlo: string;
  readonly auth: string | null;
  readonly from: string;
  readonly to: string[];
  /** Headers and body as sent after DATA, without the final dot. */
  readonly data: string;
  /** Whether the dialogue was encrypted when the mail was sent (STARTTLS or TLS from the start). */
  readonly encrypted: boolean;
}

/** A certificate and its key (PEM) for a fake server that speaks TLS. */
export interface TlsIdentity {
  readonly key: string;
  readonly cert: string;
}

export interface FakeSmtpOptions {
  /** Offer STARTTLS with this identity (or, with `implicit`, speak TLS from the first byte). */
  readonly tls?: TlsIdentity & { readonly implicit?: boolean };
}

export interface FakeSmtp {
  readonly port: number;
  readonly mails: CapturedMail[];
  /** A reply code for the next MAIL FROM (e.g. 451 to make a client retry, 550 to refuse for good). */
  readonly mailFromAnswers: number[];
  received(n: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeSmtp(opts: FakeSmtpOptions = {}): Promise<FakeSmtp> {
  const mails: CapturedMail[] = [];
  const mailFromAnswers: number[] = [];
  const waiters: { n: number; done: () => void }[] = [];
  const sockets = new Set<Socket>();
  const tls = opts.tls;
  const converse = (first: Socket): void => {
    let socket = first;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(first));
    let encrypted = socket instanceof TLSSocket;
    let buf = '';
    let inData = false;
    let data = '';
    let ehlo = '';
    let auth: string | null = null;
    let from = '';
    let to: string[] = [];
    const say = (line: string): void => void socket.write(`${line}\r\n`);
    const onData = (chunk: string): void => {
      buf += chunk;
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          data = buf.slice(0, end);
          buf = buf.slice(end + 5);
          inData = false;
          mails.push({ ehlo, auth, from, to, data: data.replace(/\r\n\.\./g, '\r\n.'), encrypted });
          for (const w of waiters.filter((x) => mails.length >= x.n)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.done();
          }
          say('250 2.0.0 queued');
          continue;
        }
        const i = buf.indexOf('\r\n');
        if (i < 0) return;
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const verb = line.split(' ')[0]?.toUpperCase() ?? '';
        if (verb === 'EHLO') {
          ehlo = line.slice(5);
          say('250-fake-smtp greets you');
          if (tls !== undefined && !encrypted) say('250-STARTTLS');
          say('250-AUTH PLAIN');
          say('250 8BITMIME');
        } else if (verb === 'STARTTLS' && tls !== undefined && !encrypted) {
          // RFC 3207: the client forgets what it knew, so does the server; the dialogue restarts at EHLO.
          say('220 2.0.0 ready to start TLS');
          socket.removeListener('data', onData);
          buf = '';
          ehlo = '';
          auth = null;
          const secured = new TLSSocket(socket, { isServer: true, key: tls.key, cert: tls.cert });
          secured.on('error', () => undefined);
          secured.setEncoding('utf8');
          secured.on('data', onData);
          socket = secured;
          encrypted = true;
          return;
        } else if (verb === 'AUTH') {
          auth = line.slice(5);
          say('235 2.7.0 accepted');
        } else if (verb === 'MAIL') {
          const code = mailFromAnswers.shift() ?? 250;
          from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          to = [];
          say(code === 250 ? '250 2.1.0 ok' : `${code} try that again`);
        } else if (verb === 'RCPT') {
          to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          say('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          say('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'QUIT') {
          say('221 bye');
          socket.end();
          return;
        } else {
          say('502 not implemented');
        }
      }
    };
    socket.setEncoding('utf8');
    socket.on('data', onData);
    socket.on('error', () => undefined);
    say('220 fake-smtp ESMTP ready');
  };
  const server: NetServer = tls?.implicit === true ? createTlsServer({ key: tls.key, cert: tls.cert }, converse) : createNetServer(converse);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    mails,
    mailFromAnswers,
    received: (n) => (mails.length >= n ? Promise.resolve() : new Promise((done) => waiters.push({ n, done }))),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The text body of a captured mail (base64 after the blank line). */
export function mailText(m: CapturedMail): string {
  const [, body = ''] = m.data.split('\r\n\r\n');
  return Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8');
}

/** One header of a captured mail. */
export function mailHeader(m: CapturedMail, name: string): string | undefined {
  const head = m.data.split('\r\n\r\n')[0] ?? '';
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}
