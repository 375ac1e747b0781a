// Runs TypeScript sources directly under Node (`node -r ./scripts/ts-register.js file.ts`): a require hook that
// strips types with esbuild, one file at a time, as ts-node's transpile-only mode does, at a fraction of the
// start-up cost. Type checking stays `npm run build` (tsc). Used by the scimform bin, cdktf.json's app and the
// npm scripts; errors point at .ts lines (source maps on).
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const { transformSync } = require('esbuild');

// Like tsc's CommonJS output: dynamic import() becomes require(), so a .ts module can be imported dynamically.
const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', supported: { 'dynamic-import': false }, sourcemap: 'inline', sourcesContent: false, keepNames: true };

if (!Module._extensions['.ts'] || !Module._extensions['.ts'].scimform) {
  const compile = function (module, filename) {
    const source = fs.readFileSync(filename, 'utf8');
    const { code } = transformSync(source, { ...OPTIONS, sourcefile: filename });
    module._compile(code, filename);
  };
  compile.scimform = true;
  Module._extensions['.ts'] = compile;
  process.setSourceMapsEnabled?.(true);
}
