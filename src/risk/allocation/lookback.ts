// The longest history an allocation policy may look back over, shared by the config schema and the allocator
// (which must not load the schema: the kernel builds allocators without zod).

/** Longest lookback (time steps): also how many per-strategy returns the allocator keeps. */
export const MAX_ALLOCATION_LOOKBACK = 5000;
