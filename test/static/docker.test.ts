// Static checks of the Docker deployment files (Dockerfile, .dockerignore, docker-compose.yml, .env.example).
// Nothing here needs Docker: the files are parsed and checked against the repository.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (name: string): string => readFileSync(join(root, name), 'utf8');

// ---------------------------------------------------------------- Dockerfile

interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  cmd: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  line: number;
}

interface Stage {
  name: string | undefined;
  image: string;
  index: number;
  body: Instruction[];
}

/** Instructions of a Dockerfile: comments and blank lines dropped, `\` continuations joined. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let buf = '';
  let start = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (buf === '' && (line === '' || line.startsWith('#'))) return;
    if (buf !== '' && line.startsWith('#')) return; // comment lines inside a continuation
    if (buf === '') start = i + 1;
    if (line.endsWith('\\')) {
      buf += line.slice(0, -1) + ' ';
      return;
    }
    buf += line;
    const m = /^(\S+)\s*(.*)$/s.exec(buf);
    if (m) out.push({ cmd: (m[1] ?? '').toUpperCase(), args: (m[2] ?? '').trim(), line: start });
    buf = '';
  });
  return out;
}

/** Default values of the ARGs declared before the first FROM (the ones FROM lines may use). */
function globalArgs(instrs: Instruction[]): Map<string, string> {
  const args = new Map<string, string>();
  for (const ins of instrs) {
    if (ins.cmd === 'FROM') break;
    if (ins.cmd !== 'ARG') continue;
    const [name, value] = ins.args.split('=', 2);
    if (name !== undefined && value !== undefined) args.set(name.trim(), value.trim());
  }
  return args;
}

function substitute(text: string, vars: Map<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a: string | undefined, b: string | undefined) => vars.get(a ?? b ?? '') ?? whole);
}

function stages(instrs: Instruction[]): Stage[] {
  const vars = globalArgs(instrs);
  const out: Stage[] = [];
  for (const ins of instrs) {
    if (ins.cmd === 'FROM') {
      const words = substitute(ins.args, vars).split(/\s+/).filter((w) => !w.startsWith('--'));
      const asAt = words.findIndex((w) => w.toUpperCase() === 'AS');
      out.push({ name: asAt >= 0 ? words[asAt + 1] : undefined, image: words[0] ?? '', index: out.length, body: [] });
    } else {
      out.at(-1)?.body.push(ins);
    }
  }
  return out;
}

/** `["a", "b"]` (exec form) → ['a', 'b']; undefined for the shell form. */
function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((x): x is string => typeof x === 'string')) return undefined;
  return parsed;
}

interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
  line: number;
}

function copies(stage: Stage): Copy[] {
  return stage.body
    .filter((i) => i.cmd === 'COPY' || i.cmd === 'ADD')
    .map((i) => {
      const words = i.args.split(/\s+/);
      const flags = words.filter((w) => w.startsWith('--'));
      const paths = execForm(i.args) ?? words.filter((w) => !w.startsWith('--'));
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '', line: i.line };
    });
}

const workdir = (stage: Stage): string => stage.body.filter((i) => i.cmd === 'WORKDIR').at(-1)?.args ?? '/';
const runs = (stage: Stage): string[] => stage.body.filter((i) => i.cmd === 'RUN').map((i) => i.args);

// ---------------------------------------------------------------- .dockerignore

