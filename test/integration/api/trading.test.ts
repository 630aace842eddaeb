// The trading suite on the embedded defaults: PGlite and the in-memory cache.

import { tradingSuite } from './tradingSuite.js';

tradingSuite('PGlite, memory cache', async () => ({ env: {}, cleanup: async () => undefined }));
