// Terraform, one stack at a time, in cdktf.out/stacks/<stack>: init only when something it depends on
// changed (backend, providers, the provider build in the mirror — a rebuilt provider at the same version
// gets a fresh lock file), plan to a saved file (0600, with its warnings and inputs beside it), apply that exact plan, and re-plan to prove nothing is left.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ScimformPaths } from '../../lib/paths';
import { cliError } from '../cli-errors';
import { explainTerraformText } from '../diagnostic-origins';
import { condenseTerraformErrors } from '../terraform-errors';
import { runTerraform, type TerraformResult } from '../terraform-runner';
import { parsePlanJsonStream, readPlanWarnings, renderDiagnostics, warningsFileOf, type PlanDiagnostic } from '../report/plan-diagnostics';
import { recordPlanInputs } from './plan-inputs';
import { prepareSavedPlan, removeSavedPlan, writeCompanion } from './saved-plan';
import { finishReviewedReactivations, reviewedReactivations } from './reviewed-reactivations';
import { assertNoPersonOverride } from './person-roster';
import { initFingerprint } from './init-fingerprint';
import { followStackApply } from './apply-progress';
import type { SynthesizedStack } from './stack-metadata';

/** Saved plan file name inside each stack folder (shared with `scimform report`/`apply`). */
export const PLAN_FILE = 'scimform.tfplan';
const INIT_MARKER = path.join('.terraform', 'scimform-init.json');

export interface PlanOutcome {
  changes: boolean;
  /** `Plan: 3 to add, 1 to change, 1 to destroy.` or `No changes.` */
  summary: string;
  counts: { add: number; change: number; destroy: number };
  /** The human-readable plan terraform printed. */
  text: string;
  /** The provider's warnings (saved beside a saved plan). */
  warnings: PlanDiagnostic[];
}

const failure = (stack: SynthesizedStack, step: string, r: TerraformResult) =>
  cliError(
    'SCIMFORM_TERRAFORM_FAILED',
    `${stack.meta?.title ?? stack.name}: terraform ${step} failed:\n${explainTerraformText(condenseTerraformErrors((r.stderr || r.stdout).trim()).trim(), stack.meta)}`,
  );

/** Runs `terraform init` when the stack is new or something init depends on changed. */
export async function ensureInit(
  stack: SynthesizedStack,
  env: NodeJS.ProcessEnv,
  paths: ScimformPaths,
  force = false,
): Promise<boolean> {
  const marker = path.join(stack.dir, INIT_MARKER);
  const fingerprint = initFingerprint(stack.dir, paths);
  if (!force && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === fingerprint) return false;
  // A provider rebuilt at the same version has new hashes: drop the old lock instead of failing on it.
  fs.rmSync(path.join(stack.dir, '.terraform.lock.hcl'), { force: true });
  const r = await runTerraform(['init', '-input=false', '-no-color', '-reconfigure', '-upgrade'], { cwd: stack.dir, env });
  if (r.code !== 0) throw failure(stack, 'init', r);
  fs.writeFileSync(marker, fingerprint);
  return true;
}

function parseCounts(text: string): PlanOutcome['counts'] {
  const m = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(text);
  return m ? { add: Number(m[1]), change: Number(m[2]), destroy: Number(m[3]) } : { add: 0, change: 0, destroy: 0 };
}

/** True when terraform failed because the installed provider no longer matches the lock file (the provider
 * was rebuilt after init): a fresh init fixes it. */
export const isStaleProviderError = (message: string): boolean =>
  /does not match any of the checksums|Required plugins are not installed|Inconsistent dependency lock file|provider .* not available/i.test(message);

/** `terraform plan -detailed-exitcode` (optionally saved to PLAN_FILE, optionally a destroy plan). A saved plan
 * is made with `-json`: the provider's warnings go into the companion warnings file, and the human-readable
 * plan (`text`: warnings appended, never a source line) comes from `terraform show` unless `text: false`. */
