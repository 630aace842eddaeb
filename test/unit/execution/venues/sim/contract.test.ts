// The simulated exchange passes the venue contract (test/contracts/venueContract.ts).

import { simulatedVenue } from '../../../../../src/execution/venues/sim/index.js';
import { venueContract } from '../../../../contracts/venueContract.js';
import { CONTRACT_SIM } from '../contractSim.js';

venueContract('simulated exchange', (deps) => {
  const venue = simulatedVenue(CONTRACT_SIM)(deps);
  return { venue, market: (bar) => venue.onBar(bar), settle: () => undefined };
});