/** Whether a context path is excluded by .dockerignore (patterns in order, `!` re-includes). */
function ignoredBy(patterns: string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+/, '').replace(/\/+$/, '');
    const re = new RegExp(
      '^' +
        pattern
          .split('/')
          .map((seg) => (seg === '**' ? '.*' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
          .join('/')
          .replace(/\.\*\//g, '(?:.*/)?') +
        '(?:/.*)?$',
    );
    if (re.test(path)) ignored = !negate;
  }
  return ignored;
}

const dockerignore = read('.dockerignore')
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

const packageJson = JSON.parse(read('package.json')) as { scripts?: Record<string, string>; bin?: Record<string, string> };
const instructions = parseDockerfile(read('Dockerfile'));
const allStages = stages(instructions);
const runtime = allStages.at(-1);

function runtimeStage(): Stage {
  if (runtime === undefined) throw new Error('Dockerfile has no FROM');
  return runtime;
}

describe('Dockerfile', () => {
  it('is multi-stage, with named stages', () => {
    expect(allStages.length).toBeGreaterThanOrEqual(2);
    for (const s of allStages) expect(s.name, `stage ${s.index} (${s.image})`).toMatch(/^[a-z][a-z0-9_.-]*$/);
  });

  it('pins every base image to a major version tag, never latest', () => {
    const names = new Set<string>();
    for (const s of allStages) {
      if (!names.has(s.image)) {
        expect(s.image, 'unresolved variable').not.toMatch(/\$/);
        const m = /^([a-z0-9./_-]+):([A-Za-z0-9._-]+)$/.exec(s.image);
        expect(m, `${s.image}: needs an explicit tag`).not.toBeNull();
        const tag = m?.[2] ?? '';
        expect(tag).not.toMatch(/latest/i);
        expect(tag, `${s.image}: tag must start with a major version`).toMatch(/^\d+(\.\d+)*(-[a-z0-9.-]+)?$/);
      }
      if (s.name !== undefined) names.add(s.name);
    }
  });

  it('builds on a Node line the code supports (>= 20)', () => {
    for (const s of allStages.filter((x) => x.image.startsWith('node:'))) {
      const major = Number(/^node:(\d+)/.exec(s.image)?.[1]);
      expect(major).toBeGreaterThanOrEqual(20);
      expect(major % 2, `${s.image}: use an LTS (even) line`).toBe(0);
    }
  });

  it('builds with `npm run build`, a script package.json has; installs skip `prepare`', () => {
    const all = allStages.flatMap(runs);
    expect(all.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
    expect(packageJson.scripts?.build).toBeTruthy();
    const installs = all.filter((r) => /\bnpm (ci|install|i)\b/.test(r));
    expect(installs.length).toBeGreaterThanOrEqual(1);
    // `prepare` runs the build on install, before the sources are copied in (and without dev dependencies
    // in a production install), so every install must skip scripts.
    for (const r of installs) expect(r, r).toMatch(/--ignore-scripts\b/);
    // Production dependencies only in what the runtime stage receives.
    expect(all.some((r) => /\bnpm (ci|prune)\b.*--omit=dev\b/.test(r))).toBe(true);
  });

  it('runs as a non-root user in the runtime stage', () => {
    const users = runtimeStage().body.filter((i) => i.cmd === 'USER');
    expect(users.length).toBeGreaterThanOrEqual(1);
    const user = (users.at(-1)?.args ?? '').split(':')[0] ?? '';
    expect(user).not.toMatch(/^(root|0)$/);
    // Nothing after the USER switch goes back to root-only work (RUN as that user is fine).
    const at = runtimeStage().body.lastIndexOf(users.at(-1) as Instruction);
    expect(runtimeStage().body.slice(at + 1).filter((i) => i.cmd === 'USER')).toEqual([]);
  });

  it('exposes 8080, listens on all interfaces, keeps data in the /data volume', () => {
    const body = runtimeStage().body;
    expect(body.filter((i) => i.cmd === 'EXPOSE').flatMap((i) => i.args.split(/\s+/))).toContain('8080');
    const env = body.filter((i) => i.cmd === 'ENV').map((i) => i.args).join(' ');
    expect(env).toMatch(/\bPI5_HOST=0\.0\.0\.0\b/);
    expect(env).toMatch(/\bPI5_DATA_DIR=\/data\b/);
    const volumes = body.filter((i) => i.cmd === 'VOLUME').flatMap((i) => execForm(i.args) ?? i.args.split(/\s+/));
    expect(volumes).toContain('/data');
  });

  it('has a HEALTHCHECK on /health that needs no curl', () => {
    const hc = runtimeStage().body.filter((i) => i.cmd === 'HEALTHCHECK');
    expect(hc).toHaveLength(1);
    const args = hc[0]?.args ?? '';
    expect(args).toMatch(/\bCMD\b/);
    expect(args).toContain('/health');
    expect(args).toMatch(/\bnode\b/);
    expect(args).not.toMatch(/\b(curl|wget)\b/);
    const cmd = execForm(args.slice(args.indexOf('CMD') + 3).trim());
    expect(cmd?.[0]).toBe('node');
  });

  it('starts the CLI from dist (the package bin) with `serve` as the default command', () => {
    const body = runtimeStage().body;
    const entry = execForm(body.filter((i) => i.cmd === 'ENTRYPOINT').at(-1)?.args ?? '');
    expect(entry).toEqual(['node', 'dist/src/cli/main.js']);
    expect(packageJson.bin?.pi5).toBe('dist/src/cli/main.js');
    expect(existsSync(join(root, 'src/cli/main.ts'))).toBe(true);
    expect(execForm(body.filter((i) => i.cmd === 'CMD').at(-1)?.args ?? '')).toEqual(['serve']);
  });

  it('copies only sources that exist in the context, or that an earlier stage produced', () => {
    allStages.forEach((stage) => {
      for (const c of copies(stage)) {
        expect(c.sources.length, `line ${c.line}`).toBeGreaterThanOrEqual(1);
        if (c.from === undefined) {
          for (const src of c.sources) {
            expect(src, `line ${c.line}: copy named paths, not the whole context`).not.toMatch(/^\.\/?$/);
            expect(existsSync(join(root, src)), `line ${c.line}: ${src} is not in the repository`).toBe(true);
            expect(ignoredBy(dockerignore, src.replace(/^\.\//, '')), `line ${c.line}: ${src} is excluded by .dockerignore`).toBe(false);
          }
          continue;
        }
        const producer = allStages.find((s) => s.name === c.from);
        expect(producer, `line ${c.line}: no stage ${c.from}`).toBeDefined();
        if (producer === undefined) continue;
        expect(producer.index, `line ${c.line}: ${c.from} must come earlier`).toBeLessThan(stage.index);
        const dir = workdir(producer).replace(/\/+$/, '');
        for (const src of c.sources) {
          expect(src.startsWith(`${dir}/`), `line ${c.line}: ${src} outside ${dir}`).toBe(true);
          const rel = src.slice(dir.length + 1);
          if (rel === 'dist' || rel.startsWith('dist/')) {
            expect(runs(producer).some((r) => /\bnpm run build\b/.test(r)), `line ${c.line}: ${c.from} does not build dist`).toBe(true);
            // dist/src/... comes from src/... (rootDir "." in tsconfig.build.json).
            const under = rel.split('/').slice(1).join('/');
            if (under !== '') expect(existsSync(join(root, under)), `line ${c.line}: ${under} has no source`).toBe(true);
          } else if (rel === 'node_modules') {
            expect(runs(producer).some((r) => /\bnpm ci\b/.test(r)), `line ${c.line}: ${c.from} installs nothing`).toBe(true);
          } else {
            expect(copies(producer).some((pc) => pc.from === undefined && pc.sources.some((s) => s.replace(/^\.\//, '') === rel)), `line ${c.line}: ${src} is not produced by ${c.from}`).toBe(true);
          }
        }
      }
    });
  });

  it('ships only what runs: dist (server and dashboard), production node_modules, package.json, docs', () => {
    for (const c of copies(runtimeStage())) {
      for (const s of c.sources) {
        if (c.from === undefined) expect(s, s).not.toMatch(/^(\.\/)?(src|test|bench|tsconfig)/);
        else expect(s, s).toMatch(/\/(dist(\/src|\/web)?|node_modules)$/);
      }
    }
    const nodeModules = copies(runtimeStage()).find((c) => c.sources.some((s) => s.endsWith('/node_modules')));
    const from = allStages.find((s) => s.name === nodeModules?.from);
    expect(from, 'node_modules come from a stage').toBeDefined();
    // That stage's node_modules are production-only: installed with --omit=dev or pruned.
    expect(runs(from as Stage).some((r) => /--omit=dev\b/.test(r))).toBe(true);
  });
});

describe('.dockerignore', () => {
  it.each(['node_modules', 'data', '.git', 'dist', 'bench/results.json', '.env', 'test'])('excludes %s', (path) => {
    expect(ignoredBy(dockerignore, path)).toBe(true);
  });

  it('keeps what the build needs', () => {
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src/cli/main.ts', 'bench/run.ts', 'docs/api.md']) {
      expect(ignoredBy(dockerignore, path), path).toBe(false);
    }
  });
});

// ---------------------------------------------------------------- docker-compose.yml

type Dict = Record<string, unknown>;
const isDict = (x: unknown): x is Dict => typeof x === 'object' && x !== null && !Array.isArray(x);

function dict(x: unknown, what: string): Dict {
  if (!isDict(x)) throw new Error(`${what}: expected a mapping`);
  return x;
}

/** A service's environment as a map, from either the mapping or the list (`NAME=value`) form. */
function environment(service: Dict): Map<string, string> {
  const env = service.environment;
  const out = new Map<string, string>();
  if (Array.isArray(env)) {
    for (const item of env) {
      const [k, ...v] = String(item).split('=');
      out.set(k ?? '', v.join('='));
    }
  } else if (isDict(env)) {
    for (const [k, v] of Object.entries(env)) out.set(k, v === null ? '' : String(v));
  }
  return out;
}

/** `${VAR}`, `${VAR:-}` or `${VAR:?message}`: a value taken from the user's environment, no default. */
const pureReference = /^\$\{[A-Z_][A-Z0-9_]*(?::?-|:?\?[^}]*)?\}$/;
const secretName = /PASSWORD|SECRET|TOKEN|(^|_)KEY(_|$)/;

/** Compose interpolation replaced by a placeholder, so a URL can be parsed. */
const uninterpolated = (v: string): string => v.replace(/\$\{[^}]*\}/g, 'x');

const compose = dict(parseYaml(read('docker-compose.yml')), 'docker-compose.yml');
const services = dict(compose.services, 'services');
const service = (name: string): Dict => dict(services[name], `services.${name}`);

describe('docker-compose.yml', () => {
  it('has the pi5, postgres and redis services, and prometheus and grafana only in the monitoring profile', () => {
    const always = Object.entries(services).filter(([, s]) => dict(s, 'service').profiles === undefined).map(([n]) => n);
    expect(always.sort()).toEqual(['pi5', 'postgres', 'redis']);
    for (const name of ['prometheus', 'grafana']) expect(service(name).profiles).toEqual(['monitoring']);
  });

  it('builds pi5 from this directory and restarts it unless stopped', () => {
    const pi5 = service('pi5');
    const build = pi5.build;
    expect(isDict(build) ? build.context : build).toBe('.');
    expect(pi5.restart).toBe('unless-stopped');
    expect(pi5.init, 'an init process forwards SIGTERM').toBe(true);
  });

  it('points DATABASE_URL and REDIS_URL at the other services', () => {
    const env = environment(service('pi5'));
    const db = new URL(uninterpolated(env.get('DATABASE_URL') ?? ''));
    expect(db.protocol).toMatch(/^postgres(ql)?:$/);
    expect(db.hostname).toBe('postgres');
    const redis = new URL(uninterpolated(env.get('REDIS_URL') ?? ''));
    expect(redis.protocol).toMatch(/^rediss?:$/);
    expect(redis.hostname).toBe('redis');
    // The database password in the URL is the one postgres is started with, from the environment.
    const password = /^postgres(?:ql)?:\/\/[^:]+:([^@]+)@/.exec(env.get('DATABASE_URL') ?? '')?.[1] ?? '';
    expect(password).toMatch(pureReference);
    const pgPassword = environment(service('postgres')).get('POSTGRES_PASSWORD') ?? '';
    expect(password.replace(/[:?].*$/, '')).toBe(pgPassword.replace(/[:?].*$/, ''));
  });

  it('publishes ports on 127.0.0.1 only', () => {
    for (const [name, raw] of Object.entries(services)) {
      const ports = dict(raw, name).ports;
      if (ports === undefined) continue;
      expect(Array.isArray(ports), name).toBe(true);
      for (const p of ports as unknown[]) {
        if (isDict(p)) expect(p.host_ip, `${name}: ${JSON.stringify(p)}`).toBe('127.0.0.1');
        else expect(String(p), name).toMatch(/^127\.0\.0\.1:\d+:\d+(\/tcp)?$/);
      }
    }
    expect(service('pi5').ports).toEqual(['127.0.0.1:8080:8080']);
  });

  it('commits no secret values: passwords, secrets and keys only as ${VAR} references without defaults', () => {
    for (const [name, raw] of Object.entries(services)) {
      for (const [k, v] of environment(dict(raw, name))) {
        if (secretName.test(k)) expect(v, `${name}.${k}`).toMatch(pureReference);
      }
    }
    const env = environment(service('pi5'));
    expect(env.get('PI5_ADMIN_PASSWORD')).toMatch(pureReference);
    expect(env.get('PI5_JWT_SECRET')).toMatch(pureReference);
  });

  it('keeps pi5 data in a volume at /data', () => {
    const volumes = (service('pi5').volumes ?? []) as unknown[];
    const targets = volumes.map((v) => (isDict(v) ? String(v.target) : String(v).split(':')[1]));
    expect(targets).toContain('/data');
  });

  it('runs TimescaleDB on a pinned PostgreSQL 15/16 image, in a named volume, with a pg_isready healthcheck', () => {
    const pg = service('postgres');
    expect(String(pg.image)).toMatch(/^timescale\/timescaledb:\d+\.\d+\.\d+-pg1[56]$/);
    const volumes = (pg.volumes ?? []) as unknown[];
    const named = Object.keys(dict(compose.volumes, 'volumes'));
    const data = volumes.map(String).find((v) => v.endsWith(':/var/lib/postgresql/data'));
    expect(named).toContain(data?.split(':')[0]);
    expect(JSON.stringify(dict(pg.healthcheck, 'postgres.healthcheck').test)).toContain('pg_isready');
  });

  it('runs redis 7 with a redis-cli ping healthcheck', () => {
    const redis = service('redis');
    expect(redis.image).toBe('redis:7-alpine');
    const test = dict(redis.healthcheck, 'redis.healthcheck').test;
    expect(JSON.stringify(test)).toMatch(/redis-cli.*ping/);
  });

  it('starts pi5 once postgres and redis are healthy', () => {
    const deps = dict(service('pi5').depends_on, 'pi5.depends_on');
    for (const name of ['postgres', 'redis']) expect(dict(deps[name], name).condition).toBe('service_healthy');
  });

  it('takes every variable it references from .env.example, which holds no secret values', () => {
    const text = read('docker-compose.yml');
    const referenced = new Set([...text.matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] ?? ''));
    const example = new Map(
      read('.env.example')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
    );
    for (const name of referenced) expect(example.has(name), name).toBe(true);
    for (const [k, v] of example) if (secretName.test(k)) expect(v, k).toBe('');
  });
});

describe('Docker documentation', () => {
  it('README has a Docker section and docs/deployment.md exists', () => {
    const readme = read('README.md');
    expect(readme).toMatch(/^## Docker/m);
    expect(readme).toContain('docker compose up -d');
    expect(readme).toContain('PI5_ADMIN_PASSWORD');
    expect(existsSync(join(root, 'docs/deployment.md'))).toBe(true);
  });
});
