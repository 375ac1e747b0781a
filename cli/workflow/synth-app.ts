// Synth without the cdktf CLI's overhead: runs the app command from cdktf.json (the same thing `cdktf
// synth` runs) with CDKTF_OUTDIR and the scimform paths in its environment, then lists the stacks from
// cdktf.out/manifest.json together with their scimform metadata and annotations, and records the inputs synth
// read (org files, the app's loaded code, endpoint variables) in cdktf.out/scimform-inputs.json.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScimformPaths } from '../../lib/paths';
import { cliError } from '../cli-errors';
import { APP_MODULES_FILE, recordSynthInputs, SYNTH_PRELOADS } from './plan-inputs';
import { readStackMetadata, type SynthesizedStack } from './stack-metadata';
import type { SynthNote } from './synth-notes';

export interface SynthResult {
  stacks: SynthesizedStack[];
  /** Info/warning annotations per stack, e.g. proxyclick: `eve: left on 2025-01-31 — not provisioned …`. */
  notes: SynthNote[];
}

interface Manifest {
  stacks: Record<string, { workingDirectory: string; annotations?: { constructPath: string; level: string; message: string }[] }>;
}

/** The environment the app (main.ts) reads its paths from. */
export function appEnv(paths: ScimformPaths, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...base,
    CDKTF_OUTDIR: paths.outDir,
    SCIMFORM_OUTDIR: paths.outDir,
    SCIMFORM_ORG_DIR: paths.orgDir,
    SCIMFORM_SANDBOX_DIR: paths.sandboxDir,
    SCIMFORM_STATE_DIR: paths.stateDir,
    SCIMFORM_LOG_DIR: paths.logDir,
    CHECKPOINT_DISABLE: '1',
    // Records the files the app loads, to bind saved plans to the app's code (plan-inputs.ts), and answers
    // cdktf's repeated `terraform version` checks once (memo-terraform-version.js).
    NODE_OPTIONS: [base.NODE_OPTIONS, ...SYNTH_PRELOADS.map((f) => `--require ${JSON.stringify(f)}`)].filter(Boolean).join(' '),
    SCIMFORM_APP_MODULES_FILE: path.join(paths.outDir, APP_MODULES_FILE),
  };
}

function appCommand(root: string): string {
  const file = path.join(root, 'cdktf.json');
  try {
    const app = (JSON.parse(fs.readFileSync(file, 'utf8')) as { app?: string }).app;
    if (app) return app;
  } catch {
    /* reported below */
  }
  throw cliError('SCIMFORM_NO_APP', `${file} is missing or has no "app" command.`);
}

/** Runs the app; on failure the error names the app's own message (validation errors, file problems). */
export async function synthesize(paths: ScimformPaths, env: NodeJS.ProcessEnv = process.env): Promise<SynthResult> {
  const command = appCommand(paths.root);
  fs.mkdirSync(paths.outDir, { recursive: true });
  const manifestFile = path.join(paths.outDir, 'manifest.json');
  fs.rmSync(manifestFile, { force: true });
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve, reject) => {
    const child = spawn(command, { cwd: paths.root, env: appEnv(paths, env), shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c ?? 1, output }));
  });
  if (code !== 0 || !fs.existsSync(manifestFile)) {
    throw cliError('SCIMFORM_SYNTH_FAILED', `synth failed (${command}):\n${output.trim()}`);
  }
  recordSynthInputs(paths, env);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
  const stacks: SynthesizedStack[] = [];
  const notes: SynthNote[] = [];
  for (const [name, s] of Object.entries(manifest.stacks).sort(([a], [b]) => a.localeCompare(b))) {
    const dir = path.join(paths.outDir, s.workingDirectory);
    stacks.push({ name, dir, meta: readStackMetadata(dir) });
    for (const a of s.annotations ?? []) notes.push({ stack: name, message: a.message });
  }
  // Stacks removed from the app would otherwise linger in cdktf.out and be planned again.
  const stacksRoot = path.join(paths.outDir, 'stacks');
  if (fs.existsSync(stacksRoot)) {
    for (const d of fs.readdirSync(stacksRoot)) {
      if (!manifest.stacks[d]) fs.rmSync(path.join(stacksRoot, d), { recursive: true, force: true });
    }
  }
  return { stacks, notes };
}
