// Route schemas compiled on a route's first request instead of at start-up. Fastify compiles every route's
// validators (Ajv) and response serializers (fast-json-stringify) before it listens: ~1.2 s of a start's CPU
// and most of the API's heap, for routes an idle server may never see (docs/benchmarks.md, "Server start").
// Each compiled function is the one Fastify's own compilers make, with the server's Ajv options; the compiler
// packages themselves load with the first compilation.

import type { FastifyServerOptions } from 'fastify';
import { createRequire } from 'node:module';

/** What Fastify hands a validator or serializer compiler for one part of one route. */
interface RouteSchema {
  readonly schema: unknown;
  readonly method?: string;
  readonly url?: string;
}

type Compiled = ((...args: unknown[]) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type Compile = (route: RouteSchema) => Compiled;
type BuildCompiler = (externalSchemas: unknown, options?: unknown) => Compile;

const require = createRequire(import.meta.url);

/**
 * A function standing for `compile()`'s result, compiling on its first use. Fastify reads `schemaEnv` (Ajv's
 * mark that the validator may coerce the request part in place) and `errors` (set by the last failed call)
 * from a validator: both are read from the compiled one.
 */
export function compiledOnFirstUse(compile: () => Compiled): Compiled {
  let compiled: Compiled | undefined;
  const real = (): Compiled => (compiled ??= compile());
  const standIn = function (this: unknown, ...args: unknown[]): unknown {
    return real().apply(this, args);
  } as Compiled;
  Object.defineProperty(standIn, 'errors', { get: () => real().errors });
  Object.defineProperty(standIn, 'schemaEnv', { get: () => real().schemaEnv });
  return standIn;
}

/** Fastify's default compiler factory from `pkg`, loaded on the first compilation. */
function onFirstUse(pkg: string): BuildCompiler {
  return (externalSchemas, options) => {
    let compiler: Compile | undefined;
    return (route) =>
      compiledOnFirstUse(() => {
        compiler ??= (require(pkg) as () => BuildCompiler)()(externalSchemas, options);
        return compiler(route);
      });
  };
}

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** Fastify's `schemaController` option: its own compilers, each schema compiled when first needed. */
export function lazySchemaController(): { compilersFactory: Factories } {
  // Fastify types a validator as Ajv's (with its `schema` field); what it calls is the function, `errors` and `schemaEnv`.
  return {
    compilersFactory: {
      buildValidator: onFirstUse('@fastify/ajv-compiler') as unknown as NonNullable<Factories['buildValidator']>,
      buildSerializer: onFirstUse('@fastify/fast-json-stringify-compiler') as unknown as NonNullable<Factories['buildSerializer']>,
    },
  };
}
