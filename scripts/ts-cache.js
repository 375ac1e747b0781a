// On-disk cache of transpiled TypeScript for scripts/ts-register.js. Every scimform command, synth and npm
// script otherwise transpiles the same ~40-50 .ts files again (and starts esbuild) in each process. An entry
// is named by a hash of the transpiler version (scripts/ts-transpile.js), the file name and the source, so a
// changed file or esbuild upgrade is simply a new entry, and an entry never changes once written: it is
// written to a temp file and renamed into place, so processes starting in parallel share it safely.
// Location: node_modules/.cache/scimform-ts (removed by `npm ci`); SCIMFORM_TS_CACHE=off turns it off.
// A cache that cannot be read or written is skipped silently: the file is then transpiled as before.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { transpileTs, TRANSPILE_VERSION } = require('./ts-transpile');

const CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'scimform-ts');
const enabled = () => process.env.SCIMFORM_TS_CACHE !== 'off';

/** The cache file of `source` at `filename`. */
function entryFile(source, filename) {
  const key = crypto.createHash('sha256').update(TRANSPILE_VERSION).update('\0').update(filename).update('\0').update(source).digest('hex');
  return path.join(CACHE_DIR, key.slice(0, 2), `${key.slice(2)}.js`);
}

/** transpileTs(source, filename), from the cache when this exact input was transpiled before. */
function cachedTranspileTs(source, filename) {
  if (!enabled()) return transpileTs(source, filename);
  const file = entryFile(source, filename);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // not cached yet (or unreadable): transpile and store
  }
  const code = transpileTs(source, filename);
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  } catch {
    // read-only checkout, full disk: run without the cache
    fs.rmSync(tmp, { force: true });
  }
  return code;
}

module.exports = { cachedTranspileTs, CACHE_DIR };
