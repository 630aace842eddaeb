import { describe, expect, it } from 'vitest';
import { compileExpression, truthy } from '../../../src/optimize/expr.js';

const vars = (o: Record<string, number>) => (n: string) => o[n] ?? NaN;
const ev = (text: string, o: Record<string, number> = {}): number => compileExpression(text)(vars(o));

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

describe('expression evaluator', () => {
  it('follows arithmetic precedence and unary minus', () => {
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('-2 * -3 - 4 / 2')).toBe(4);
    expect(ev('7 % 4 + 1e2 + .5')).toBe(103.5);
  });

  it('compares and combines with and/or/not, booleans as 1 and 0', () => {
    expect(ev('fast < slow', { fast: 5, slow: 20 })).toBe(1);
    expect(ev('fast < slow && slow <= 20', { fast: 5, slow: 21 })).toBe(0);
    expect(ev('!(a == b) || a >= 3', { a: 1, b: 2 })).toBe(1);
    expect(ev('true + true')).toBe(2);
  });

  it('reads names and calls the known functions', () => {
    expect(ev('sharpe * (1 - maxDrawdown)', { sharpe: 2, maxDrawdown: 0.25 })).toBe(1.5);
    expect(ev('max(1, abs(-4), sqrt(9))')).toBe(4);
    expect(compileExpression('a + b * a').names).toEqual(['a', 'b']);
  });

  it('treats a missing value as NaN, which is not true', () => {
    expect(truthy(ev('x > 0'))).toBe(false);
    expect(Number.isNaN(ev('x + 1'))).toBe(true);
    expect(truthy(ev('x'))).toBe(false);
  });

  it('rejects bad text, unknown names and unknown functions with PI5_ERR_BAD_USAGE', () => {
    for (const bad of ['', '1 +', '(1', '1 2', 'a.b', 'a[0]', 'process.exit(1)', '"x"', 'constructor(1)', '1 ; 2']) {
      expect(codeOf(() => compileExpression(bad)), bad).toBe('PI5_ERR_BAD_USAGE');
    }
    expect(codeOf(() => compileExpression('sharp > 1', new Set(['sharpe'])))).toBe('PI5_ERR_BAD_USAGE');
  });
});
