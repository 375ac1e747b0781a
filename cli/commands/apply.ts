// `scimform apply`: applies the plans saved by `scimform plan`, stack by stack, after printing their
// report; refuses (exit 3) when the accidental-deactivation guard trips, and (exit 1) when the plan
// differs from the reviewed one given with --expect-fingerprint or was made from inputs (org files, app
// code, endpoints, stack, provider build) that changed since. Applied plans are removed.
import * as path from 'node:path';
import { guardMessage } from '../guard/deactivation-guard';
import { guardOptionDefinitions, guardOptionsFrom, guardUsage } from '../guard/guard-options';
import { badOption, ScimformCliError } from '../report/errors';
import { inPool } from '../workflow/pool';
import { stalePlanMessage, staleReasons } from '../workflow/plan-inputs';
import { removeSavedPlan } from '../workflow/saved-plan';
import { finishReviewedReactivations, reviewedReactivations } from '../workflow/reviewed-reactivations';
import { readPlanWarnings } from '../report/plan-diagnostics';
import { reportFromPlans } from '../report/report-from-plans';
import { loadSavedPlans, stackEnv, stderrProgress } from '../report/stack-plans';
import { sandboxForStacks } from '../report/stack-sandbox';
import { explainTerraformText } from '../diagnostic-origins';
import { commandTerraformEnv as terraformEnv, runTerraformIn as runTerraform, terraformErrorSummary } from '../terraform-runner';
import {
  parallelismFrom,
  planFileFrom,
  planFileOptionDefinitions,
  planFileUsage,
  reportOutputDefinitions,
  reportOutputUsage,
  runCommand,
  stackOptionDefinitions,
  stacksFrom,
  stackUsage,
} from '../report/command-kit';
import { emitReport } from '../report/emit-report';
import { isStalePlan, staleApplyOutcome } from '../state/stale-plan';
import { EXIT_ERROR, EXIT_GUARD, EXIT_OK } from '../report/exit-codes';
import { runPerson } from '../workflow/person-apply';
import { resynthesizeIfStale } from '../workflow/fresh-stacks';
import { followStackApply } from '../workflow/apply-progress';
import { stderrProgress as terminalProgress } from '../workflow/progress';

export const summary = 'apply the saved plans, refusing when the deactivation guard trips';

export const options = {
  ...stackOptionDefinitions,
  ...planFileOptionDefinitions,
  ...reportOutputDefinitions,
  ...guardOptionDefinitions,
  'expect-fingerprint': { type: 'string' },
  person: { type: 'string' },
} as const;

export const usage = `Usage: scimform apply [options]

Applies the plan saved in each stack by \`scimform plan\` (nothing is re-planned), after printing the
report. Stacks without changes are skipped; a failing stack does not stop the others. A plan whose
inputs changed since it was made (org files, the app's code, SCIMFORM_<APP>_ENDPOINT, the synthesized
stack, the provider build) is refused: run \`scimform plan\` again. Applied plan files are removed.

${stackUsage}
${planFileUsage}
  --expect-fingerprint F  refuse unless the plans are exactly the reviewed ones (the fingerprint
                          is in the pull-request comment and the JSON report)
  --person KEY          one person only: plans the rosters holding KEY (every other entry as it
                          is now) or KEY's scim_user, and the pushed groups KEY joins or leaves (every
                          other member as it is now; a group it cannot change alone is named as left for
                          the next full apply), prints the report (that person's change), applies it
                          (no saved plan is used; review it first with \`scimform plan --person KEY\`)
${reportOutputUsage}
${guardUsage}

Exit codes: 0 applied, 1 a stack failed or the plan was not the reviewed one, 3 the guard refused.`;

