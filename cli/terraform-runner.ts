// Runs the real `terraform` binary offline: the environment every invocation needs (absolute
// TF_CLI_CONFIG_FILE naming our provider mirror, no checkpoint calls, no prompts) and a child-process helper.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import type { ScimformPaths } from '../lib/paths';
import { cliError } from './cli-errors';
import { initSharedState, selectDefaultWorkspace } from './state/shared-init';
import { explainStateFailure } from './state/state-failure';
import { withSharedState } from './state/state-env';
import { TERRAFORM_FLOOR_TEXT } from './terraform-errors';

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
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: paths.terraformrc,
    CHECKPOINT_DISABLE: '1',
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    ...extra,
  };
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
          ? cliError('SCIMFORM_NO_TERRAFORM', `terraform was not found on PATH; install ${TERRAFORM_FLOOR_TEXT}.`)
          : err,
      ),
    );
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
