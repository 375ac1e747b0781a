// `scimform drift`: refreshes and plans every stack; exit 0 when the live apps match the configuration,
// 2 when something drifted (the report names what changed out of band, per app), 1 on error.
import { writeFileSync } from 'node:fs';
import { detectDrift } from '../drift/run-drift';
import { renderDriftJson, renderDriftMarkdown, renderDriftTerminal } from '../drift/render-drift';
import { paletteFor, plainPalette } from '../report/colors';
import { stderrProgress } from '../report/stack-plans';
import { sandboxForStacks } from '../report/stack-sandbox';
import { commandTerraformEnv as terraformEnv } from '../terraform-runner';
import { formatFrom, parallelismFrom, reportOutputDefinitions, runCommand, stackOptionDefinitions, stacksFrom, stackUsage, writeFile } from '../report/command-kit';
import { EXIT_DRIFT, EXIT_ERROR, EXIT_OK } from '../report/exit-codes';
import { resynthesizeIfStale } from '../workflow/fresh-stacks';
import { REPORT_FORMATS } from '../report/emit-report';

export const summary = 'refresh and plan every stack; exit 0 clean, 2 drift, 1 error';

export const options = {
  ...stackOptionDefinitions,
  ...reportOutputDefinitions,
  'summary-file': { type: 'string' },
} as const;

export const usage = `Usage: scimform drift [options]

Refreshes every synthesized stack against its live app and plans (terraform plan -detailed-exitcode).
The report names, per app, what was changed outside scimform and what an apply would do. Saved plans
of \`scimform plan\` are not touched. Run \`scimform synth\` first when cdktf.out is missing; when the org
files, the app's code or a SCIMFORM_<APP>_ENDPOINT changed since the last synth, it synthesizes again first.

${stackUsage}
  --format FORMAT       terminal (default), markdown or json
  -o, --output FILE     write that format to FILE instead of stdout
  --markdown-file FILE  also write the Markdown report
  --json-file FILE      also write the JSON report
  --summary-file FILE   append the Markdown report to FILE (e.g. "$GITHUB_STEP_SUMMARY")

Exit codes: 0 no drift, 2 drift, 1 error (a stack could not be refreshed or planned).`;

export function run(argv: string[]): Promise<number> {
  return runCommand('drift', argv, options, usage, async (values) => {
    const format = formatFrom(values.format, REPORT_FORMATS, 'terminal');
    await resynthesizeIfStale('drift', values);
    const stacks = stacksFrom(values);
    const sandbox = await sandboxForStacks(stacks, !values['no-sandbox']);
    const report = await detectDrift(stacks, {
      env: terraformEnv(),
      parallelism: parallelismFrom(values.parallelism),
      progress: stderrProgress,
    }).finally(() => sandbox.close());
    const render = (f: typeof format, color: boolean) =>
      f === 'json' ? renderDriftJson(report) : f === 'markdown' ? renderDriftMarkdown(report) : renderDriftTerminal(report, color ? paletteFor(process.stdout) : plainPalette);
    if (values.output) writeFile(values.output, render(format, false));
    else process.stdout.write(render(format, true));
    if (values['markdown-file']) writeFile(values['markdown-file'], renderDriftMarkdown(report));
    if (values['json-file']) writeFile(values['json-file'], renderDriftJson(report));
    if (values['summary-file']) writeFileSync(values['summary-file'], `${renderDriftMarkdown(report)}\n`, { flag: 'a' });
    return report.status === 'clean' ? EXIT_OK : report.status === 'drift' ? EXIT_DRIFT : EXIT_ERROR;
  });
}
