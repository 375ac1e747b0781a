// `scimform report`: the dry-run report of the saved plans (`terraform show -json` of each stack's
// plan file, or plan JSON files given with --plan-json), in terminal, Markdown or JSON format.
import { readFileSync } from 'node:fs';
import { guardOptionDefinitions, guardOptionsFrom, guardUsage } from '../guard/guard-options';
import { badOption } from '../report/errors';
import { parsePlanJson } from '../report/plan-json';
import { reportFromPlans } from '../report/report-from-plans';
import { loadSavedPlans, silentProgress, StackPlanResult } from '../report/stack-plans';
import { commandTerraformEnv as terraformEnv } from '../terraform-runner';
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
change the exit code (\`scimform apply\` enforces it).

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
    return { stack: { name: app, dir: '' }, plan: parsePlanJson(readFileSync(file, 'utf8'), file) };
  });
}

export function run(argv: string[]): Promise<number> {
  return runCommand('report', argv, options, usage, async (values) => {
    const guard = guardOptionsFrom(values);
    let results: Pick<StackPlanResult, 'stack' | 'plan' | 'error'>[];
    if (values['plan-json']?.length) {
      results = plansFromFiles(values['plan-json']);
    } else {
      const stacks = stacksFrom(values);
      results = await loadSavedPlans(stacks, {
        env: terraformEnv(),
        planFile: planFileFrom(values['plan-file']),
        parallelism: parallelismFrom(values.parallelism),
        progress: silentProgress,
      });
    }
    const report = reportFromPlans(results, guard);
    emitReport(report, values, 'scimform plan');
    return report.apps.some((a) => a.error) ? EXIT_ERROR : EXIT_OK;
  });
}
