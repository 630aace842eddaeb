// Moved to execution/venues/sim/commission.ts; this re-export keeps api/ importing it until api/ moves (issue 10, arch-jobs).

export * from '../venues/sim/commission.js';
