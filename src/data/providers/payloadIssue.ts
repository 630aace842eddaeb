// One wording for a provider payload that fails its schema: the field, what is wrong, and the value received
// (cut short), e.g. `bars[1].c is not a number (got "abc")`. Each provider names its fields its own way.

import type { z } from 'zod';

/** The value at a zod issue path inside a decoded payload, or undefined when the path leads nowhere. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function withArticle(expected: string): string {
  if (expected === 'number') return 'a number';
  return `a${/^[aeiou]/.test(expected) ? 'n' : ''} ${expected}`;
}

/** `field` is how the provider shows the issue's path; the value is looked up at the issue's own path. */
export function describePayloadIssue(issue: z.core.$ZodIssue, payload: unknown, field: string): string {
  const got = valueAt(payload, issue.path);
  if (got === undefined) return `${field} is missing`;
  const shown = JSON.stringify(got)?.slice(0, 40) ?? String(got);
  if (issue.code === 'invalid_type') return `${field} is not ${withArticle(issue.expected)} (got ${shown})`;
  // Our own refinements read as a predicate ('is not an RFC 3339 time'); zod's own messages need a colon.
  if (issue.code === 'invalid_format' || issue.code === 'custom') return `${field} ${issue.message} (got ${shown})`;
  return `${field}: ${issue.message} (got ${shown})`;
}
