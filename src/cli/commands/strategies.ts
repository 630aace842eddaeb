// `pi5 strategies`: the built-in strategies with each parameter's type, default and range, and the rules across them.

import type { Command } from 'commander';
import { builtinStrategies } from '../../strategy/registry.js';
import type { ParamSpec } from '../../strategy/params.js';

function range(spec: ParamSpec): string {
  if (spec.type === 'enum') return spec.options.join('|');
  if (spec.type === 'int' || spec.type === 'number') {
    if (spec.min === undefined && spec.max === undefined) return '';
    return `${spec.min ?? '-∞'}..${spec.max ?? '∞'}`;
  }
  return '';
}

export function strategiesAsJson(): object[] {
  return builtinStrategies().map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    params: Object.entries(s.params).map(([name, spec]) => ({
      name,
      type: spec.type,
      default: spec.default,
      ...(spec.type === 'int' || spec.type === 'number' ? { min: spec.min ?? null, max: spec.max ?? null } : {}),
      ...(spec.type === 'enum' ? { options: spec.options } : {}),
      description: spec.description,
    })),
    // Rules across parameters, checked before a run (strategy/definitionParams.ts).
    constraints: (s.constraints ?? []).map((c) => ({ params: c.params, rule: c.rule })),
  }));
}

export function strategiesAsText(): string {
  const out: string[] = [];
  for (const s of builtinStrategies()) {
    out.push(`${s.id} — ${s.name}`, `  ${s.description}`);
    for (const [name, spec] of Object.entries(s.params)) {
      const r = range(spec);
      out.push(`    ${name.padEnd(18)} ${spec.type.padEnd(8)} default ${JSON.stringify(spec.default)}${r ? `  range ${r}` : ''}  ${spec.description}`);
    }
    const rules = (s.constraints ?? []).map((c) => c.rule);
    if (rules.length > 0) out.push(`    must hold: ${rules.join('; ')}`);
    out.push('');
  }
  return out.join('\n');
}

export function registerStrategies(program: Command): void {
  program
    .command('strategies')
    .description('list the built-in strategies and their parameters')
    .option('--json', 'machine-readable output')
    .action((flags: { json?: boolean }) => {
      process.stdout.write(flags.json ? JSON.stringify(strategiesAsJson(), null, 2) + '\n' : strategiesAsText());
    });
}
