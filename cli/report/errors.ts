// Error factories of the report/apply/drift/access commands, on the CLI's shared error class (stable
// codes CLI_BAD_OPTION, CLI_NO_STACKS, CLI_UNKNOWN_STACK, CLI_PLAN_MISSING, CLI_TERRAFORM_FAILED,
// CLI_BAD_PLAN_JSON, CLI_PLAN_NOT_REVIEWED). Messages say what went wrong, why, and how to fix it;
// they never contain credentials.
import { ScimformCliError } from '../cli-errors';

export { ScimformCliError };

export const badOption = (option: string, why: string, fix: string): ScimformCliError =>
  new ScimformCliError('CLI_BAD_OPTION', `option ${option}: ${why}. ${fix}`);

export const noStacks = (stacksDir: string): ScimformCliError =>
  new ScimformCliError(
    'CLI_NO_STACKS',
    `no synthesized stacks in ${stacksDir}: every stack is a folder holding cdk.tf.json. ` +
      'Run `scimform synth` (or `scimform plan`, which synthesizes first), or pass --stacks-dir.',
  );

export const unknownStack = (name: string, known: string[]): ScimformCliError =>
  new ScimformCliError(
    'CLI_UNKNOWN_STACK',
    `--stack ${name}: no such stack. Known stacks: ${known.join(', ') || '(none)'}.`,
  );

export const planMissing = (stack: string, planPath: string): ScimformCliError =>
  new ScimformCliError(
    'CLI_PLAN_MISSING',
    `stack ${stack}: no saved plan at ${planPath}. Run \`scimform plan\` first; it writes one plan file per stack.`,
  );

export const terraformFailed = (stack: string, step: string, detail: string): ScimformCliError =>
  new ScimformCliError('CLI_TERRAFORM_FAILED', `stack ${stack}: terraform ${step} failed: ${detail}`);

export const badPlanJson = (source: string, why: string): ScimformCliError =>
  new ScimformCliError(
    'CLI_BAD_PLAN_JSON',
    `${source}: not a Terraform JSON plan (${why}). Pass the output of \`terraform show -json <planfile>\`.`,
  );
