// The GitHub Actions examples cannot run here: parse them and check that every `scimform` invocation
// is a real subcommand with real flags, validated by the CLI's own option definitions, and that the
// markers the workflows search for are the ones the report writes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { allCommands } from '../../cli/main';
import { REPORT_MARKER } from '../../cli/report/render-markdown';
import { fingerprintComment, FINGERPRINT_PATTERN } from '../../cli/report/report-fingerprint';

const DIR = path.join(__dirname, '..', '..', 'examples', 'github-actions');
const files = fs.readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { steps: Step[] }>;
}

const load = (f: string) => parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Workflow;
const steps = (w: Workflow) => Object.values(w.jobs).flatMap((j) => j.steps);

/** Shell words of one command line (quotes removed), stopping at a pipe, list or redirection. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\|\||&&|[|;<>]|>>)|([^\s"'|;<>&]+)/g;
  for (const m of line.matchAll(re)) {
    if (m[3]) break;
    out.push(m[1] ?? m[2] ?? m[4]);
  }
  return out;
}

/** Every `scimform <command> …` (via npx, npm exec or node cli/scimform.js) in a run script. */
function invocations(run: string): string[][] {
  return run
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => /(?:^|\s)(?:npx |npm exec (?:-- )?|node \S*cli\/)?scimform(?:\.js)?\s+(.*)$/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined)
    .map(words);
}

describe('GitHub Actions examples', () => {
  const commands = allCommands();

  test('the three workflows exist: pull request, push to main, nightly', () => {
    expect(files).toEqual(['scimform-apply.yml', 'scimform-drift.yml', 'scimform-plan.yml']);
    expect(Object.keys(load('scimform-plan.yml').on)).toEqual(['pull_request']);
    expect(load('scimform-apply.yml').on).toEqual({ push: { branches: ['main'] } });
    expect(load('scimform-drift.yml').on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \* \* \*$/) }]);
  });

  test.each(files)('%s: every scimform invocation is a real command with real flags', (file) => {
    const calls = steps(load(file)).flatMap((s) => (s.run ? invocations(s.run) : []));
    expect(calls.length).toBeGreaterThan(0);
    for (const [name, ...args] of calls) {
      const cmd = commands[name];
      if (!cmd) throw new Error(`${file}: "scimform ${name}" is not a scimform command (known: ${Object.keys(commands).join(', ')})`);
      if (!cmd.options) throw new Error(`scimform ${name} does not export its option definitions`);
      // The CLI's own parser and definitions: unknown flags or a flag missing its value throw.
      expect(() => parseArgs({ args, options: cmd.options!, strict: true, allowPositionals: false })).not.toThrow();
    }
  });

  test('the workflows plan, apply the reviewed plan, and detect drift with the right outputs', () => {
    const calls = (f: string) => steps(load(f)).flatMap((s) => (s.run ? invocations(s.run) : []));
    expect(calls('scimform-plan.yml')).toContainEqual(expect.arrayContaining(['plan', '--markdown-file']));
    const apply = calls('scimform-apply.yml');
    expect(apply).toContainEqual(['apply', '--expect-fingerprint', '$REVIEWED']);
    expect(apply).toContainEqual(['apply', '--expect-fingerprint', '$REVIEWED', '--allow-mass-deactivation']);
    expect(calls('scimform-drift.yml')).toContainEqual(expect.arrayContaining(['drift', '--summary-file', '$GITHUB_STEP_SUMMARY']));
  });

  test('the comment the pull-request workflow updates and the fingerprint the apply workflow reads are the report’s', () => {
    const script = (f: string) =>
      steps(load(f))
        .map((s) => String(s.with?.script ?? ''))
        .join('\n');
    expect(script('scimform-plan.yml')).toContain(`'${REPORT_MARKER}'`);
    expect(script('scimform-apply.yml')).toContain(`'${REPORT_MARKER}'`);
    const pattern = /\/(<!-- scimform-fingerprint: .*? -->)\/\.exec/.exec(script('scimform-apply.yml'))![1];
    expect(pattern).toBe(FINGERPRINT_PATTERN.source);
    expect(new RegExp(pattern).exec(fingerprintComment('0123456789abcdef0123456789abcdef'))?.[1]).toBe('0123456789abcdef0123456789abcdef');
  });
});
