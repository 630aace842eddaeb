// `pi5 risk kill-switch trip|reset|status`: a person's hand on the kill switch. Works on the state file the
// kernel loads at start (`${PI5_DATA_DIR ?? './data'}/risk-state.json`), so a trip holds across restarts.

import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { Pi5Error } from '../../core/errors.js';
import { FileRiskStateStore } from '../../risk/fileStateStore.js';
import { KillSwitch, type KillSwitchState } from '../../risk/killSwitch.js';

export interface KillSwitchFlags {
  reason?: string;
  by?: string;
  json?: boolean;
  stateFile?: string;
}

function who(flags: KillSwitchFlags): string {
  if (flags.by !== undefined && flags.by.trim() !== '') return flags.by.trim();
  return userInfo().username;
}

function describeState(s: KillSwitchState): string {
  if (s.changedAt === 0) return 'kill switch: clear (never tripped)';
  const when = new Date(s.changedAt).toISOString();
  return s.tripped ? `kill switch: TRIPPED at ${when} by ${s.changedBy}: ${s.reason}` : `kill switch: clear (reset at ${when} by ${s.changedBy}: ${s.reason})`;
}

export function killSwitchCommand(action: string, flags: KillSwitchFlags): void {
  const store = new FileRiskStateStore(flags.stateFile);
  const ks = new KillSwitch(store);
  const now = Date.now();
  let note = '';
  if (action === 'trip') {
    if (!ks.trip(flags.reason ?? 'tripped by hand', who(flags), now)) note = 'already tripped; nothing changed\n';
  } else if (action === 'reset') {
    if (!ks.reset(who(flags), now, flags.reason ?? 'reset by hand')) note = 'not tripped; nothing changed\n';
  } else if (action !== 'status') {
    throw new Pi5Error('PI5_ERR_BAD_USAGE', `risk kill-switch: ${JSON.stringify(action)} is not trip, reset or status`);
  }
  const s = ks.current;
  if (flags.json === true) {
    const body = { tripped: s.tripped, reason: s.reason, changedAt: s.changedAt === 0 ? null : new Date(s.changedAt).toISOString(), changedBy: s.changedBy, stateFile: store.path };
    process.stdout.write(JSON.stringify(body) + '\n');
    return;
  }
  process.stdout.write(`${note}${describeState(s)}\nstate file: ${store.path}\n`);
}

export function registerRisk(program: Command): void {
  const risk = program.command('risk').description('risk controls');
  risk
    .command('kill-switch <trip|reset|status>')
    .description('trip, reset or show the kill switch (tripped: only orders that reduce a position are accepted)')
    .option('--reason <text>', 'why (recorded with the state)')
    .option('--by <name>', 'who (default: the OS user)')
    .option('--state-file <path>', 'risk state file (default: $PI5_DATA_DIR/risk-state.json, PI5_DATA_DIR defaults to ./data)')
    .option('--json', 'print the state as JSON')
    .action((action: string, flags: KillSwitchFlags) => killSwitchCommand(action, flags));
}
