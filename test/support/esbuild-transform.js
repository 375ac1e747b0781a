// Jest transform: TypeScript → CommonJS with esbuild (a dependency already: it bundles the provider).
// Type checking is `npm run build` (tsc); like ts-jest's isolatedModules mode this only strips types, but
// in a fraction of the time, which counts on a fresh clone where nothing is cached yet.
'use strict';
const crypto = require('node:crypto');
const { transformSync, version } = require('esbuild');

// Dynamic import() becomes require(): jest runs CommonJS in a vm without ES-module support.
const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', supported: { 'dynamic-import': false }, sourcemap: 'inline', sourcesContent: false, keepNames: true };

module.exports = {
  process(source, filename) {
    const { code } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    return { code };
  },
  getCacheKey(source, filename) {
    return crypto.createHash('sha1').update(version).update(JSON.stringify(OPTIONS)).update(filename).update('\0').update(source).digest('hex');
  },
};
