// Static checks of the systemd unit (deploy/systemd/pi5.service): restart on failure, a dedicated user, the
// hardening options the issue asks for, and write access to exactly the data and backup folders.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/shared.js';

/** Section → key → values (a key may repeat), comments dropped. */
function parseUnit(text: string): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  let section = new Map<string, string[]>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head !== null) {
      section = new Map();
      out.set(head[1] ?? '', section);
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

const unit = parseUnit(readFileSync(join(PROJECT_ROOT, 'deploy', 'systemd', 'pi5.service'), 'utf8'));
const service = unit.get('Service') ?? new Map<string, string[]>();
const one = (key: string): string | undefined => service.get(key)?.at(-1);

describe('systemd unit', () => {
  it('runs the built CLI as a dedicated user and restarts on failure', () => {
    expect(one('User')).toBe('pi5');
    expect(one('ExecStart')).toMatch(/node \S*dist\/src\/cli\/main\.js serve/);
    expect(one('Restart')).toBe('on-failure');
    expect(unit.get('Install')?.get('WantedBy')).toEqual(['multi-user.target']);
  });

  it('hardens the service: no new privileges, read-only system, private tmp, no capabilities', () => {
    expect(one('NoNewPrivileges')).toBe('yes');
    expect(one('ProtectSystem')).toBe('strict');
    expect(one('PrivateTmp')).toBe('yes');
    expect(one('ProtectHome')).toBe('yes');
    expect(one('CapabilityBoundingSet')).toBe('');
  });

  it('limits restarts from [Unit], where systemd reads the start limit (under [Service] it is ignored)', () => {
    expect(unit.get('Unit')?.get('StartLimitIntervalSec')).toEqual(['600']);
    expect(unit.get('Unit')?.get('StartLimitBurst')).toEqual(['5']);
    expect(service.has('StartLimitIntervalSec')).toBe(false);
  });

  // systemd's own parser, where the machine has it: no unknown or misplaced keys.
  it.runIf(existsSync('/usr/bin/systemd-analyze'))('passes systemd-analyze verify without a warning about the unit', () => {
    const file = join(PROJECT_ROOT, 'deploy', 'systemd', 'pi5.service');
    const r = spawnSync('/usr/bin/systemd-analyze', ['verify', file], { encoding: 'utf8' });
    expect(r.stderr.split('\n').filter((l) => l.includes('pi5.service:'))).toEqual([]);
  });

  it('may write exactly the data and backup folders it is given', () => {
    const env = (service.get('Environment') ?? []).join(' ');
    const dataDir = /PI5_DATA_DIR=(\S+)/.exec(env)?.[1];
    const backupDir = /PI5_BACKUP_DIR=(\S+)/.exec(env)?.[1];
    expect(one('ReadWritePaths')?.split(/\s+/).sort()).toEqual([backupDir, dataDir].sort());
  });
});
