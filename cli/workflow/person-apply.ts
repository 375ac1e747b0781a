// Runs `scimform plan --person KEY` and `scimform apply --person KEY` on the synthesized stacks. Per selected
// stack with rosters: reads the configuration and the rosters as they are now (a targeted plan, which refreshes
// them and the groups), writes the person's override (person-roster.ts) beside cdk.tf.json and plans only the
// rosters KEY is in and the groups KEY joins or leaves (`-target`) into its own plan file; in a per-user stack,
// KEY's scim_user (and those groups). Groups left for the next full apply are said on stderr. Then prints the
// report — exactly that person's change. `apply` applies that plan (after the fingerprint check and the guard,
// as `scimform apply` does) and finishes a reviewed reactivation the same way. The override and the person's
// plan are always removed afterwards; the stack's own saved plan is never touched.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { guardMessage, type GuardOptions } from '../guard/deactivation-guard';
import { stacksDirFrom, stacksFrom } from '../report/command-kit';
import { emitReport, type ReportOutputValues } from '../report/emit-report';
import { ScimformCliError, terraformFailed } from '../report/errors';
import { EXIT_ERROR, EXIT_GUARD, EXIT_OK } from '../report/exit-codes';
import { parsePlanJson, parseStateJson, type JsonState } from '../report/plan-json';
import { hasKey } from '../report/roster-changes';
import { parsePlanJsonStream, renderDiagnostics } from '../report/plan-diagnostics';
import { reportFromPlans } from '../report/report-from-plans';
import { findStacks, type StackDir } from '../report/stack-dirs';
import { initStack, planStack, stackEnv, stderrProgress, type StackPlanResult } from '../report/stack-plans';
import { sandboxForStacks } from '../report/stack-sandbox';
import { explainTerraformText } from '../diagnostic-origins';
import { commandTerraformEnv, runTerraformIn as runTerraform, terraformErrorSummary } from '../terraform-runner';
import { finishReviewedReactivations, reviewedReactivations } from './reviewed-reactivations';
import { configGroups, overrideDocument, personGroups, withGroupChanges } from './person-roster';
import { assertNoPersonOverride, configRosters, metadataMentions, personUserTargets, PERSON_OVERRIDE_FILE, sliceGuardTargets, PERSON_PLAN_FILE, PERSON_READ_PLAN, personNotFound, personOverride, type PersonOverride } from './person-roster';
import { prepareSavedPlan, removeSavedPlan, writeCompanion } from './saved-plan';
import { followStackApply } from './apply-progress';
import { stderrProgress as terminalProgress } from './progress';

export interface PersonValues extends ReportOutputValues {
  person?: string;
  stack?: string[];
  'stacks-dir'?: string;
  'no-sandbox'?: boolean;
}

/** Extra plan arguments of one person's plan: its rosters only. */
const personPlanArgs = (p: PersonOverride): string[] => p.targets.map((t) => `-target=${t}`);

/** The stack's rosters and groups as they are now: the prior state of a plan of every roster and group (Terraform refreshes them). */
async function refreshedRosters(stack: StackDir, config: unknown, env: NodeJS.ProcessEnv): Promise<JsonState> {
  const targets = [
    ...[...configRosters(config).keys()].map((name) => `scim_roster.${name}`),
    ...[...configGroups(config).keys()].map((name) => `scim_group.${name}`),
    ...sliceGuardTargets(config),
  ].map((t) => `-target=${t}`);
  prepareSavedPlan(stack.dir, PERSON_READ_PLAN);
  try {
    const r = await runTerraform(['plan', '-input=false', '-no-color', '-json', '-lock-timeout=60s', `-out=${PERSON_READ_PLAN}`, ...targets], stack.dir, env);
    if (r.code !== 0) {
      // The errors as Terraform prints them, from the JSON diagnostics: never the plan or a source line.
      const errors = renderDiagnostics(parsePlanJsonStream(r.stdout).diagnostics.filter((d) => d.severity === 'error'));
      throw terraformFailed(stack.name, 'plan', explainTerraformText(terraformErrorSummary({ ...r, stdout: '', stderr: `${r.stderr}\n${errors}`.trim() }, env), stack.meta));
    }
    const shown = await runTerraform(['show', '-json', '-no-color', PERSON_READ_PLAN], stack.dir, env);
    if (shown.code !== 0) throw terraformFailed(stack.name, 'show', terraformErrorSummary(shown, env));
    return { values: parsePlanJson(shown.stdout, `${stack.name}/${PERSON_READ_PLAN}`).prior_state?.values };
  } finally {
    removeSavedPlan(stack.dir, PERSON_READ_PLAN);
  }
}

