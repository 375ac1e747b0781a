// CDKTF synth of a directory of N persons (and its teams) built with the lib/ constructs, timed as a child
// process (spawn to exit) so module loading, construction and synth count as a user's synth would.

import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { commandFailed } from './errors';

export type SynthResult =
  | { seconds: number; resources: number; breakdownMs: { load: number; construct: number; synth: number } }
  | { skipped: string };

export function synthDirectory(repoRoot: string, outDir: string, persons: number, teams: number): Promise<SynthResult> {
  if (!fs.existsSync(path.join(repoRoot, 'lib', 'index.ts'))) return Promise.resolve({ skipped: 'lib/index.ts does not exist yet' });
  fs.mkdirSync(outDir, { recursive: true });
  const args = ['-r', require.resolve('../scripts/ts-register.js'), path.join(__dirname, 'synth-directory-app.ts'), outDir, String(persons), String(teams)];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, CHECKPOINT_DISABLE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(commandFailed(`node ${path.relative(repoRoot, args[2]!)} (synth of ${persons} persons)`, repoRoot, code, `${out}\n${err}`.slice(-2000)));
      const last = JSON.parse(out.trim().split('\n').pop()!) as { load_ms: number; construct_ms: number; synth_ms: number; resources: number };
      resolve({ seconds, resources: last.resources, breakdownMs: { load: Math.round(last.load_ms), construct: Math.round(last.construct_ms), synth: Math.round(last.synth_ms) } });
    });
  });
}
