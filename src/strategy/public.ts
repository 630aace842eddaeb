// The published strategy API (`import { defineStrategy } from 'pi5-trading/strategy'`): everything a user's
// strategy module may use, and nothing of the engine's internals.

export * from './api.js';
export * from './params.js';
export * from '../indicators/index.js';
export type {
  Bar,
  BracketRequest,
  Fill,
  Instrument,
  Order,
  OrderChanges,
  OrderRequest,
  OrderType,
  PositionView,
  Quote,
  Side,
  SignalKind,
  TimeInForce,
  Trade,
} from '../model/types.js';
export type { AlgoKind, AlgoRequest, AlgoStatus, AlgoUpdate } from '../model/algo.js';
