// `scimform report`: the dry-run report of the saved plans (`terraform show -json` of each stack's
// plan file, or plan JSON files given with --plan-json), in terminal, Markdown or JSON format. Stale
// saved plans (their inputs changed) are made again first.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guardOptionDefinitions, guardOptionsFrom, guardUsage } from '../guard/guard-options';
import { badOption } from '../report/errors';
import { readPlanJson } from '../report/roster-changes';
import { reportFromPlans } from '../report/report-from-plans';
import { loadSavedPlans, planStacks, silentProgress, stderrProgress, StackPlanResult } from '../report/stack-plans';
import { sandboxForStacks } from '../report/stack-sandbox';
import { resynthesizeIfStale } from '../workflow/fresh-stacks';
import { staleReasons } from '../workflow/plan-inputs';
import { commandTerraformEnv as terraformEnv } from '../terraform-runner';
import {
  type CommandValues,
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
import { EXIT_ERROR, EXIT_OK } from '../report/exit-codes';

export const summary = 'report the saved plans: who is created, adopted, updated, deactivated, reactivated or deleted';

export const options = {
  ...stackOptionDefinitions,
  ...planFileOptionDefinitions,
  ...reportOutputDefinitions,
  ...guardOptionDefinitions,
  'plan-json': { type: 'string', multiple: true },
} as const;

export const usage = `Usage: scimform report [options]

Reads the plan saved in each stack by \`scimform plan\` and prints, per app, the users to create, adopt,
update (each attribute before → after; sensitive values hidden), deactivate, reactivate or delete, the
groups created or deleted and the members added or removed. The guard verdict is shown; it does not
change the exit code (\`scimform apply\` enforces it). A saved plan made from other inputs than the
current ones (org files, the app's code, SCIMFORM_<APP>_ENDPOINT, the stack, the provider build) is made
again first (the stacks are synthesized again when synth's inputs changed), so the report is never old.

${stackUsage}
${planFileUsage}
  --plan-json APP=FILE  report a \`terraform show -json\` file instead of a stack's plan (repeatable)
${reportOutputUsage}
${guardUsage}

Exit codes: 0 reported, 1 a plan could not be read.`;

function plansFromFiles(specs: string[]): Pick<StackPlanResult, 'stack' | 'plan'>[] {
  return specs.map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw badOption('--plan-json', `"${spec}" is not APP=FILE`, 'Pass e.g. --plan-json proxyclick=plan.json');
    const app = spec.slice(0, eq);
    const file = spec.slice(eq + 1);
    return { stack: { name: app, dir: '' }, plan: readPlanJson(readFileSync(file, 'utf8'), file) };
  });
}

export function run(argv: string[]): Promise<number> {
  return runCommand('report', argv, options, usage, async (values) => {
    const guard = guardOptionsFrom(values);
    let results: Pick<StackPlanResult, 'stack' | 'plan' | 'error'>[];
    if (values['plan-json']?.length) {
      results = plansFromFiles(values['plan-json']);
    } else {
      results = await currentPlans(values);
    }
    const report = reportFromPlans(results, guard);
    emitReport(report, values, 'scimform plan');
    return report.apps.some((a) => a.error) ? EXIT_ERROR : EXIT_OK;
  });
}

/**
 * The saved plans, each made from the current inputs: a plan whose inputs changed since (org files, app
 * code, endpoints — the stacks are synthesized again first — the stack or the provider build) is made
 * again, so the report never shows an old plan.
 */
async function currentPlans(values: CommandValues<typeof options>): Promise<StackPlanResult[]> {
  await resynthesizeIfStale('report', values);
  const stacks = stacksFrom(values);
  const env = terraformEnv();
  const planFile = planFileFrom(values['plan-file']);
  const parallelism = parallelismFrom(values.parallelism);
  const stale = stacks.filter((stack) => {
    if (!existsSync(join(stack.dir, planFile))) return false;
    const reasons = staleReasons(stack.dir, planFile, env);
    if (reasons.length) process.stderr.write(`[${stack.name}] the saved plan was made from other inputs (${reasons.join('; ')}): planning again\n`);
    return reasons.length > 0;
  });
  const sandbox = await sandboxForStacks(stale, !values['no-sandbox']);
  const replanned = await planStacks(stale, { env, planFile, parallelism, progress: stderrProgress }).finally(() => sandbox.close());
  const loaded = await loadSavedPlans(
    stacks.filter((s) => !stale.includes(s)),
    { env, planFile, parallelism, progress: silentProgress },
  );
  const byName = new Map([...replanned, ...loaded].map((r) => [r.stack.name, r]));
  return stacks.map((s) => byName.get(s.name)!);
}