/** The stack's state (`terraform show -json`). */
async function currentState(stack: StackDir, env: NodeJS.ProcessEnv): Promise<JsonState> {
  const r = await runTerraform(['show', '-json', '-no-color'], stack.dir, env);
  if (r.code !== 0) throw terraformFailed(stack.name, 'show', terraformErrorSummary(r, env));
  return parseStateJson(r.stdout, `${stack.name} state`);
}

/** A per-user stack: the person's scim_user resources, targeted as they are. */
function userTargets(key: string, config: unknown, stack: StackDir, state: JsonState): PersonOverride | undefined {
  const targets = personUserTargets(key, config, stack.meta, state);
  return targets.length ? { targets } : undefined;
}

const readConfig = (stack: StackDir): unknown => JSON.parse(readFileSync(join(stack.dir, 'cdk.tf.json'), 'utf8'));

/** The person's override per stack that holds or declares KEY; a clear error when none does. */
async function personStacks(key: string, stacks: StackDir[], values: PersonValues, env: NodeJS.ProcessEnv): Promise<{ stack: StackDir; person: PersonOverride }[]> {
  const found: { stack: StackDir; person: PersonOverride }[] = [];
  const excluded: { app: string; detail: string }[] = [];
  for (const stack of stacks) {
    assertNoPersonOverride(stack);
    const config = readConfig(stack);
    const senv = stackEnv(stack, env);
    await initStack(stack, senv, stderrProgress);
    const rosters = configRosters(config).size > 0;
    const state = rosters || configGroups(config).size > 0 ? await refreshedRosters(stack, config, senv) : await currentState(stack, senv);
    const person = withGroupChanges(rosters ? personOverride(stack.name, key, config, state) : userTargets(key, config, stack, state), personGroups(key, config, state));
    if (person) found.push({ stack, person });
    else if (metadataMentions(stack.meta, key) === 'excluded') {
      excluded.push({ app: stack.name, detail: stack.meta?.excluded.find((e) => e.person === key)?.detail ?? 'not provisioned' });
    }
  }
  if (found.length) return found;
  const selected = new Set(stacks.map((s) => s.name));
  const elsewhere = findStacks(stacksDirFrom(values['stacks-dir']))
    .filter((s) => !selected.has(s.name))
    .filter((s) => metadataMentions(s.meta, key) === 'declared' || [...configRosters(readConfig(s)).values()].some((e) => hasKey(e, key)))
    .map((s) => s.name);
  throw personNotFound(key, [...selected], elsewhere, excluded);
}

/**
 * `plan --person KEY` (report only) or `apply --person KEY` (report, then apply unless the fingerprint differs
 * from `expected` or the guard trips). Returns the exit code.
 */
