// Turns zod issues into the messages a person can act on: the YAML path (`session.strategies[0].params.fast`)
// and the problem, never the value itself (it may be a URL with a password).

import type { z } from 'zod';

/** `session.strategies[0].params.fast` from ['session', 'strategies', 0, 'params', 'fast']. */
export function yamlPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const p of parts) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(root)' : out;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  // A coerced variable or flag: the text was not a number.
  if (typeof v === 'number' && Number.isNaN(v)) return 'something else';
  if (typeof v === 'object') return 'a mapping';
  return typeof v === 'undefined' ? 'nothing' : `a ${typeof v}`;
}

function article(expected: string): string {
  if (expected === 'object') return 'a mapping';
  if (expected === 'array') return 'a list';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** One line per problem: `path: message` (unknown keys each get their own path). */
export function describeIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string[] {
  const out: string[] = [];
  for (const i of issues) {
    const path = [...prefix, ...i.path];
    if (i.code === 'unrecognized_keys') {
      for (const k of i.keys) out.push(`${yamlPath([...path, k])}: unknown key`);
    } else if (i.code === 'invalid_type') {
      // reportInput is on: say what was found (its kind, not its value).
      out.push(`${yamlPath(path)}: ${i.input === undefined ? 'required' : `expected ${article(i.expected)}, got ${kindOf(i.input)}`}`);
    } else {
      out.push(`${yamlPath(path)}: ${i.message}`);
    }
  }
  return out;
}
