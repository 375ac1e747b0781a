// Runs TypeScript sources directly under Node (`node -r ./scripts/ts-register.js file.ts`): a require hook that
// transpiles each .ts file as it is loaded (scripts/ts-transpile.js), as ts-node's transpile-only mode does,
// at a fraction of its start-up cost. Used by the scimform bin, cdktf.json's app and the npm scripts; errors
// point at .ts lines (source maps on). Transpiled files are cached on disk (scripts/ts-cache.js).
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const { transpileTs, TRANSPILE_VERSION } = require('./ts-transpile');
const { cacheDir, cachedTranspile } = require('./ts-cache');

if (!Module._extensions['.ts'] || !Module._extensions['.ts'].scimform) {
  const dir = cacheDir();
  const compile = function (module, filename) {
    module._compile(cachedTranspile(dir, TRANSPILE_VERSION, transpileTs, fs.readFileSync(filename, 'utf8'), filename), filename);
  };
  compile.scimform = true;
  Module._extensions['.ts'] = compile;
  process.setSourceMapsEnabled?.(true);
}
