// The scimform command's start-up: a command that neither synthesizes nor diagnoses a shared-state lock
// loads neither cdktf (~0.3 s of CPU) nor pg, whose modules the command otherwise pulled in on every run
// (plan, apply, report, drift and access each start a new process, often many times in a pipeline).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');

test('`scimform plan --no-synth` loads neither cdktf nor pg', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-startup-'));
  try {
    // Runs the command in-process, then lists the packages it loaded.
    const probe = `
      require(${JSON.stringify(path.join(REPO, 'scripts', 'ts-register.js'))});
      require(${JSON.stringify(path.join(REPO, 'cli', 'main.ts'))}).main(['plan', '--no-synth', '--stacks-dir', ${JSON.stringify(dir)}]).then((code) => {
        const pkgs = new Set(Object.keys(require.cache).map((f) => /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean));
        process.stdout.write(JSON.stringify({ code, pkgs: [...pkgs].sort() }));
      });`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', env: { ...process.env, SCIMFORM_TS_CACHE: 'off' } });
    const { code, pkgs } = JSON.parse(r.stdout) as { code: number; pkgs: string[] };
    expect(r.stderr).toContain('no synthesized stacks');
    expect(code).toBe(1);
    expect(pkgs).not.toContain('cdktf');
    expect(pkgs).not.toContain('constructs');
    expect(pkgs).not.toContain('pg');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
