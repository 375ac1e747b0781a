// What a saved plan was made from, so that it is applied only while those inputs are unchanged: the org
// files, the app's code (main.ts and every file it loaded, recorded at synth), the SCIMFORM_<APP>_ENDPOINT
// variables, the synthesized stack (cdk.tf.json), the provider build and the warnings saved with the plan.
// Synth records its inputs in <outDir>/scimform-inputs.json; each plan copies them into <plan>.inputs.json
// with the rest. Hashes only: no file content and no credential is ever recorded.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scimformPaths, type ScimformPaths } from '../../lib/paths';
import { initFingerprint } from './init-fingerprint';

export const SYNTH_INPUTS_FILE = 'scimform-inputs.json';
/** Written by the preloaded recorder: the files the app loaded during synth. */
export const APP_MODULES_FILE = 'scimform-app-modules.json';
/** The recorder preloaded into the app's process (NODE_OPTIONS --require). */
export const APP_MODULES_RECORDER = path.join(__dirname, 'record-app-modules.js');
/** Answers cdktf's repeated `terraform version` checks once per synth (NODE_OPTIONS --require). */
export const TERRAFORM_VERSION_MEMO = path.join(__dirname, 'memo-terraform-version.js');
/** Files the scimform command preloads into the app's process: not the app's own code. */
export const SYNTH_PRELOADS = [APP_MODULES_RECORDER, TERRAFORM_VERSION_MEMO];

const ENDPOINT_VARIABLE = /^SCIMFORM_[A-Z0-9_]+_ENDPOINT$/;

/** The inputs synth read, as hashes (paths relative to the project root). */
export interface SynthInputs {
  org: Record<string, string>;
  code: Record<string, string>;
  endpoints: Record<string, string>;
}

export interface PlanInputs {
  version: 1;
  /** Absent when the stacks were not synthesized by the scimform command (e.g. --stacks-dir). */
  synth?: SynthInputs;
  stack: string;
  provider: string;
  warnings: string;
}

const sha = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hashFile = (file: string): string => (fs.existsSync(file) ? sha(fs.readFileSync(file)) : 'missing');

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

const rel = (paths: ScimformPaths, file: string) => path.relative(paths.root, file).split(path.sep).join('/');

function endpointVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env)
      .filter(([k, v]) => ENDPOINT_VARIABLE.test(k) && v)
      .sort(([a], [b]) => a.localeCompare(b)) as [string, string][],
  );
}

/** The synth inputs as they are now; `codeFiles` are the files the app loaded (relative to the root). */
export function currentSynthInputs(paths: ScimformPaths, codeFiles: string[], env: NodeJS.ProcessEnv = process.env): SynthInputs {
  const org = Object.fromEntries(filesUnder(paths.orgDir).sort().map((f) => [rel(paths, f), hashFile(f)]));
  const code = Object.fromEntries([...codeFiles].sort().map((f) => [f, hashFile(path.resolve(paths.root, f))]));
  return { org, code, endpoints: endpointVariables(env) };
}

/** After synth: records what it read (the app's loaded files come from the recorder's list). */
export function recordSynthInputs(paths: ScimformPaths, env: NodeJS.ProcessEnv = process.env): void {
  const listFile = path.join(paths.outDir, APP_MODULES_FILE);
  let loaded: string[] = [];
  try {
    loaded = JSON.parse(fs.readFileSync(listFile, 'utf8')) as string[];
  } catch {
    loaded = [];
  }
  fs.rmSync(listFile, { force: true });
  const code = loaded
    .filter((f) => path.isAbsolute(f) && !SYNTH_PRELOADS.includes(f) && !f.split(path.sep).includes('node_modules'))
    .map((f) => rel(paths, f));
  fs.writeFileSync(path.join(paths.outDir, SYNTH_INPUTS_FILE), `${JSON.stringify(currentSynthInputs(paths, code, env), null, 2)}\n`);
}