export async function planStack(
  stack: SynthesizedStack,
  env: NodeJS.ProcessEnv,
  opts: { save?: boolean; destroy?: boolean; color?: boolean; text?: boolean } = {},
): Promise<PlanOutcome> {
  assertNoPersonOverride(stack);
  const args = ['plan', '-input=false', '-detailed-exitcode'];
  if (!opts.color) args.push('-no-color');
  if (opts.destroy) args.push('-destroy');
  if (!opts.save) {
    removeSavedPlan(stack.dir, PLAN_FILE);
    const r = await runTerraform(args, { cwd: stack.dir, env });
    if (r.code !== 0 && r.code !== 2) throw failure(stack, 'plan', r);
    const changes = r.code === 2;
    const plain = r.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    const summaryLine = changes ? (/Plan: .*$/m.exec(plain)?.[0] ?? 'changes pending') : 'No changes.';
    return { changes, summary: summaryLine, counts: parseCounts(plain), text: explainTerraformText(r.stdout, stack.meta), warnings: [] };
  }
  const planPath = prepareSavedPlan(stack.dir, PLAN_FILE);
  const r = await runTerraform([...args, '-json', `-out=${PLAN_FILE}`], { cwd: stack.dir, env });
  const stream = parsePlanJsonStream(r.stdout);
  if (r.code !== 0 && r.code !== 2) {
    removeSavedPlan(stack.dir, PLAN_FILE);
    throw failure(stack, 'plan', { ...r, stdout: '', stderr: `${r.stderr}\n${renderDiagnostics(stream.diagnostics.filter((d) => d.severity === 'error'))}`.trim() });
  }
  const warnings = stream.diagnostics.filter((d) => d.severity === 'warning');
  writeCompanion(warningsFileOf(planPath), { warnings });
  await recordPlanInputs(stack.dir, PLAN_FILE, env);
  const changes = r.code === 2;
  let text = '';
  if (opts.text !== false && changes) {
    const shown = await runTerraform(['show', ...(opts.color ? [] : ['-no-color']), PLAN_FILE], { cwd: stack.dir, env });
    text = [shown.code === 0 ? shown.stdout.trimEnd() : '', renderDiagnostics(warnings)].filter((t) => t !== '').join('\n\n');
  }
  return { changes, summary: changes ? (stream.summary ?? 'changes pending') : 'No changes.', counts: stream.counts, text: explainTerraformText(text, stack.meta), warnings };
}

/** Applies the saved plan; returns terraform's `Apply complete! …` line. The plan files are removed after.
 * `report` receives the bulk-progress messages of the provisioning log while terraform runs (apply-progress.ts). */
export async function applySavedPlan(stack: SynthesizedStack, env: NodeJS.ProcessEnv, report?: (message: string) => void): Promise<string> {
  const reactivations = reviewedReactivations(readPlanWarnings(path.join(stack.dir, PLAN_FILE)));
  const following = report ? followStackApply(stack.dir, report) : undefined;
  const r = await runTerraform(['apply', '-input=false', '-no-color', '-auto-approve', PLAN_FILE], { cwd: stack.dir, env }).finally(() => following?.stop());
  if (r.code !== 0) throw failure(stack, 'apply', r);
  removeSavedPlan(stack.dir, PLAN_FILE);
  const done = /(Apply|Destroy) complete!.*$/m.exec(r.stdout)?.[0] ?? 'applied';
  const follow = await finishReviewedReactivations(stack.dir, reactivations, (args) => runTerraform(args, { cwd: stack.dir, env }));
  if (follow.notDone) throw cliError('CLI_REACTIVATION_NOT_FINISHED', `${stack.meta?.title ?? stack.name}: ${done}, but the reviewed reactivation of ${reactivations.join(', ')} was not finished: ${follow.notDone}`);
  return follow.reactivated.length ? `${done} Reactivated as the plan showed: ${follow.reactivated.join(', ')}.` : done;
}
