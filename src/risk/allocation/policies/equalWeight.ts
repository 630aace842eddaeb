// Equal weight: every allocated strategy gets 1/n of the allocatable capital, whatever its record.

import { equalWeights, type AllocationPolicy } from './types.js';

export const equalWeightPolicy: AllocationPolicy = (tracks) => equalWeights(tracks.length);
