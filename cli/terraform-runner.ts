// The one place scimform runs the real `terraform` binary: the environment every invocation gets (absolute
// TF_CLI_CONFIG_FILE naming our provider mirror, no checkpoint calls, no prompts, automation mode, Go's GC target), the
// child-process helper, and a summary of a failed run that is safe to print. Every command uses it —
// start/plan/deploy (cli/workflow) and report/apply/drift/access (cli/commands, cli/report, cli/access).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { scimformPaths, type ScimformPaths } from '../lib/paths';
import { cliError } from './cli-errors';
import { redactSecrets } from './report/redact';
import { initSharedState, selectDefaultWorkspace } from './state/shared-init';
import { explainStateFailure } from './state/state-failure';
import { withSharedState } from './state/state-env';
import { condenseTerraformErrors } from './terraform-errors';
import { TERRAFORM_RANGE } from '../lib/terraform-version';

export interface TerraformResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment for every terraform (and cdktf) child process. Fails when the mirror is not installed. */
export function terraformEnv(paths: ScimformPaths, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  if (!fs.existsSync(paths.terraformrc)) {
    throw cliError(
      'SCIMFORM_NO_PROVIDER_MIRROR',
      `Terraform CLI config ${paths.terraformrc} not found: the scimform/scim provider is not installed. ` +
        'Run `npm ci` (it builds the provider into .scimform/mirror) and try again.',
    );
  }
  return { ...offlineTerraformEnv(process.env, paths.terraformrc), ...extra };
}

/**
 * Go's GC target for terraform unless the caller sets GOGC. Terraform spends ~16 % of its CPU on a roster in
 * garbage collection at Go's default (100); 400 cuts its CPU by about 12 % for ~1.6× its peak memory
 * (docs/guides/rosters.md, "Where Terraform's time goes"). The provider (Node.js) ignores it.
 */
export const TERRAFORM_GOGC = '400';

/** The variables every terraform run gets (the bench's too): the caller's, plus the mirror's CLI config when given. */
export function offlineTerraformEnv(base: NodeJS.ProcessEnv, terraformrc: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', GOGC: base.GOGC || TERRAFORM_GOGC };
  if (terraformrc) env.TF_CLI_CONFIG_FILE = terraformrc;
  return env;
}

/**
 * The same environment for report/apply/drift/access, which may read saved plans without running terraform:
 * the mirror's CLI config (.scimform/terraformrc, or $SCIMFORM_TERRAFORMRC) when it exists, no error when not.
 */
export function commandTerraformEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const rc = scimformPaths(base).terraformrc;
  return offlineTerraformEnv(base, fs.existsSync(rc) ? rc : undefined);
}

/** Runs `terraform <args>` in `cwd` (with the stack's shared-state settings); never throws on a non-zero exit. */
export async function runTerraform(
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; onStdout?: (chunk: string) => void; signal?: AbortSignal },
): Promise<TerraformResult> {
  const run = withSharedState(args, opts.cwd, opts.env);
  if (args[0] === 'init' && run.state) {
    return explainStateFailure(await initSharedState(opts.cwd, run.args, run, (a, env) => spawnTerraform(a, { ...opts, env })), run);
  }
  if (args[0] === 'init') selectDefaultWorkspace(opts.cwd);
  return explainStateFailure(await spawnTerraform(run.args, { ...opts, env: run.env }), run);
}

function spawnTerraform(
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; onStdout?: (chunk: string) => void; signal?: AbortSignal },
): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.SCIMFORM_TERRAFORM_BIN || 'terraform', args, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: opts.signal,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onStdout?.(c);
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? cliError('SCIMFORM_NO_TERRAFORM', `terraform was not found on PATH; install ${TERRAFORM_RANGE} and put it on PATH.`)
          : err,
      ),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `runTerraform` with positional arguments, as the report/apply/drift/access code calls it. */
export const runTerraformIn = (args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformResult> => runTerraform(args, { cwd, env });

/**
 * The useful part of a failed run: Terraform's `Error:` diagnostics (or the last lines; one error that hit
 * many resources is shown once, naming them), without ANSI codes or credentials, bounded in length.
 */
export function terraformErrorSummary(result: TerraformResult, env: NodeJS.ProcessEnv, maxChars = 1500): string {
  const lines = `${result.stderr}\n${result.stdout}`
    .replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')
    .split('\n')
    .map((l) => l.replace(/^[│╷╵] ?/, '').trimEnd());
  const picked: string[] = [];
  let inError = false;
  for (const line of lines) {
    if (/^Error: /.test(line)) inError = true;
    else if (/^Warning: /.test(line)) inError = false;
    if (inError) picked.push(line);
  }
  const body = condenseTerraformErrors((picked.length ? picked : lines.filter((l) => l.trim() !== '').slice(-15)).join('\n'))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const redacted = redactSecrets(body || `exit code ${result.code}`, env);
  return redacted.length > maxChars ? `${redacted.slice(0, maxChars)} …` : redacted;
}
