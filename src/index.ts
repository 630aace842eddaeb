// The library entry point: run backtests from code with the same kernel the CLI uses.

export { runBacktest, ENGINE_VERSION, type BacktestInput } from './engine/backtestRunner.js';
export { parseRiskSpec } from './engine/riskSpec.js';
export { parseCommissionSpec, parseSize, parseSlippageSpec, parseTradingSpecs, type CommissionSpec, type SizeSpec, type SlippageSpec, type TradingSpecs } from './engine/specs.js';
export { readBarsCsv, readBarsDir, parseBarsCsv } from './data/csv/index.js';
export { generateSyntheticBars } from './data/synthetic.js';
export { builtinStrategies, findBuiltin } from './strategy/registry.js';
export { loadStrategy } from './strategy/loader.js';
export * from './strategy/public.js';
export type { BacktestResult, Metrics } from './backtest/types.js';
export { Pi5Error, type ErrorCode } from './core/errors.js';
