// `npm run bench -- --profile` at a tiny N: the provider's CPU profiles are collected through Terraform
// and summarised per phase and for start-up, naming bundled source modules.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

it('profiles the provider per Terraform phase and at start-up', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-bench-profile-'));
  try {
    const out = path.join(tmp, 'profile.json');
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join(REPO, 'bench', 'run-bench.ts'), '--users', '5', '--groups', '1', '--startup-runs', '1', '--profile', '--skip', 'floor,capacity,tf-floor,synth', '--out', out],
        { cwd: REPO, maxBuffer: 16 * 1024 * 1024, timeout: 170_000 },
        (err, so, se) => (err ? reject(new Error(`bench --profile exited with ${err.code}:\n${so}\n${se}`)) : resolve()),
      );
    });
    const results = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(results.options.profile).toBe(true);
    for (const phase of ['initial plan', 'apply', 'no-op plan', 'incremental plan', 'start-up']) {
      const p = results.details.profiles[phase];
      expect(p.busy_ms).toBeGreaterThan(0);
      expect(p.by_module.length).toBeGreaterThan(0);
    }
    // self time is attributed to the bundled sources by name, not to one opaque bundle file
    const modules = Object.values(results.details.profiles).flatMap((p: any) => p.by_module.map((m: any) => m.module));
    expect(modules.some((m: string) => m.startsWith('providers/scim/') || m.startsWith('node_modules/'))).toBe(true);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 180_000);
