/**
 * Architecture rules: no cycles; model and core import nothing of ours; indicators are a leaf both strategies and
 * risk sizing use; the domain never imports adapters or the program's edges (node, api, cli); venues and
 * providers never reach up into the API. docs/architecture.md draws the same picture.
 */
const DOMAIN = '^src/(model|core|indicators|strategy|risk|execution|portfolio|engine|backtest|data)/';

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
      name: 'indicators-are-a-leaf',
      comment: 'strategies and risk sizing both compute indicators; indicators see only model and core',
      severity: 'error',
      from: { path: '^src/indicators/' },
      to: { path: '^src/', pathNot: '^src/(indicators|model|core)/' },
    },
    {
      name: 'domain-does-not-import-adapters',
      comment: 'backtest/jobs is the one part of backtest that runs against storage (queue rows, stored bars)',
      severity: 'error',
      from: { path: '^src/(strategy|risk|execution|portfolio|engine|backtest)/', pathNot: '^src/backtest/jobs/' },
      to: { path: '^src/(cli|api|persistence)/' },
    },
    {
      name: 'domain-does-not-import-the-edges',
      comment: 'the node assembles the domain, the API and CLI drive it; never the other way round',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: '^src/(node|api|cli)/' },
    },
    {
      name: 'api-does-not-import-cli',
      comment: 'what both need (dates, specs, bar loading) lives below them',
      severity: 'error',
      from: { path: '^src/api/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'risk-does-not-import-strategy',
      comment: 'sizers use indicators from src/indicators/, not from strategy code',
      severity: 'error',
      from: { path: '^src/risk/' },
      to: { path: '^src/strategy/' },
    },
    {
      name: 'venues-and-providers-do-not-import-api',
      severity: 'error',
      from: { path: '^src/(execution|data/providers)/' },
      to: { path: '^src/(api|node|cli)/' },
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
      from: { path: '^src/(risk|execution|portfolio|strategy|indicators|model|core)/' },
      to: { path: '^src/backtest/' },
    },
    {
      name: 'strategies-see-only-the-public-api',
      severity: 'error',
      from: { path: '^src/strategy/builtin/' },
      to: { path: '^src/(engine|execution|portfolio|risk)/' },
    },
    {
      name: 'venues-see-only-the-order-seam',
      comment: 'a venue (simulated, write-ahead, broker) talks to the OMS only through execution/reports.ts: never the OMS, engine, strategies or the edge',
      severity: 'error',
      from: { path: '^src/execution/venues/' },
      to: { path: '^src/((engine|api|cli|node|strategy|risk|portfolio|backtest|persistence)/|execution/(oms|clientOrderIds|orderArchive)\\.ts$|execution/algos/)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
