// Jest transform: TypeScript → CommonJS the same way as when scimform runs from source
// (scripts/ts-transpile.js: esbuild strips the types). Type checking is `npm run build` (tsc).
'use strict';
const crypto = require('node:crypto');
const { transpileTs, TRANSPILE_VERSION } = require('../../scripts/ts-transpile');

module.exports = {
  process(source, filename) {
    return { code: transpileTs(source, filename) };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update(TRANSPILE_VERSION).update(filename).update('\0').update(source).digest('hex');
  },
};
