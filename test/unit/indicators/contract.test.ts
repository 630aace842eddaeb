// Every indicator in the library through the shared contract.

import {
  ADX,
  ATR,
  BollingerBands,
  DonchianChannel,
  EMA,
  MACD,
  RSI,
  RollingMax,
  RollingMin,
  RollingStdev,
  SMA,
  VWAP,
  type SeriesIndicator,
} from '../../../src/indicators/index.js';
import { indicatorContract, type ContractSubject } from './contract.js';

function series(ind: SeriesIndicator, outputs: () => number[] = () => [ind.value]): ContractSubject {
  return { indicator: ind, step: (b) => ind.update(b.close), outputs };
}

indicatorContract({ name: 'SMA(5)', documentedWarmUp: 5, create: () => series(new SMA(5)) });
indicatorContract({ name: 'SMA(1)', documentedWarmUp: 1, create: () => series(new SMA(1)) });
indicatorContract({ name: 'EMA(10)', documentedWarmUp: 10, create: () => series(new EMA(10)) });
indicatorContract({ name: 'RSI(14)', documentedWarmUp: 15, create: () => series(new RSI()) });
indicatorContract({
  name: 'MACD(12, 26, 9)',
  documentedWarmUp: 34,
  create: () => {
    const m = new MACD();
    return series(m, () => [m.value, m.macd, m.signal, m.histogram]);
  },
});
indicatorContract({
  name: 'BollingerBands(20, 2)',
  documentedWarmUp: 20,
  create: () => {
    const b = new BollingerBands();
    return series(b, () => [b.value, b.upper, b.middle, b.lower, b.stdev]);
  },
});
indicatorContract({
  name: 'RollingStdev(10, sample)',
  documentedWarmUp: 10,
  create: () => {
    const s = new RollingStdev(10);
    return series(s, () => [s.value, s.mean]);
  },
});
indicatorContract({
  name: 'RollingStdev(10, population)',
  documentedWarmUp: 10,
  create: () => series(new RollingStdev(10, 'population')),
});
indicatorContract({ name: 'RollingMax(7)', documentedWarmUp: 7, create: () => series(new RollingMax(7)) });
indicatorContract({ name: 'RollingMin(7)', documentedWarmUp: 7, create: () => series(new RollingMin(7)) });
indicatorContract({
  name: 'ATR(14)',
  documentedWarmUp: 14,
  create: () => {
    const a = new ATR();
    return { indicator: a, step: (b) => a.updateBar(b.high, b.low, b.close), outputs: () => [a.value] };
  },
});
indicatorContract({
  name: 'ADX(14)',
  documentedWarmUp: 28,
  create: () => {
    const a = new ADX();
    return {
      indicator: a,
      step: (b) => a.updateBar(b.high, b.low, b.close),
      outputs: () => [a.value, a.adx, a.plusDI, a.minusDI],
    };
  },
});
indicatorContract({
  name: 'DonchianChannel(20)',
  documentedWarmUp: 20,
  create: () => {
    const d = new DonchianChannel();
    return {
      indicator: d,
      step: (b) => d.updateBar(b.high, b.low),
      outputs: () => [d.value, d.upper, d.middle, d.lower],
    };
  },
});
indicatorContract({
  name: 'VWAP',
  documentedWarmUp: 1,
  create: () => {
    const v = new VWAP();
    // The contract's bars may carry zero volume; VWAP's warm-up is one bar with volume, so give every bar some.
    return { indicator: v, step: (b) => v.updateBar(b.high, b.low, b.close, b.volume + 1), outputs: () => [v.value] };
  },
});
