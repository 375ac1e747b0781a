// `scimform access`: the person × app access matrix (role, and status active / deactivated / pending)
// from each stack's state and synthesized configuration, as Markdown, CSV or a self-contained HTML page.
import { buildAccessMatrix } from '../access/build-access-matrix';
import { AccessSource, loadAccounts } from '../access/load-access';
import { renderAccessCsv, renderAccessHtml, renderAccessMarkdown } from '../access/render-access';
import { badOption } from '../report/errors';
import { assertSandboxNotMoved } from '../report/stack-sandbox';
import { stderrProgress } from '../report/stack-plans';
import { commandTerraformEnv as terraformEnv } from '../terraform-runner';
import { formatFrom, parallelismFrom, runCommand, stackOptionDefinitions, stacksFrom, stackUsage, writeFile } from '../report/command-kit';
import { EXIT_OK } from '../report/exit-codes';
import { resynthesizeIfStale } from '../workflow/fresh-stacks';

export const summary = 'the person × app access matrix (role, status) as Markdown, CSV or HTML';

export const ACCESS_FORMATS = ['markdown', 'csv', 'html', 'json'] as const;
const SOURCES: readonly AccessSource[] = ['state', 'config', 'both'];

export const options = {
  ...stackOptionDefinitions,
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  source: { type: 'string' },
} as const;

export const usage = `Usage: scimform access [options]

Prints who has which app: one row per person, one column per app, with the role(s) and the status:
active, deactivated, or pending (declared in the configuration, not provisioned yet). When the org files,
the app's code or a SCIMFORM_<APP>_ENDPOINT changed since the last synth, it synthesizes again first.

${stackUsage}
  --format FORMAT       markdown (default), csv, html (a self-contained page) or json
  -o, --output FILE     write to FILE instead of stdout
  --source SOURCE       both (default: state, plus config for pending and planned changes), state or config`;

export function run(argv: string[]): Promise<number> {
  return runCommand('access', argv, options, usage, async (values) => {
    const format = formatFrom(values.format, ACCESS_FORMATS, 'markdown');
    const source = (values.source ?? 'both') as AccessSource;
    if (!SOURCES.includes(source)) throw badOption('--source', `"${values.source}" is not a source`, `Use one of: ${SOURCES.join(', ')}`);
    await resynthesizeIfStale('access', values);
    const stacks = stacksFrom(values);
    if (!values['no-sandbox'] && source !== 'config') await assertSandboxNotMoved(stacks);
    const accounts = await loadAccounts(stacks, source, {
      env: terraformEnv(),
      parallelism: parallelismFrom(values.parallelism),
      progress: stderrProgress,
    });
    const matrix = buildAccessMatrix(accounts);
    const text =
      format === 'csv'
        ? renderAccessCsv(matrix)
        : format === 'html'
          ? renderAccessHtml(matrix)
          : format === 'json'
            ? `${JSON.stringify(matrix, null, 2)}\n`
            : renderAccessMarkdown(matrix);
    if (values.output) writeFile(values.output, text);
    else process.stdout.write(text);
    return EXIT_OK;
  });
}
