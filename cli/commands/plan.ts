// `scimform plan`: the dry run. Synthesizes, plans every stack into its saved plan file (in parallel,
// progress on stderr: the workflow pipeline), then prints the report of those plans — per app, who is
// created, adopted, updated, deactivated, reactivated or deleted — on stdout. Overrides the workflow
// command of the same name (cli/main.ts gives cli/commands modules precedence).
import { scimformPaths } from '../../lib/paths';
import { guardOptionDefinitions, guardOptionsFrom, guardUsage } from '../guard/guard-options';
import type { GuardOptions } from '../guard/deactivation-guard';
import { reportOutputDefinitions, reportOutputUsage, runCommand, formatFrom, stacksFrom } from '../report/command-kit';
import { emitReport, REPORT_FORMATS, type ReportOutputValues } from '../report/emit-report';
import { EXIT_ERROR, EXIT_OK } from '../report/exit-codes';
import { failedAppReport } from '../report/build-report';
import { reportFromPlans, type PlanForReport } from '../report/report-from-plans';
import { declaredAccounts, NO_CHANGES_PLAN } from '../report/noop-plans';
import { assembleReport } from '../report/report-model';
import { findStacks } from '../report/stack-dirs';
import { loadSavedPlans, planStacks, silentProgress, stderrProgress as stackProgress } from '../report/stack-plans';
import { sandboxForStacks } from '../report/stack-sandbox';
import { commandTerraformEnv as terraformEnv } from '../terraform-runner';
import { badOption } from '../report/errors';
import { runPipeline } from '../workflow/pipeline';
import { stderrProgress } from '../workflow/progress';
import { workflowOptions } from '../workflow/workflow-commands';
import { PLAN_FILE } from '../workflow/stack-terraform';
import { join } from 'node:path';
import { runPerson } from '../workflow/person-apply';
import { resynthesizeIfStale } from '../workflow/fresh-stacks';

export const summary = 'dry run: synth, plan every app, and report who is created, adopted, updated, deactivated or deleted';

const { yes: _yes, ...pipelineOptions } = workflowOptions;
void _yes;

export const options = {
  ...pipelineOptions,
  'no-synth': { type: 'boolean' },
  'stacks-dir': { type: 'string' },
  person: { type: 'string' },
  ...reportOutputDefinitions,
  ...guardOptionDefinitions,
} as const;

export const usage = `Usage: scimform plan [options]

Synthesizes, plans every stack (saved as cdktf.out/stacks/<app>/scimform.tfplan, mode 0600, for
\`scimform apply\`, which applies it only while its inputs are unchanged) with progress on stderr, then prints the report: per app, the users to create, adopt, update (each
attribute before → after; sensitive values hidden), deactivate, reactivate or delete, the groups
created or deleted, the members added or removed, and the deactivation guard's verdict. Changes nothing.

Options:
  --stack NAME          only this app's stack (repeatable)
  --parallelism N       stacks planned at the same time (default 2; env SCIMFORM_PARALLELISM)
  --no-sandbox          do not start the local sandbox (all apps point at real endpoints)
  --summary-only        accepted for compatibility (the per-stack lines on stderr are always short)
  --no-synth            plan the stacks already synthesized (e.g. by an earlier CI step) as they are
  --stacks-dir DIR      with --no-synth: where the stacks are (default cdktf.out/stacks)
  --person KEY          one person only: plan the rosters holding KEY (every other entry as it is
                        now) or KEY's scim_user, and the pushed groups KEY joins or leaves (every other
                        member as it is now) (nothing saved; \`scimform apply --person KEY\` applies it)
${reportOutputUsage}
${guardUsage}
  -h, --help            this help

Exit codes: 0 planned, 1 an app could not be planned (the others are still reported).`;

export function run(argv: string[]): Promise<number> {
  return runCommand('plan', argv, options, usage, async (values) => {
    const guard = guardOptionsFrom(values);
    formatFrom(values.format, REPORT_FORMATS, 'terminal');
    const parallelism = Number(values.parallelism ?? process.env.SCIMFORM_PARALLELISM ?? 2);
    if (!Number.isInteger(parallelism) || parallelism < 1) throw badOption('--parallelism', `"${values.parallelism}" is not a whole number ≥ 1`, 'Pass e.g. --parallelism 2');
    if (values.person !== undefined) {
      if (values['stacks-dir'] && !values['no-synth']) throw badOption('--stacks-dir', 'only applies with --no-synth', 'Synth writes to $SCIMFORM_OUTDIR/stacks (default cdktf.out/stacks)');
      if (!values['no-synth']) await resynthesizeIfStale('plan', values);
      return await runPerson('plan', values, guard);
    }
    if (values['no-synth']) return await planWithoutSynth(values, guard, parallelism);
    if (values['stacks-dir']) throw badOption('--stacks-dir', 'only applies with --no-synth', 'Synth writes to $SCIMFORM_OUTDIR/stacks (default cdktf.out/stacks)');
    const paths = scimformPaths();
    const result = await runPipeline({
      mode: 'plan',
      paths,
      progress: stderrProgress(),
      // stdout carries the report; the pipeline's per-stack lines and summary go with the progress.
      out: process.stderr,
      stacks: values.stack,
      parallelism,
      sandbox: values['no-sandbox'] ? 'off' : 'auto',
      showPlans: false,
      color: false,
    });
    const planned = result.stacks.filter((s) => s.plan && !s.error).map((s) => s.name);
    const stacks = planned.length ? findStacks(join(paths.outDir, 'stacks'), planned) : [];
    // A plan without changes is reported from the configuration's account count, without `terraform show -json`.
    const unchanged = new Set(result.stacks.filter((s) => s.plan && !s.plan.changes).map((s) => s.name));
    const noop = stacks.flatMap((stack) => {
      const managedUsers = unchanged.has(stack.name) ? declaredAccounts(stack.dir) : undefined;
      return managedUsers === undefined ? [] : [{ stack, plan: NO_CHANGES_PLAN, managedUsers }];
    });
    const toLoad = stacks.filter((s) => !noop.some((n) => n.stack === s));
    const loaded = await loadSavedPlans(toLoad, { env: terraformEnv(), planFile: PLAN_FILE, parallelism, progress: silentProgress });
    const byName = new Map<string, PlanForReport>([...loaded, ...noop].map((r) => [r.stack.name, r]));
    const results = result.stacks.map(
      (s) => byName.get(s.name) ?? { stack: { name: s.name, dir: '' }, error: s.error ?? 'not planned' },
    );
    const report = results.length ? reportFromPlans(results, guard) : assembleReport([failedAppReport('(no app)', 'no stack was synthesized')]);
    emitReport(report, values, 'scimform plan');
    return result.exitCode;
  });
}

/** `--no-synth`: plan the synthesized stacks as they are, then report. */
async function planWithoutSynth(
  values: { stack?: string[]; 'stacks-dir'?: string; 'no-sandbox'?: boolean } & ReportOutputValues,
  guard: GuardOptions,
  parallelism: number,
): Promise<number> {
  const stacks = stacksFrom(values);
  const sandbox = await sandboxForStacks(stacks, !values['no-sandbox']);
  const results = await planStacks(stacks, { env: terraformEnv(), planFile: PLAN_FILE, parallelism, progress: stackProgress }).finally(() =>
    sandbox.close(),
  );
  const report = reportFromPlans(results, guard);
  emitReport(report, values, 'scimform plan');
  return results.some((r) => r.error) ? EXIT_ERROR : EXIT_OK;
}
