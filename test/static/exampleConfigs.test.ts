// Every example configuration in docs/examples loads as `pi5 serve --config` would load it (no secrets, valid values).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/configFile.js';
import { PROJECT_ROOT } from '../helpers/shared.js';

const dir = join(PROJECT_ROOT, 'docs', 'examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('example configurations', () => {
  it('cover backtest-only, paper, live Alpaca and multi-machine setups', () => {
    expect(files).toEqual(expect.arrayContaining(['backtest-only.config.yaml', 'paper.config.yaml', 'live-alpaca.config.yaml', 'multi-machine.config.yaml']));
  });

  it.each(files)('%s loads and validates', (file) => {
    const loaded = loadConfig({ env: {}, configPath: join(dir, file) });
    expect(loaded.file).toBe(join(dir, file));
    expect(['daily', 'off']).toContain(loaded.server.backupSchedule);
  });

  it('the live example trades Alpaca minute bars, and the worker example keeps backups off', () => {
    expect(loadConfig({ env: {}, configPath: join(dir, 'live-alpaca.config.yaml') }).server.live).toMatchObject({ provider: 'alpaca', timeframe: '1m' });
    expect(loadConfig({ env: {}, configPath: join(dir, 'multi-machine.config.yaml') }).server.backupSchedule).toBe('off');
  });
});
