// Checks that the server's listen address is free before anything is opened or created: a taken port must
// not cost a first-run admin password (printed only once) or a migrated database.

import { createServer } from 'node:net';
import { Pi5Error } from '../core/errors.js';

/** Resolves when host:port can be listened on (port 0 always can); otherwise a PI5_ERR_PORT_IN_USE that says what to do. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolveFree, reject) => {
    const probe = createServer();
    probe.once('error', (e: NodeJS.ErrnoException) => reject(portError(host, port, e.code)));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolveFree()));
  });
}

function portError(host: string, port: number, code: string | undefined): Pi5Error {
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    return new Pi5Error('PI5_ERR_PORT_IN_USE', `${where} is already in use (another pi5 serve?); stop that process or choose another port with --port or PI5_PORT`, { host, port });
  }
  if (code === 'EACCES') {
    return new Pi5Error('PI5_ERR_PORT_IN_USE', `not allowed to listen on ${where}; ports below 1024 need privileges: choose another with --port or PI5_PORT`, { host, port });
  }
  return new Pi5Error('PI5_ERR_PORT_IN_USE', `cannot listen on ${where} (${code ?? 'unknown error'}); check --host/PI5_HOST and --port/PI5_PORT`, { host, port });
}