export function run(argv: string[]): Promise<number> {
  return runCommand('apply', argv, options, usage, async (values) => {
    const guardOptions = guardOptionsFrom(values);
    const expected = values['expect-fingerprint'];
    if (expected !== undefined && !/^[0-9a-f]{32}$/.test(expected)) {
      throw badOption('--expect-fingerprint', `"${expected}" is not a report fingerprint`, 'Copy it from the reviewed report (32 hex digits)');
    }
    if (values.person !== undefined) {
      await resynthesizeIfStale('apply', values);
      return runPerson('apply', values, guardOptions, expected);
    }
    const env = terraformEnv();
    const planFile = planFileFrom(values['plan-file']);
    const parallelism = parallelismFrom(values.parallelism);
    const stacks = stacksFrom(values);
    const results = await loadSavedPlans(stacks, { env, planFile, parallelism, progress: stderrProgress });
    const report = reportFromPlans(results, guardOptions);
    emitReport(report, values, 'scimform apply');

    if (expected !== undefined && expected !== report.fingerprint) {
      throw new ScimformCliError(
        'CLI_PLAN_NOT_REVIEWED',
        `the saved plans (fingerprint ${report.fingerprint}) differ from the reviewed plan (${expected}): ` +
          'something changed since the review (configuration or the live apps). Nothing was applied. ' +
          'Re-run the plan on the pull request, review the new report, then apply.',
      );
    }
    if (report.guard?.tripped) process.stderr.write(`${guardMessage(report.guard)}\n`);
    if (report.guard?.blocks) return EXIT_GUARD;

    const todo = results.filter((r) => r.plan && !r.error && r.changes);
    const sandbox = await sandboxForStacks(todo.map((r) => r.stack), !values['no-sandbox']);
    const outcomes = await inPool(todo, parallelism, async ({ stack }) => {
      stderrProgress(stack.name, 'terraform apply');
      let stackEnvironment: NodeJS.ProcessEnv;
      try {
        stackEnvironment = stackEnv(stack, env);
      } catch (e) {
        return { stack: stack.name, error: (e as Error).message };
      }
      const stale = staleReasons(stack.dir, planFile, env);
      if (stale.length) {
        stderrProgress(stack.name, 'not applied: the saved plan is stale');
        return { stack: stack.name, error: stalePlanMessage(stack.meta?.title ?? stack.name, stale) };
      }
      const reactivations = reviewedReactivations(readPlanWarnings(path.join(stack.dir, planFile)));
      // Long applies show done/total, rate and time left, as `scimform deploy` does (quiet with SCIMFORM_QUIET=1).
      const terminal = terminalProgress();
      const following = followStackApply(stack.dir, (m) => terminal.stack(stack.name, m));
      const r = await runTerraform(['apply', '-input=false', '-no-color', '-lock-timeout=60s', planFile], stack.dir, stackEnvironment).finally(() => following.stop());
      if (r.code !== 0) {
        const detail = explainTerraformText(terraformErrorSummary(r, stackEnvironment), stack.meta);
        const stale = isStalePlan(detail)
          ? await staleApplyOutcome(() => runTerraform(['plan', '-input=false', '-no-color', '-detailed-exitcode'], stack.dir, stackEnvironment), expected !== undefined)
          : detail;
        if (stale === undefined) {
          stderrProgress(stack.name, 'nothing left to do: another run applied this change first');
          removeSavedPlan(stack.dir, planFile);
          return { stack: stack.name };
        }
        stderrProgress(stack.name, 'apply failed');
        return { stack: stack.name, error: stale };
      }
      removeSavedPlan(stack.dir, planFile);
      stderrProgress(stack.name, 'applied');
      const follow = await finishReviewedReactivations(stack.dir, reactivations, (args) => runTerraform(args, stack.dir, stackEnvironment));
      if (follow.reactivated.length) stderrProgress(stack.name, `reactivated as the plan showed: ${follow.reactivated.join(', ')}`);
      if (follow.notDone) {
        return { stack: stack.name, error: `applied, but the reviewed reactivation of ${reactivations.join(', ')} was not finished: ${follow.notDone}` };
      }
      return { stack: stack.name };
    }).finally(() => sandbox.close());
    const unreadable = results.filter((r) => r.error).map((r) => ({ stack: r.stack.name, error: r.error! }));
    const notApplied = outcomes.filter((o) => o.error);
    const failed = [...unreadable, ...notApplied];
    for (const f of failed) process.stderr.write(`scimform apply: stack ${f.stack} failed:\n${f.error}\n`);
    process.stderr.write(
      `scimform apply: ${outcomes.length - notApplied.length} stack(s) applied, ` +
        `${results.length - todo.length - unreadable.length} without changes, ${failed.length} failed\n`,
    );
    return failed.length > 0 ? EXIT_ERROR : EXIT_OK;
  });
}
