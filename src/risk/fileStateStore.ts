// RiskStateStore on a JSON file (`${PI5_DATA_DIR ?? './data'}/risk-state.json` by default), written
// atomically (temp file + rename) so a crash never leaves half a state.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { Pi5Error } from '../core/errors.js';
import type { KillSwitchState, RiskStateStore } from './killSwitch.js';

const fileSchema = z.object({
  version: z.literal(1),
  killSwitch: z.object({
    tripped: z.boolean(),
    reason: z.string(),
    changedAt: z.string().refine((t) => Number.isFinite(Date.parse(t)), { message: 'not an ISO date-time' }),
    changedBy: z.string(),
  }),
});

export function defaultRiskStatePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.PI5_DATA_DIR ?? './data', 'risk-state.json');
}

export class FileRiskStateStore implements RiskStateStore {
  constructor(readonly path: string = defaultRiskStatePath()) {}

  load(): KillSwitchState | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Pi5Error('PI5_ERR_IO', `${this.path}: cannot read risk state: ${(e as Error).message}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Pi5Error('PI5_ERR_BAD_CONFIG', `${this.path}: risk state is not JSON: ${(e as Error).message}`);
    }
    const r = fileSchema.safeParse(json);
    if (!r.success) {
      const problems = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new Pi5Error('PI5_ERR_BAD_CONFIG', `${this.path}: bad risk state: ${problems}`);
    }
    const k = r.data.killSwitch;
    return { tripped: k.tripped, reason: k.reason, changedAt: Date.parse(k.changedAt), changedBy: k.changedBy };
  }

  save(state: KillSwitchState): void {
    const body = { version: 1, killSwitch: { ...state, changedAt: new Date(state.changedAt).toISOString() } };
    const tmp = `${this.path}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      writeFileSync(tmp, JSON.stringify(body, null, 2) + '\n');
      renameSync(tmp, this.path);
    } catch (e) {
      throw new Pi5Error('PI5_ERR_IO', `${this.path}: cannot write risk state: ${(e as Error).message}`);
    }
  }
}
