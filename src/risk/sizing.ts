// Kept so existing `risk/sizing.js` imports resolve (ESM needs the file): the sizers live in risk/sizing/.

export * from './sizing/index.js';
