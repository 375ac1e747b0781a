// Test helper: the `scimform` command as a user runs it (node cli/scimform.js in a child process, from the
// repository root), and a checkout of its own for it in a temp dir: a copy of org/, and an environment that
// puts the org files, sandbox data, state, logs and synth output inside that dir and inherits no app
// credentials (SCIMFORM_<APP>_*) or team-state settings (SCIMFORM_STATE_URL/_SCHEMA, SCIMFORM_LOCK_TIMEOUT)
// from the developer's shell. The caller removes the dir (fs.rmSync in afterAll).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `scimform ...args` with exactly `env`; resolves with its exit code and output (never rejects on a non-zero exit). */
export function runScimform(env: NodeJS.ProcessEnv, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'cli', 'scimform.js'), ...args], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const INHERITED_NOT = /^SCIMFORM_(PROXYCLICK|PROMAPP|PROXY|WIKI)_|^SCIMFORM_(STATE_URL|STATE_SCHEMA|LOCK_TIMEOUT)$/;

/** A new temp dir `<prefix>XXXXXX` holding a copy of org/, and the environment of a checkout there (`extra` last). */
export function tempCheckout(prefix: string, extra: NodeJS.ProcessEnv = {}): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(path.join(REPO_ROOT, 'org'), path.join(dir, 'org'), { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (INHERITED_NOT.test(k)) delete env[k];
  return {
    dir,
    env: {
      ...env,
      SCIMFORM_ORG_DIR: path.join(dir, 'org'),
      SCIMFORM_SANDBOX_DIR: path.join(dir, 'sandbox'),
      SCIMFORM_STATE_DIR: path.join(dir, 'state'),
      SCIMFORM_LOG_DIR: path.join(dir, 'logs'),
      SCIMFORM_OUTDIR: path.join(dir, 'cdktf.out'),
      ...extra,
    },
  };
}
