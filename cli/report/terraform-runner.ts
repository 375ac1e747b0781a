// The environment the report/apply/drift/access commands run terraform with, and a summary of
// terraform's errors that is safe to print. Running the binary itself is the CLI's shared runner.
import { existsSync } from 'node:fs';
import { scimformPaths } from '../../lib/paths';
import { condenseTerraformErrors } from '../terraform-errors';
import { runTerraform as runShared, TerraformResult } from '../terraform-runner';
import { redactSecrets } from './redact';

export type { TerraformResult };

/**
 * The caller's environment plus CHECKPOINT_DISABLE, TF_IN_AUTOMATION, TF_INPUT=0 and TF_CLI_CONFIG_FILE =
 * the project's terraformrc naming the provider mirror (.scimform/terraformrc, or $SCIMFORM_TERRAFORMRC)
 * when it exists, as for every other scimform command.
 */
export function terraformEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  const rc = scimformPaths(base).terraformrc;
  if (existsSync(rc)) env.TF_CLI_CONFIG_FILE = rc;
  return env;
}

export const runTerraform = (args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformResult> =>
  runShared(args, { cwd, env });

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
