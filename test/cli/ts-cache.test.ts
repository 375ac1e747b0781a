// scripts/ts-cache.js: a .ts file transpiled once is loaded from node_modules/.cache/scimform-ts by the next
// process (which then never loads esbuild); an edited file is transpiled again; SCIMFORM_TS_CACHE=off skips it.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REGISTER = path.resolve(__dirname, '..', '..', 'scripts', 'ts-register.js');
let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-tscache-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs main.ts; prints its output and whether esbuild was loaded. */
const run = (env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync(process.execPath, ['-r', REGISTER, '-e', `require(${JSON.stringify(path.join(dir, 'main.ts'))}); console.log('esbuild loaded:', Object.keys(require.cache).some((f) => /node_modules[\\\\/]esbuild[\\\\/]lib/.test(f)))`], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(r.stderr).toBe('');
  return r.stdout.trim().split('\n');
};

test('the second run takes the transpiled file from the cache; an edit is transpiled again; off means off', () => {
  fs.writeFileSync(path.join(dir, 'main.ts'), `const n: number = 1; console.log('value', n, ${Date.now()});\n`);
  expect(run()).toEqual([expect.stringMatching(/^value 1 \d+$/), 'esbuild loaded: true']);
  expect(run()).toEqual([expect.stringMatching(/^value 1 \d+$/), 'esbuild loaded: false']);
  expect(run({ SCIMFORM_TS_CACHE: 'off' })).toEqual([expect.stringMatching(/^value 1 \d+$/), 'esbuild loaded: true']);

  fs.writeFileSync(path.join(dir, 'main.ts'), `const n: number = 2; console.log('value', n, ${Date.now()});\n`);
  expect(run()).toEqual([expect.stringMatching(/^value 2 \d+$/), 'esbuild loaded: true']);
  expect(run()).toEqual([expect.stringMatching(/^value 2 \d+$/), 'esbuild loaded: false']);
});
