// The user-path bench's judgement, without Terraform: a no-op plan or a deploy is accepted only when the
// command exited 0 and every app's outcome was parsed; Terraform floors need a parsed summary; the generated
// organisation is deterministic and valid for the example's apps; growth is a plain log ratio.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { parseBenchArgs } from '../../bench/bench-args';
import { expectPlan } from '../../bench/terraform-phases';
import { planCounts } from '../../bench/terraform-runner';
import { generatedPeople, writeUserpathOrg } from '../../bench/userpath-org';
import { growthExponent, synthSeconds } from '../../bench/userpath-phase';
import { checkDeploy, checkNoopPlan, classifyProcesses, parseScimformOutput } from '../../bench/userpath-scimform';

const REPO = path.resolve(__dirname, '..', '..');
const APPS = ['proxy', 'wiki'];

const NOOP_OUTPUT = `[proxy] planning…
=== Proxy (proxy, profile proxy) ===
No changes.

=== Wiki (wiki, profile generic) ===
No changes.

Summary:
  app    profile  users  groups  skipped  plan
  Proxy  proxy    10     3       0        No changes.
  Wiki   generic  7      2       0        No changes.
`;

const run = (output: string, exitCode = 0) => ({ command: 'scimform plan', exitCode, tail: output.slice(-200), ...parseScimformOutput(output) });

describe('no-op scimform plan check', () => {
  it('accepts exit 0 with "No changes." parsed for every app', () => {
    expect(() => checkNoopPlan(run(NOOP_OUTPUT), APPS)).not.toThrow();
  });

  it('rejects a run whose output cannot be parsed, instead of counting it as a no-op', () => {
    expect(() => checkNoopPlan(run('scimform plan: 2 apps\n\nTotal: no changes\n'), APPS)).toThrow(/proxy: no "=== … \(proxy, profile …\) ===" section was parsed.*wiki: no/);
    expect(() => checkNoopPlan(run(''), APPS)).toThrow(/not a no-op plan/);
  });

  it('rejects a missing app, a change, and a non-zero exit', () => {
    expect(() => checkNoopPlan(run(NOOP_OUTPUT.replace(/=== Wiki[^]*?No changes\.\n/, '')), APPS)).toThrow(/wiki: no/);
    expect(() => checkNoopPlan(run(NOOP_OUTPUT.replace('No changes.\n\n=== Wiki', 'Plan: 0 to add, 1 to change, 0 to destroy.\n\n=== Wiki')), APPS)).toThrow(/proxy: "Plan: 0 to add, 1 to change/);
    expect(() => checkNoopPlan(run(NOOP_OUTPUT, 1), APPS)).toThrow(/exit code 1/);
  });
});

describe('scimform deploy check', () => {
  const summary = (wiki: string) => `Summary:
  app    profile  users  groups  skipped  plan                                         result
  Proxy  proxy    10     3       0        Plan: 13 to add, 0 to change, 0 to destroy.  Apply complete! Resources: 13 added, 0 changed, 0 destroyed. — re-plan: no changes
  Wiki   generic  7      2       0        Plan: 9 to add, 0 to change, 0 to destroy.   ${wiki}
`;
  const deploy = (out: string, exitCode = 0) => ({ command: 'scimform deploy', exitCode, tail: '', ...parseScimformOutput(out) });

  it('needs every app applied with a re-plan of no changes', () => {
    expect(() => checkDeploy(deploy(summary('Apply complete! Resources: 9 added, 0 changed, 0 destroyed. — re-plan: no changes')), APPS)).not.toThrow();
    expect(() => checkDeploy(deploy(summary('FAILED')), APPS)).toThrow(/wiki: no summary row/);
    expect(() => checkDeploy(deploy('no summary at all'), APPS)).toThrow(/proxy: no summary row.*wiki: no summary row/);
  });
});

describe('terraform plan summaries (floors and per-user keys)', () => {
  it('parses counts, and a missing summary is an error, never zero changes', () => {
    expect(planCounts({ summary: ['No changes. Your infrastructure matches the configuration.'], tail: '' })).toEqual({ add: 0, change: 0, destroy: 0 });
    expect(planCounts({ summary: ['Plan: 1 to add, 2 to change, 3 to destroy.'], tail: '' })).toEqual({ add: 1, change: 2, destroy: 3 });
    expect(() => planCounts({ summary: [], tail: 'Error: something' })).toThrow(/no summary line was parsed/);
  });

  it('accepts a no-op only with exit 0 (-detailed-exitcode 2 means changes)', () => {
    const zero = { add: 0, change: 0, destroy: 0 };
    expect(() => expectPlan('no-op', { summary: ['No changes.'], tail: '', exitCode: 0 }, zero)).not.toThrow();
    expect(() => expectPlan('no-op', { summary: ['No changes.'], tail: '', exitCode: 2 }, zero)).toThrow(/exit 2/);
    expect(() => expectPlan('no-op', { summary: [], tail: '', exitCode: 0 }, zero)).toThrow(/no summary line/);
  });
});

describe('the generated organisation', () => {
  let tmp: string;
  beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-userpath-org-'))));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is deterministic, with managers inside the directory and never contractors', () => {
    const people = generatedPeople(250, ['engineering', 'sales']);
    expect(generatedPeople(250, ['engineering', 'sales'])).toEqual(people);
    const byKey = new Map(people.map((p) => [p.key, p]));
    for (const p of people.slice(1)) {
      const manager = byKey.get(p.manager as string);
      expect(manager).toBeDefined();
      expect((manager!.attributes as { contractor: boolean }).contractor).toBe(false);
    }
    expect(people.filter((p) => (p.attributes as { contractor: boolean }).contractor)).toHaveLength(12);
  });

  it("keeps the example's apps and teams, drops person-level assignments, and filters --apps", () => {
    const org = writeUserpathOrg(REPO, path.join(tmp, 'org'), 5, ['wiki', 'proxy']);
    expect(org.apps.map((a) => a.key)).toEqual(['proxy', 'wiki']);
    const apps = parse(fs.readFileSync(path.join(tmp, 'org', 'apps.yaml'), 'utf8')) as { apps: { assign: object[] }[] };
    expect(apps.apps.flatMap((a) => a.assign).every((a) => 'team' in a)).toBe(true);
    expect(() => writeUserpathOrg(REPO, path.join(tmp, 'x'), 5, ['slack'])).toThrow(/--apps slack: not an app of org\/apps.yaml/);
  });
});