/** The synth inputs recorded for the stacks under `stacksDir` (its parent holds the record), if any. */
export function recordedSynthInputs(stacksDir: string): SynthInputs | undefined {
  const file = path.join(path.dirname(stacksDir), SYNTH_INPUTS_FILE);
  const manifest = path.join(path.dirname(stacksDir), 'manifest.json');
  try {
    // Stacks synthesized since by something else (e.g. `cdktf synth`): the record is not theirs.
    if (fs.existsSync(manifest) && fs.statSync(manifest).mtimeMs > fs.statSync(file).mtimeMs) return undefined;
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SynthInputs;
  } catch {
    return undefined;
  }
}

/** What changed between two records of synth inputs, for the user ("org/people.yaml changed"). */
export function synthChanges(before: SynthInputs, now: SynthInputs): string[] {
  const out: string[] = [];
  const diff = (a: Record<string, string>, b: Record<string, string>, what: (k: string, how: string) => string) => {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      if (a[k] === b[k]) continue;
      out.push(what(k, a[k] === undefined ? 'was added' : b[k] === undefined || b[k] === 'missing' ? 'was removed' : 'changed'));
    }
  };
  diff(before.org, now.org, (k, how) => `org file ${k} ${how}`);
  diff(before.code, now.code, (k, how) => `app code ${k} ${how}`);
  diff(before.endpoints, now.endpoints, (k, how) => `${k} ${how === 'was added' ? 'was set' : how === 'was removed' ? 'was unset' : 'changed'}`);
  return out;
}

/** The synth inputs as they are now, shaped like `recorded` (same app files). */
export const synthInputsNow = (recorded: SynthInputs, paths: ScimformPaths, env: NodeJS.ProcessEnv = process.env): SynthInputs =>
  currentSynthInputs(paths, Object.keys(recorded.code), env);

function planInputs(stackDir: string, planFile: string, env: NodeJS.ProcessEnv, synth: SynthInputs | undefined): PlanInputs {
  const planPath = path.join(stackDir, planFile);
  return {
    version: 1,
    ...(synth ? { synth } : {}),
    stack: hashFile(path.join(stackDir, 'cdk.tf.json')),
    provider: initFingerprint(stackDir, scimformPaths(env)),
    warnings: hashFile(`${planPath}.warnings.json`),
  };
}

/** Beside a new saved plan: the inputs it is made from (synth's record, the stack, provider, warnings). */
export async function recordPlanInputs(stackDir: string, planFile: string, env: NodeJS.ProcessEnv): Promise<void> {
  const doc = planInputs(stackDir, planFile, env, recordedSynthInputs(path.dirname(stackDir)));
  const file = path.join(stackDir, `${planFile}.inputs.json`);
  fs.writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
}

/**
 * Why a saved plan may no longer be applied: every input that changed since it was made (empty when it
 * is current). A plan without its inputs record was not made by `scimform plan` and is refused too.
 */
export function staleReasons(stackDir: string, planFile: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const file = path.join(stackDir, `${planFile}.inputs.json`);
  let saved: PlanInputs;
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8')) as PlanInputs;
  } catch {
    return [`no record of the inputs the plan was made from (${path.basename(file)} is missing)`];
  }
  const paths = scimformPaths(env);
  const now = planInputs(stackDir, planFile, env, saved.synth ? synthInputsNow(saved.synth, paths, env) : undefined);
  const out = saved.synth && now.synth ? synthChanges(saved.synth, now.synth) : [];
  if (saved.stack !== now.stack) out.push('the synthesized stack (cdk.tf.json) changed');
  if (saved.provider !== now.provider) out.push('the scim provider build or the Terraform settings changed');
  if (saved.warnings !== now.warnings) out.push('the warnings saved with the plan changed');
  return out;
}

/** The message of a refused stale plan. */
export const stalePlanMessage = (stack: string, reasons: string[]): string =>
  `${stack}: the saved plan was made from other inputs than the current ones (${reasons.join('; ')}). ` +
  'Nothing was applied. Run `scimform plan` again, review the new report, then apply.';
