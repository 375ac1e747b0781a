#!/usr/bin/env node
// The `scimform` executable (package.json "bin"): runs cli/main.ts from source through scripts/ts-register.js
// (esbuild strips the types; type checking is `npm run build`), so no build step is needed after `npm ci`.
'use strict';
const path = require('node:path');
require(path.join(__dirname, '..', 'scripts', 'ts-register.js'));
require('./main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    // Exit once stdout is flushed, even if a library left a timer or socket open.
    process.stdout.write('', () => process.exit(code));
  });
