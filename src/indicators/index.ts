// The indicator library: incremental, allocation-free technical indicators for strategies.

export type { BarIndicator, Indicator, SeriesIndicator } from './indicator.js';
export { requirePeriod } from './indicator.js';
export { SMA } from './sma.js';
export { EMA } from './ema.js';
export { RSI } from './rsi.js';
export { MACD } from './macd.js';
export { RollingStdev, MAX_STDEV_PERIOD, type StdevKind } from './stdev.js';
export { BollingerBands } from './bollinger.js';
export { ATR, trueRange } from './atr.js';
export { ADX } from './adx.js';
export { VWAP } from './vwap.js';
export { RollingMax, RollingMin } from './rollingExtreme.js';
export { DonchianChannel } from './donchian.js';
export { crossedAbove, crossedBelow } from './cross.js';
