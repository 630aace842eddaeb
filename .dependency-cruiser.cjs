/** Architecture rules: no cycles; model and core import nothing of ours; the domain never imports adapters. */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'model-and-core-are-leaves',
      severity: 'error',
      from: { path: '^src/(model|core)/' },
      to: { path: '^src/', pathNot: '^src/(model|core)/' },
    },
    {
      name: 'model-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^src/core/' },
    },
    {
      name: 'domain-does-not-import-adapters',
      severity: 'error',
      from: { path: '^src/(strategy|risk|execution|portfolio|engine|backtest)/' },
      to: { path: '^src/(cli|api|persistence)/' },
    },
    {
      name: 'strategies-see-only-the-public-api',
      severity: 'error',
      from: { path: '^src/strategy/builtin/' },
      to: { path: '^src/(engine|execution|portfolio|risk)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
