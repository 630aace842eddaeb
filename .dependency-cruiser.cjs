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
      name: 'api-mounts-on-a-node',
      comment: 'the trading node (src/node/) assembles the system; the API opens no storage or cache and reaches the session only through its view',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/(persistence/(openDatabase|migrations/)|cache/openCache|engine/live/tradingSession)' },
    },
    {
      name: 'domain-does-not-import-the-node',
      severity: 'error',
      from: { path: '^src/(model|core|strategy|risk|execution|portfolio|engine|backtest|data|persistence|cache|auth)/' },
      to: { path: '^src/node/' },
    },
    {
      name: 'trading-layers-do-not-import-backtest',
      comment: 'risk, execution and portfolio sit below backtest (STYLE.md layer order); shared math lives in core/stats',
      severity: 'error',
      from: { path: '^src/(risk|execution|portfolio|strategy|model|core)/' },
      to: { path: '^src/backtest/' },
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
