// How scimform turns one TypeScript file into CommonJS when running from source: esbuild strips the types
// (no type checking: that is `npm run build`), dynamic import() becomes require() as in tsc's CommonJS output,
// and an inline source map keeps error lines those of the .ts file. Used by scripts/ts-register.js (the bin,
// cdktf.json's app, npm scripts) and test/support/esbuild-transform.js (jest). esbuild itself is loaded on
// the first transpile only (a process whose files all come from scripts/ts-cache.js never loads it).
'use strict';
const { version } = require('esbuild/package.json');

const OPTIONS = { loader: 'ts', format: 'cjs', target: 'node20', supported: { 'dynamic-import': false }, sourcemap: 'inline', sourcesContent: false, keepNames: true };

/** JavaScript (CommonJS) for the TypeScript `source` of `filename`. */
function transpileTs(source, filename) {
  return require('esbuild').transformSync(source, { ...OPTIONS, sourcefile: filename }).code;
}

/** Changes whenever the output for the same input could change (for caches). */
const TRANSPILE_VERSION = `esbuild ${version} ${JSON.stringify(OPTIONS)}`;

module.exports = { transpileTs, TRANSPILE_VERSION };
