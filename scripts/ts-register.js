// Runs TypeScript sources directly under Node (`node -r ./scripts/ts-register.js file.ts`): a require hook that
// transpiles each .ts file as it is loaded (scripts/ts-transpile.js), as ts-node's transpile-only mode does,
// at a fraction of its start-up cost, and keeps the result on disk (scripts/ts-cache.js). Used by the
// scimform bin, cdktf.json's app and the npm scripts; errors point at .ts lines (source maps on for .ts files).
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const { cachedTranspileTs } = require('./ts-cache');

if (!Module._extensions['.ts'] || !Module._extensions['.ts'].scimform) {
  const compile = function (module, filename) {
    module._compile(cachedTranspileTs(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
  compile.scimform = true;
  Module._extensions['.ts'] = compile;
  if (process.setSourceMapsEnabled) {
    process.setSourceMapsEnabled(true);
    // Source maps for our .ts files only: with maps on, Node also reads and parses the source map of every
    // .js module that names one (cdktf, constructs, …), ~90 ms of CPU in each process that loads cdktf. They
    // are turned off while a .js file compiles and back on after, so errors still point at .ts lines.
    const compileJs = Module._extensions['.js'];
    Module._extensions['.js'] = function (module, filename) {
      process.setSourceMapsEnabled(false);
      try {
        return compileJs.call(this, module, filename);
      } finally {
        process.setSourceMapsEnabled(true);
      }
    };
  }
}
