// Prometheus naming rules, as `promtool check metrics` applies them (prometheus/util/promlint), over parsed
// exposition text: lets tests check /metrics without the promtool binary.

import type { PromFamily } from 'parse-prometheus-text-format';

export interface LintProblem {
  readonly metric: string;
  readonly text: string;
}

const CAMEL = /[a-z][A-Z]/;
// promlint's own lists: abbreviations it rejects as a whole name part, and prefixed or non-base units.
const ABBREVIATED_UNITS = ['s', 'ms', 'us', 'ns', 'sec', 'b', 'kb', 'mb', 'gb', 'tb', 'pb', 'm', 'h', 'd'];
const NON_BASE_UNITS = ['milliseconds', 'microseconds', 'nanoseconds', 'minutes', 'hours', 'days', 'weeks', 'kilobytes', 'megabytes', 'gigabytes', 'kibibytes', 'mebibytes', 'gibibytes'];
const TYPE_WORDS = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];

function nameProblems(f: PromFamily): string[] {
  const out: string[] = [];
  const parts = f.name.split('_');
  if (f.help.trim() === '') out.push('no help text');
  if (f.type === 'COUNTER' && !f.name.endsWith('_total')) out.push('counter metrics should have "_total" suffix');
  if (f.type !== 'COUNTER' && f.name.endsWith('_total')) out.push('non-counter metrics should not have "_total" suffix');
  if (f.type !== 'HISTOGRAM' && f.name.endsWith('_bucket')) out.push('non-histogram metrics should not have "_bucket" suffix');
  if (f.type !== 'HISTOGRAM' && f.type !== 'SUMMARY' && (f.name.endsWith('_count') || f.name.endsWith('_sum'))) {
    out.push('non-histogram and non-summary metrics should not have "_count" or "_sum" suffix');
  }
  if (f.name.includes(':')) out.push('metric names should not contain ":"');
  if (CAMEL.test(f.name)) out.push("metric names should be written in 'snake_case' not 'camelCase'");
  for (const p of parts) {
    if (ABBREVIATED_UNITS.includes(p)) out.push(`metric names should not contain abbreviated units (${p})`);
    if (NON_BASE_UNITS.includes(p)) out.push(`use base units, not ${p}`);
    if (TYPE_WORDS.includes(p)) out.push(`metric name should not include type '${p}'`);
  }
  return out;
}

function labelProblems(f: PromFamily): string[] {
  const out = new Set<string>();
  for (const m of f.metrics) {
    for (const label of Object.keys(m.labels ?? {})) {
      if (CAMEL.test(label)) out.add(`label names should be written in 'snake_case' not 'camelCase' (${label})`);
      if (label === 'le' && f.type !== 'HISTOGRAM') out.add('non-histogram metrics should not have "le" label');
      if (label === 'quantile' && f.type !== 'SUMMARY') out.add('non-summary metrics should not have "quantile" label');
    }
  }
  return [...out];
}

export function lintMetrics(families: readonly PromFamily[]): LintProblem[] {
  const seen = new Set<string>();
  const out: LintProblem[] = [];
  for (const f of families) {
    if (seen.has(f.name)) out.push({ metric: f.name, text: 'duplicate metric' });
    seen.add(f.name);
    for (const text of [...nameProblems(f), ...labelProblems(f)]) out.push({ metric: f.name, text });
  }
  return out;
}
