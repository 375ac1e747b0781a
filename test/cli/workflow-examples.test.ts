// The GitHub Actions examples cannot run here: parse them and check that every `scimform` invocation
// is a real subcommand with real flags, validated by the CLI's own option definitions, and that the
// markers the workflows search for are the ones the report writes.
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { allCommands } from '../../cli/main';
import { REPORT_MARKER } from '../../cli/report/render-markdown';
import { fingerprintComment, FINGERPRINT_PATTERN } from '../../cli/report/report-fingerprint';
import { WORKFLOW_DIR, loadWorkflow as load, scimformCalls as invocations, workflowSteps as steps } from '../support/github-workflows';

const files = fs.readdirSync(WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();

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