export async function runPerson(mode: 'plan' | 'apply', values: PersonValues, guard: GuardOptions, expected?: string): Promise<number> {
  const key = values.person ?? '';
  if (key === '') throw new ScimformCliError('CLI_BAD_OPTION', 'option --person: needs the person\'s key (e.g. --person E1001), as in the org files.');
  const env = commandTerraformEnv();
  const stacks = stacksFrom(values);
  const sandbox = await sandboxForStacks(stacks, !values['no-sandbox']);
  const planned: StackDir[] = [];
  const written: StackDir[] = [];
  const removeOverrides = () => {
    for (const stack of written) rmSync(join(stack.dir, PERSON_OVERRIDE_FILE), { force: true });
  };
  // Interrupted (Ctrl-C reaches terraform too, which stops cleanly): no override is left behind, no next stack applied.
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    removeOverrides();
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    const targets = await personStacks(key, stacks, values, env);
    const results: (StackPlanResult & { person: PersonOverride })[] = [];
    for (const { stack, person } of targets) {
      if (interrupted) return EXIT_ERROR;
      for (const l of person.left ?? []) stderrProgress(stack.name, `left for the next full apply: ${l}`);
      if (person.override) {
        writeCompanion(join(stack.dir, PERSON_OVERRIDE_FILE), overrideDocument(person.override));
        written.push(stack);
      }
      planned.push(stack);
      results.push({ ...(await planStack(stack, { env, planFile: PERSON_PLAN_FILE, progress: stderrProgress, personOverride: true }, personPlanArgs(person))), person });
    }
    const report = reportFromPlans(results, guard);
    emitReport(report, values, `scimform ${mode} --person ${key}`);
    const failed = results.filter((r) => r.error);
    if (mode === 'plan') return failed.length ? EXIT_ERROR : EXIT_OK;

    if (expected !== undefined && expected !== report.fingerprint) {
      throw new ScimformCliError(
        'CLI_PLAN_NOT_REVIEWED',
        `the plan of ${key} (fingerprint ${report.fingerprint}) differs from the reviewed plan (${expected}): something changed since the review. ` +
          `Nothing was applied. Run \`scimform plan --person ${key}\` again, review it, then apply.`,
      );
    }
    if (report.guard?.tripped) process.stderr.write(`${guardMessage(report.guard)}\n`);
    if (report.guard?.blocks) return EXIT_GUARD;
    const errors = failed.map((r) => ({ stack: r.stack.name, error: r.error! }));
    for (const r of results.filter((x) => x.plan && !x.error && x.changes)) {
      if (interrupted) return EXIT_ERROR;
      const senv = stackEnv(r.stack, env);
      stderrProgress(r.stack.name, `terraform apply (${key} only)`);
      const terminal = terminalProgress();
      const following = followStackApply(r.stack.dir, (m) => terminal.stack(r.stack.name, m));
      const applied = await runTerraform(['apply', '-input=false', '-no-color', '-lock-timeout=60s', PERSON_PLAN_FILE], r.stack.dir, senv).finally(() => following.stop());
      if (applied.code !== 0) {
        errors.push({ stack: r.stack.name, error: explainTerraformText(terraformErrorSummary(applied, senv), r.stack.meta) });
        continue;
      }
      stderrProgress(r.stack.name, 'applied');
      const reviewed = reviewedReactivations(r.warnings ?? []);
      const follow = await finishReviewedReactivations(r.stack.dir, reviewed, (args) => runTerraform(args, r.stack.dir, senv), personPlanArgs(r.person));
      if (follow.reactivated.length) stderrProgress(r.stack.name, `reactivated as the plan showed: ${follow.reactivated.join(', ')}`);
      if (follow.notDone) errors.push({ stack: r.stack.name, error: `applied, but the reviewed reactivation of ${reviewed.join(', ')} was not finished: ${follow.notDone}` });
    }
    for (const f of errors) process.stderr.write(`scimform apply --person ${key}: stack ${f.stack} failed:\n${f.error}\n`);
    return errors.length ? EXIT_ERROR : EXIT_OK;
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    removeOverrides();
    // The person's plan holds the stack's variable values (credentials): never left behind.
    for (const stack of planned) removeSavedPlan(stack.dir, PERSON_PLAN_FILE);
    await sandbox.close();
  }
}
