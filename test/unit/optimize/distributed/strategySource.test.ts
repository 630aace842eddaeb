// A strategy file's content hash covers the local modules it imports, transitively: editing a helper, a helper's
// helper, or creating a module that was missing changes it; packages and unrelated files do not.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { relativeImports, SOURCE_HASH_MAX_FILES, strategySourceHash } from '../../../../src/optimize/distributed/strategySource.js';
import { asyncErrorOf } from '../../../helpers/errors.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pi5-srchash-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const STRATEGY = `import { defineStrategy } from 'pi5-trading/strategy';
import { signal } from './lib/signal.js';
export { extra } from "./extra";
export default defineStrategy({ id: 'x', name: 'x', description: 'x', params: {}, create: () => ({ onBar() { signal(); } }) });
`;

describe('strategySourceHash', () => {
  it('finds static, re-exported, dynamic and required relative specifiers, not packages', () => {
    const src = `import a from './a.js';\nimport './side';\nexport * from '../up/b.mjs';\nconst c = await import('./c.ts');\nconst d = require("./d.cjs");\nimport { x } from 'pkg/sub';\nimport y from 'node:fs';`;
    expect(relativeImports(src)).toEqual(['./a.js', './side', '../up/b.mjs', './c.ts', './d.cjs']);
  });

  it('changes when an imported module, or a module that one imports, changes', async () => {
    const dir = folder({ 'strategy.ts': STRATEGY, 'lib/signal.ts': `import { k } from './consts.js';\nexport const signal = () => k;`, 'lib/consts.ts': 'export const k = 1;', 'extra.ts': 'export const extra = 1;' });
    const file = join(dir, 'strategy.ts');
    const first = await strategySourceHash(file);
    expect(await strategySourceHash(file)).toBe(first);

    writeFileSync(join(dir, 'lib/consts.ts'), 'export const k = 2;');
    const second = await strategySourceHash(file);
    expect(second).not.toBe(first);

    writeFileSync(join(dir, 'extra.ts'), 'export const extra = 2;');
    const third = await strategySourceHash(file);
    expect(third).not.toBe(second);

    // A file in the folder that nothing imports is not part of the strategy.
    writeFileSync(join(dir, 'unused.ts'), 'export const u = 1;');
    expect(await strategySourceHash(file)).toBe(third);
  });

  it('counts a missing import, so creating it changes the hash', async () => {
    const dir = folder({ 'strategy.mts': `import { h } from './helper.mjs';\nexport default h;` });
    const file = join(dir, 'strategy.mts');
    const before = await strategySourceHash(file);
    writeFileSync(join(dir, 'helper.mts'), 'export const h = 1;');
    expect(await strategySourceHash(file)).not.toBe(before);
  });

  it('is the same for the same sources in another folder, and follows an import cycle once', async () => {
    const files = { 's.ts': `import './a.js';`, 'a.ts': `import './b.js';`, 'b.ts': `import './a.js';\nimport './s.js';` };
    const [one, two] = [folder(files), folder(files)];
    expect(await strategySourceHash(join(one, 's.ts'))).toBe(await strategySourceHash(join(two, 's.ts')));
  });

  it('refuses an import graph past its bound with a coded error', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i <= SOURCE_HASH_MAX_FILES; i++) files[`m${i}.js`] = `import './m${i + 1}.js';`;
    const dir = folder(files);
    const err = await asyncErrorOf(() => strategySourceHash(join(dir, 'm0.js')));
    expect(err).toMatchObject({ code: 'PI5_ERR_BAD_STRATEGY' });
    expect(err.message).toContain(`more than ${SOURCE_HASH_MAX_FILES} local modules`);
  });

  it('names an unreadable strategy file', async () => {
    const err = await asyncErrorOf(() => strategySourceHash('/nonexistent/pi5/strategy.ts'));
    expect(err).toMatchObject({ code: 'PI5_ERR_UNKNOWN_STRATEGY' });
  });
});
