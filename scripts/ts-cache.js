// A disk cache of transpiled TypeScript for scripts/ts-register.js: every `scimform` command, synth and npm
// script otherwise hands each .ts file it loads to esbuild again (a Go child process), which is most of the
// CLI's start-up. Entries are content-addressed (esbuild version and options, file name, source), written
// atomically (temporary file, then rename), so concurrent processes share them safely and a changed file is
// never served stale. Kept in node_modules/.cache/scimform-ts (git-ignored, removed with node_modules);
// SCIMFORM_TS_CACHE=off turns it off, SCIMFORM_TS_CACHE=<dir> moves it. An unwritable cache is skipped silently:
// it only ever costs the transpile it would have saved.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const DEFAULT_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'scimform-ts');

/** The cache directory for `env`, or undefined when caching is off. */
function cacheDir(env = process.env) {
  const v = env.SCIMFORM_TS_CACHE;
  if (v === 'off' || v === '0' || v === 'false') return undefined;
  return v ? path.resolve(v) : DEFAULT_DIR;
}

/**
 * `transpile(source, filename)` through the cache in `dir` (none: straight through). `version` names
 * everything besides the source that shapes the output (TRANSPILE_VERSION).
 */
function cachedTranspile(dir, version, transpile, source, filename) {
  if (!dir) return transpile(source, filename);
  const key = crypto.createHash('sha1').update(version).update('\0').update(filename).update('\0').update(source).digest('hex');
  const file = path.join(dir, key.slice(0, 2), `${key}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // not cached yet (or unreadable): transpile below
  }
  const code = transpile(source, filename);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  } catch {
    // read-only checkout or full disk: run uncached
  }
  return code;
}

module.exports = { cacheDir, cachedTranspile, DEFAULT_DIR };
