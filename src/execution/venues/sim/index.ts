// The simulated venue as the kernel takes it: a factory that builds a SimulatedExchange reporting to the kernel.

import type { VenueFactory } from '../venue.js';
import { SimulatedExchange, type ExchangeConfig } from './exchange.js';

export { SimulatedExchange, type ExchangeConfig } from './exchange.js';

export function simulatedVenue(config: ExchangeConfig): VenueFactory {
  return (d) => new SimulatedExchange(config, d.reports, d.instrument, d.now, d.hasInstrument);
}
