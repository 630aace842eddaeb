// A fresh `npm install` on Node 20 must print no warnings: no locked package may declare an engine range
// that excludes the running Node (EBADENGINE), and every package with an install script must be reviewed in
// package.json's allowScripts (npm 11 lists unreviewed ones after every install).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
  hasInstallScript?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
}

const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  allowScripts?: Record<string, boolean>;
};

type Version = [number, number, number];

function parseVersion(text: string): Version {
  const [a = 0, b = 0, c = 0] = text.replace(/^v/, '').split('.').map((p) => Number.parseInt(p, 10) || 0);
  return [a, b, c];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** One comparator of an npm range (`>=18`, `^20.19.0`, `~6.6`, `20`, `*`) against a version. */
function satisfiesComparator(v: Version, raw: string): boolean {
  const comp = raw.replace(/\.\*/g, '.x');
  const m = /^(>=|<=|>|<|\^|~|=)?v?(\d+)(?:\.(\d+|x))?(?:\.(\d+|x))?$/.exec(comp);
  if (comp === '*' || comp === '' || comp === 'x') return true;
  if (!m) throw new Error(`unsupported engine comparator: ${comp}`);
  const op = m[1] ?? '';
  const parts = [m[2], m[3], m[4]].filter((p) => p !== undefined && p !== 'x').length;
  const base = parseVersion(comp.replace(/^[<>=^~]+/, '').replace(/\.x/g, ''));
  const c = compare(v, base);
  if (op === '>=') return c >= 0;
  if (op === '>') return c > 0;
  if (op === '<=') return c <= 0;
  if (op === '<') return c < 0;
  if (op === '^') return v[0] === base[0] && c >= 0;
  if (op === '~' || parts < 3) return v[0] === base[0] && (parts < 2 || v[1] === base[1]) && c >= 0;
  return c === 0;
}

function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  return range.split('||').some((alt) => {
    const comps = alt.trim().replace(/([<>=^~]+)\s+/g, '$1').split(/\s+/);
    return comps.every((comp) => satisfiesComparator(v, comp));
  });
}

describe('npm install on Node 20', () => {
  it('locks no package whose engines exclude the running Node', () => {
    expect(satisfies('20.20.2', '>=22')).toBe(false);
    expect(satisfies('20.20.2', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.20.2', '10.* || >= 12.*')).toBe(true);
    const bad = Object.entries(lock.packages)
      .filter(([, p]) => !Array.isArray(p.engines) && typeof p.engines?.node === 'string')
      .filter(([, p]) => !satisfies(process.versions.node, (p.engines as { node: string }).node))
      .map(([path, p]) => `${path}@${p.version ?? '?'} wants node ${(p.engines as { node: string }).node}`);
    expect(bad).toEqual([]);
  });

  it('lists every package with an install script in allowScripts', () => {
    const allowed = manifest.allowScripts ?? {};
    const unreviewed = Object.entries(lock.packages)
      .filter(([, p]) => p.hasInstallScript === true)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length))
      .filter((name) => name !== '' && !(name in allowed));
    expect(unreviewed).toEqual([]);
  });
});