describe('user-path options and arithmetic', () => {
  it('reads the synth time from the progress lines, and says null when they are missing', () => {
    const tl = [{ t: 0.5, line: 'scimform: using the sandbox already running at x' }, { t: 0.5, line: 'scimform: synth (org: o)' }, { t: 3.25, line: '[wiki] terraform init done' }];
    expect(synthSeconds(tl)).toBe(2.75);
    expect(synthSeconds(tl.slice(0, 2))).toBeNull();
  });

  it('measures growth as a log ratio (1.0 is linear)', () => {
    expect(growthExponent(40, 10, 2000, 500)).toBe(1);
    expect(growthExponent(80, 10, 2000, 500)).toBe(1.5);
  });

  it('takes the small size, the apps and --write-docs', () => {
    const o = parseBenchArgs(['--users', '2000', '--userpath-small', '500', '--apps', 'wiki,proxy', '--write-docs'], 'x');
    expect(o).toMatchObject({ userpathSmall: 500, apps: ['wiki', 'proxy'], writeDocs: true });
    expect(parseBenchArgs(['--users', '2000'], 'x').userpathSmall).toBe(200);
    expect(() => parseBenchArgs(['--users', '20', '--userpath-small', '20'], 'x')).toThrow(/smaller than the user path's size \(20/);
    expect(parseBenchArgs(['--users', '20', '--userpath-people', '100'], 'x')).toMatchObject({ users: 20, userpathPeople: 100, userpathSmall: 10 });
  });

  it('splits sampled CPU into terraform, its provider children, and the rest (synth)', () => {
    const split = classifyProcesses([
      { pid: 2, ppid: 1, command: '/bin/sh -c node main.ts', peakRssMb: 5, cpuS: 0.1 },
      { pid: 3, ppid: 2, command: 'node main.ts', peakRssMb: 200, cpuS: 4 },
      { pid: 4, ppid: 1, command: '/usr/local/bin/terraform plan', peakRssMb: 80, cpuS: 2 },
      { pid: 5, ppid: 4, command: 'node /x/terraform-provider-scim_v0.1.0', peakRssMb: 120, cpuS: 3 },
    ]);
    expect(split).toMatchObject({ synth: 4.1, terraform: 2, provider: 3, providerPeakRssMb: 120, terraformN: 1, providerN: 1 });
  });
});

describe('the performance page', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { appSteps, combineRuns, renderPerformancePage } = require('../../bench/performance-page') as typeof import('../../bench/performance-page');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { evaluate } = require('../../bench/metrics') as typeof import('../../bench/metrics');

  it('times each step of each app from the progress lines', () => {
    const steps = appSteps([
      { t: 1, line: '[wiki] planning…' },
      { t: 4, line: '[wiki] plan: 3 to add, 0 to change, 0 to destroy.' },
      { t: 5, line: '[wiki] applying…' },
      { t: 9.5, line: '[wiki] Apply complete! Resources: 3 added, 0 changed, 0 destroyed.' },
      { t: 10, line: '[wiki] re-plan: no changes' },
    ]);
    expect(steps).toEqual({ wiki: { plan: 3, apply: 4.5, 're-plan': 0.5 } });
  });

  it('combines runs: the first run wins, later runs fill what it skipped, every command is listed', () => {
    const machine = { cpu: 'cpu', cores: 2, memory_gb: 4, os: 'Linux', node: 'v20', terraform: '1.11.4', load_average_at_start: [1], load_average_at_end: [2] };
    const a = { command: 'npm run bench -- A', generated_at: '2026-01-01T00:00:00Z', duration_s: 10, userpath_deploy_ratio: 50, skipped: { terraform: 'skipped by --skip' }, details: {}, options: { users: 100 }, machine };
    const b = { command: 'npm run bench -- B', generated_at: '2026-01-01T01:00:00Z', duration_s: 5, userpath_deploy_ratio: 1, noop_plan_ratio: 4, skipped: { userpath: 'skipped by --skip' }, details: {}, options: { users: 100 }, machine };
    const c = combineRuns([a, b]);
    expect(c).toMatchObject({ userpath_deploy_ratio: 50, noop_plan_ratio: 4, skipped: {}, duration_s: 15 });
    const page = renderPerformancePage(c, evaluate(c, 100));
    expect(page).toContain('npm run bench -- A');
    expect(page).toContain('npm run bench -- B');
    expect(page).toContain('Machine: cpu, 2 cores');
    expect(page).toMatch(/\| `userpath_deploy_ratio`\s+\|.*\| 50\.00 ×\s+\| ≤ 2\.00\s+\| FAIL/);
  });
});
