// Plans stacks with terraform (init when needed, `plan -json -detailed-exitcode -out` into a 0600 plan file,
// with the provider's warnings and the plan's inputs beside it), reads saved plans back as JSON, and reports progress per stack on stderr. Used by `plan`, `report`, `apply`, `drift`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { scimformPaths } from '../../lib/paths';
import { credentialEnv } from '../workflow/stack-metadata';
import { ensureInit } from '../workflow/stack-terraform';
import { explainTerraformText } from '../diagnostic-origins';
import { planMissing, ScimformCliError, terraformFailed } from './errors';
import type { JsonPlan } from './plan-json';
import { readPlanJson } from './roster-changes';
import { inPool as mapPool } from '../workflow/pool';
import { StackDir } from './stack-dirs';
import { parsePlanJsonStream, readPlanWarnings, renderDiagnostics, warningsFileOf, type PlanDiagnostic } from './plan-diagnostics';
import { recordPlanInputs } from '../workflow/plan-inputs';
import { prepareSavedPlan, removeSavedPlan, writeCompanion } from '../workflow/saved-plan';
import { runTerraformIn as runTerraform, terraformErrorSummary } from '../terraform-runner';
import { assertNoPersonOverride } from '../workflow/person-roster';

export type Progress = (stack: string, message: string) => void;

/** Progress lines on stderr: `[proxyclick] planning`. */
export const stderrProgress: Progress = (stack, message) => {
  process.stderr.write(`[${stack}] ${message}\n`);
};
export const silentProgress: Progress = () => undefined;

export interface StackRunOptions {
  env: NodeJS.ProcessEnv;
  planFile: string;
  progress: Progress;
  parallelism: number;
}

export interface StackPlanResult {
  stack: StackDir;
  /** The JSON plan, when planning succeeded. */
  plan?: JsonPlan;
  /** terraform plan -detailed-exitcode said there are changes. */
  changes: boolean;
  error?: string;
  /** The provider's warnings when the plan was made (adoptions and reactivations are read from them). */
  warnings?: PlanDiagnostic[];
}

/**
 * The environment terraform needs for one stack: the base environment plus the stack's credential
 * variables (TF_VAR_…, read from the sources synth recorded). Throws naming a missing source.
 */
export const stackEnv = (stack: StackDir, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({ ...env, ...credentialEnv(stack, env) });

/** `terraform init` when the stack is new or what init depends on changed. */
export async function initStack(stack: StackDir, env: NodeJS.ProcessEnv, progress: Progress): Promise<void> {
  if (await ensureInit(stack, env, scimformPaths(env))) progress(stack.name, 'terraform init done');
}

/** `terraform show -json <planfile>` of a stack, parsed. */
export async function showPlan(stack: StackDir, planFile: string, env: NodeJS.ProcessEnv): Promise<JsonPlan> {
  const path = join(stack.dir, planFile);
  if (!existsSync(path)) throw planMissing(stack.name, path);
  const r = await runTerraform(['show', '-json', '-no-color', planFile], stack.dir, env);
  if (r.code !== 0) throw terraformFailed(stack.name, 'show', terraformErrorSummary(r, env));
  return readPlanJson(r.stdout, `${stack.name}/${planFile}`);
}

const INIT_HINT = /terraform init|Inconsistent dependency lock file|Required plugins are not installed|Backend initialization required|Module not installed/i;

/** Plans one stack into its plan file; never throws for Terraform failures (they become `error`). */
export async function planStack(
  stack: StackDir,
  options: Omit<StackRunOptions, 'parallelism'> & { /** The plan of one person (`--person`), whose override is in the folder. */ personOverride?: boolean },
  extraArgs: string[] = [],
): Promise<StackPlanResult> {
  const { planFile, progress } = options;
  try {
    const env = stackEnv(stack, options.env);
    // Only one person's plan (person-apply.ts) runs with the person's override in the folder.
    if (!options.personOverride) assertNoPersonOverride(stack);
    await initStack(stack, env, progress);
    progress(stack.name, 'terraform plan');
    const args = ['plan', '-input=false', '-no-color', '-json', '-detailed-exitcode', '-lock-timeout=60s', `-out=${planFile}`, ...extraArgs];
    const plan1 = async () => {
      const planPath = prepareSavedPlan(stack.dir, planFile);
      const r = await runTerraform(args, stack.dir, env);
      const stream = parsePlanJsonStream(r.stdout);
      // Errors as Terraform prints them, but from the JSON diagnostics: never a source line.
      const errors = renderDiagnostics(stream.diagnostics.filter((d) => d.severity === 'error'));
      return { r: { ...r, stdout: '', stderr: `${r.stderr}\n${errors}`.trim() }, planPath, warnings: stream.diagnostics.filter((d) => d.severity === 'warning') };
    };
    let p = await plan1();
    if (p.r.code === 1 && INIT_HINT.test(p.r.stderr)) {
      // Initialised by someone else with other providers: initialise again once.
      const r0 = await runTerraform(['init', '-input=false', '-no-color', '-reconfigure', '-upgrade'], stack.dir, env);
      if (r0.code !== 0) throw terraformFailed(stack.name, 'init', terraformErrorSummary(r0, env));
      p = await plan1();
    }
    if (p.r.code !== 0 && p.r.code !== 2) {
      removeSavedPlan(stack.dir, planFile);
      const error = explainTerraformText(terraformErrorSummary(p.r, env), stack.meta);
      progress(stack.name, 'plan failed');
      return { stack, changes: false, error };
    }
    writeCompanion(warningsFileOf(p.planPath), { warnings: p.warnings });
    await recordPlanInputs(stack.dir, planFile, env);
    const plan = await showPlan(stack, planFile, env);
    progress(stack.name, p.r.code === 2 ? 'planned: changes' : 'planned: no changes');
    return { stack, plan, changes: p.r.code === 2, warnings: p.warnings };
  } catch (e) {
    if (e instanceof ScimformCliError && e.code === 'SCIMFORM_NO_TERRAFORM') throw e;
    progress(stack.name, 'plan failed');
    return { stack, changes: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Plans every stack, `parallelism` at a time (stacks have separate state, so this is safe). */
export function planStacks(stacks: StackDir[], options: StackRunOptions, extraArgs: string[] = []): Promise<StackPlanResult[]> {
  return mapPool(stacks, options.parallelism, (s) => planStack(s, options, extraArgs));
}

/** Reads the saved plans of every stack (no planning); a missing plan file is an error of that app only. */
export function loadSavedPlans(stacks: StackDir[], options: StackRunOptions): Promise<StackPlanResult[]> {
  return mapPool(stacks, options.parallelism, async (stack) => {
    try {
      const plan = await showPlan(stack, options.planFile, options.env);
      return { stack, plan, changes: hasChanges(plan), warnings: readPlanWarnings(join(stack.dir, options.planFile)) };
    } catch (e) {
      if (e instanceof ScimformCliError && e.code === 'SCIMFORM_NO_TERRAFORM') throw e;
      return { stack, changes: false, error: e instanceof Error ? e.message : String(e) };
    }
  });
}

/** A plan changes something when a managed resource has an action other than no-op/read. */
export const hasChanges = (plan: JsonPlan): boolean =>
  (plan.resource_changes ?? []).some((rc) => rc.mode === 'managed' && rc.change.actions.some((a) => a !== 'no-op' && a !== 'read'));
