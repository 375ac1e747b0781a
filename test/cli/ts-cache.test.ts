// scripts/ts-cache.js: the disk cache of transpiled TypeScript behind scripts/ts-register.js serves a file's
// output without transpiling it again, never serves a stale entry for changed source, can be turned off, and an
// unwritable cache directory only costs the transpile.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cacheDir, cachedTranspile, DEFAULT_DIR } = require('../../scripts/ts-cache') as {
  cacheDir(env?: NodeJS.ProcessEnv): string | undefined;
  cachedTranspile(dir: string | undefined, version: string, transpile: (s: string, f: string) => string, source: string, filename: string): string;
  DEFAULT_DIR: string;
};

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-tscache-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const counting = () => {
  const calls: string[] = [];
  return { calls, transpile: (source: string, filename: string) => (calls.push(filename), `/* ${filename} */ ${source.toUpperCase()}`) };
};
const entries = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d, { recursive: true }).filter((f) => String(f).endsWith('.js')) : []);

test('the second load of the same source is served from the cache; changed source or options are transpiled anew', () => {
  const t = counting();
  expect(cachedTranspile(dir, 'v1', t.transpile, 'const a = 1;', '/x/a.ts')).toBe('/* /x/a.ts */ CONST A = 1;');
  expect(cachedTranspile(dir, 'v1', t.transpile, 'const a = 1;', '/x/a.ts')).toBe('/* /x/a.ts */ CONST A = 1;');
  expect(t.calls).toEqual(['/x/a.ts']);
  expect(cachedTranspile(dir, 'v1', t.transpile, 'const a = 2;', '/x/a.ts')).toBe('/* /x/a.ts */ CONST A = 2;');
  expect(cachedTranspile(dir, 'v2', t.transpile, 'const a = 2;', '/x/a.ts')).toBe('/* /x/a.ts */ CONST A = 2;');
  expect(cachedTranspile(dir, 'v1', t.transpile, 'const a = 2;', '/x/b.ts')).toBe('/* /x/b.ts */ CONST A = 2;');
  expect(t.calls).toHaveLength(4);
  expect(entries(dir)).toHaveLength(4);
  expect(fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
});

test('SCIMFORM_TS_CACHE=off turns it off, a path moves it; the default is node_modules/.cache/scimform-ts', () => {
  expect(cacheDir({ SCIMFORM_TS_CACHE: 'off' })).toBeUndefined();
  expect(cacheDir({ SCIMFORM_TS_CACHE: dir })).toBe(dir);
  expect(cacheDir({})).toBe(DEFAULT_DIR);
  expect(DEFAULT_DIR).toBe(path.resolve(__dirname, '..', '..', 'node_modules', '.cache', 'scimform-ts'));
  const t = counting();
  cachedTranspile(undefined, 'v1', t.transpile, 'x', '/x/a.ts');
  cachedTranspile(undefined, 'v1', t.transpile, 'x', '/x/a.ts');
  expect(t.calls).toHaveLength(2);
});

test('an unwritable cache directory only costs the transpile', () => {
  const blocker = path.join(dir, 'file');
  fs.writeFileSync(blocker, '');
  const t = counting();
  expect(cachedTranspile(path.join(blocker, 'cache'), 'v1', t.transpile, 'y', '/x/a.ts')).toBe('/* /x/a.ts */ Y');
  expect(t.calls).toHaveLength(1);
});

test('ts-register runs a program from the cache with .ts error lines, and a changed file runs its new code', () => {
  const cache = path.join(dir, 'cache');
  const main = path.join(dir, 'main.ts');
  const register = path.resolve(__dirname, '..', '..', 'scripts', 'ts-register.js');
  const run = () => spawnSync(process.execPath, ['-r', register, main], { encoding: 'utf8', env: { ...process.env, SCIMFORM_TS_CACHE: cache } });
  fs.writeFileSync(main, 'type T = { a: string };\nconst t: T = { a: "one" };\nthrow new Error(`boom ${t.a}`);\n');
  for (const r of [run(), run()]) {
    expect(r.stderr).toContain('boom one');
    expect(r.stderr).toContain(`${main}:3`);
  }
  expect(entries(cache)).toHaveLength(1);
  fs.writeFileSync(main, 'const n: number = 2;\nconsole.log(`two ${n}`);\n');
  expect(run().stdout.trim()).toBe('two 2');
  expect(entries(cache)).toHaveLength(2);
});
