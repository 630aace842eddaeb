// A tiny safe expression language for objectives and constraints ("sharpe * (1 - maxDrawdown)",
// "maxDrawdown < 0.2", "fast < slow"): numbers, names, arithmetic, comparisons, and/or/not and a few
// functions, parsed once into a closure tree. No eval, no property access, nothing but numbers.

import { Pi5Error } from '../core/errors.js';

/** Evaluates against a lookup of names; booleans are 1 and 0, an unknown or null value is NaN. */
export type Compiled = ((vars: (name: string) => number) => number) & { readonly names: readonly string[] };

type Node = (vars: (name: string) => number) => number;

const FUNCS: Record<string, (...a: number[]) => number> = {
  abs: Math.abs,
  min: Math.min,
  max: Math.max,
  sqrt: Math.sqrt,
  log: Math.log,
  exp: Math.exp,
};

const BINARY: Record<string, { prec: number; fn: (a: number, b: number) => number }> = {
  '||': { prec: 1, fn: (a, b) => (a !== 0 && !Number.isNaN(a)) || (b !== 0 && !Number.isNaN(b)) ? 1 : 0 },
  '&&': { prec: 2, fn: (a, b) => (a !== 0 && !Number.isNaN(a)) && (b !== 0 && !Number.isNaN(b)) ? 1 : 0 },
  '==': { prec: 3, fn: (a, b) => (a === b ? 1 : 0) },
  '!=': { prec: 3, fn: (a, b) => (a !== b ? 1 : 0) },
  '<': { prec: 4, fn: (a, b) => (a < b ? 1 : 0) },
  '<=': { prec: 4, fn: (a, b) => (a <= b ? 1 : 0) },
  '>': { prec: 4, fn: (a, b) => (a > b ? 1 : 0) },
  '>=': { prec: 4, fn: (a, b) => (a >= b ? 1 : 0) },
  '+': { prec: 5, fn: (a, b) => a + b },
  '-': { prec: 5, fn: (a, b) => a - b },
  '*': { prec: 6, fn: (a, b) => a * b },
  '/': { prec: 6, fn: (a, b) => a / b },
  '%': { prec: 6, fn: (a, b) => a % b },
};

const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\|\||&&|==|!=|<=|>=|[-+*/%<>!(),]))/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (m === null) throw exprError(text, `unexpected character at ${at + 1}: ${JSON.stringify(text.slice(at).trim().charAt(0))}`);
    out.push(m[1] ?? m[2] ?? m[3] ?? '');
  }
  return out;
}

function exprError(text: string, why: string): Pi5Error {
  return new Pi5Error('PI5_ERR_BAD_USAGE', `expression ${JSON.stringify(text)}: ${why}`, { expression: text });
}

class Parser {
  private i = 0;
  readonly names = new Set<string>();
  constructor(
    private readonly text: string,
    private readonly toks: readonly string[],
  ) {}

  parse(): Node {
    const node = this.binary(1);
    if (this.i < this.toks.length) throw exprError(this.text, `unexpected ${JSON.stringify(this.toks[this.i])}`);
    return node;
  }

  private peek(): string | undefined {
    return this.toks[this.i];
  }

  private take(expected?: string): string {
    const t = this.toks[this.i];
    if (t === undefined || (expected !== undefined && t !== expected)) {
      throw exprError(this.text, expected === undefined ? 'ends too early' : `expected ${JSON.stringify(expected)}`);
    }
    this.i++;
    return t;
  }

  private binary(minPrec: number): Node {
    let left = this.unary();
    for (;;) {
      const op = BINARY[this.peek() ?? ''];
      if (op === undefined || op.prec < minPrec) return left;
      this.i++;
      const right = this.binary(op.prec + 1);
      const l = left;
      left = (v) => op.fn(l(v), right(v));
    }
  }

  private unary(): Node {
    const t = this.peek();
    if (t === '-' || t === '+' || t === '!') {
      this.i++;
      const inner = this.unary();
      if (t === '-') return (v) => -inner(v);
      if (t === '!') return (v) => (inner(v) === 0 ? 1 : 0);
      return inner;
    }
    return this.primary();
  }

  private primary(): Node {
    const t = this.take();
    if (t === '(') {
      const inner = this.binary(1);
      this.take(')');
      return inner;
    }
    if (/^[\d.]/.test(t)) {
      const n = Number(t);
      return () => n;
    }
    if (!/^[A-Za-z_]/.test(t)) throw exprError(this.text, `unexpected ${JSON.stringify(t)}`);
    if (this.peek() === '(') return this.call(t);
    if (t === 'true' || t === 'false') {
      const n = t === 'true' ? 1 : 0;
      return () => n;
    }
    this.names.add(t);
    return (v) => v(t);
  }

  private call(name: string): Node {
    const fn = Object.hasOwn(FUNCS, name) ? FUNCS[name] : undefined;
    if (fn === undefined) throw exprError(this.text, `unknown function ${name} (known: ${Object.keys(FUNCS).join(', ')})`);
    this.take('(');
    const args: Node[] = [];
    if (this.peek() !== ')') {
      args.push(this.binary(1));
      while (this.peek() === ',') {
        this.i++;
        args.push(this.binary(1));
      }
    }
    this.take(')');
    return (v) => fn(...args.map((a) => a(v)));
  }
}

/** Parses once; the result evaluates fast, with names checked against `known` when given. */
export function compileExpression(text: string, known?: ReadonlySet<string>): Compiled {
  const toks = tokenize(text);
  if (toks.length === 0) throw exprError(text, 'is empty');
  const parser = new Parser(text, toks);
  const node = parser.parse();
  const names = [...parser.names];
  if (known !== undefined) {
    for (const n of names) if (!known.has(n)) throw exprError(text, `unknown name ${n} (known: ${[...known].join(', ')})`);
  }
  return Object.assign((vars: (name: string) => number) => node(vars), { names });
}

/** True when an evaluated value counts as true: non-zero and not NaN. */
export function truthy(x: number): boolean {
  return x !== 0 && !Number.isNaN(x);
}
