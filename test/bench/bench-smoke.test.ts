// Smoke run of `npm run bench -- --profile` at a small N: the script must run end to end against the real
// sandbox and terraform, check its own plans, and write a complete results file. Correctness only — no timing
// asserts. The user path runs one app of the example organisation (wiki) at 5 and 10 people; the bench exits
// non-zero when any phase fails or a plan summary cannot be parsed, which fails this suite in beforeAll. The
// provider's CPU profiles are collected through Terraform and summarised per phase and for start-up, naming
// bundled source modules. One bench run serves all checks; it works in its own scratch workspace under
// .scimform/bench, whose lock files nothing else touches (test/bench/bench-isolation.test.ts).

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const USERS = 20;
const GROUPS = 2;

describe('npm run bench --profile (smoke: user path 5 and 10 people in the wiki; per-user N=20 users, 2 groups, 2 shards)', () => {
  let tmp: string;
  let out: string;
  let stdout = '';
  let results: Record<string, any>;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-bench-smoke-'));
    out = path.join(tmp, 'latest.json');
    stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['-r', require.resolve('../../scripts/ts-register.js'), path.join(REPO, 'bench', 'run-bench.ts'), '--users', String(USERS), '--groups', String(GROUPS), '--shard-size', '10', '--startup-runs', '3', '--profile', '--userpath-small', '5', '--apps', 'wiki', '--userpath-people', '10', '--out', out],
        { cwd: REPO, maxBuffer: 16 * 1024 * 1024, timeout: 420_000 },
        (err, so, se) => (err ? reject(new Error(`bench exited with ${err.code}:\n${so}\n${se}`)) : resolve(so)),
      );
    });
    results = JSON.parse(fs.readFileSync(out, 'utf8'));
  }, 440_000);

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prints the table with every goal metric and a pass/fail column', () => {
    for (const key of ['userpath_noop_plan_ratio', 'userpath_deploy_ratio', 'userpath_growth', 'provider_startup_ratio', 'userpath_provider_peak_rss_mb', 'provider_peak_rss_mb', 'noop_plan_requests']) {
      expect(stdout).toMatch(new RegExp(`\\| \`${key}\`\\s+\\|.*\\| ≤ [\\d.,]+\\s+\\| (pass|FAIL)`));
    }
    expect(stdout).toContain('machine:');
  });

  it('writes every required key to the results file, measured', () => {
    for (const key of ['userpath_noop_plan_ratio', 'userpath_deploy_ratio', 'userpath_growth', 'provider_startup_ratio', 'noop_plan_ratio', 'apply_ratio', 'provider_peak_rss_mb', 'provider_startup_ms', 'noop_plan_requests', 'incremental_plan_s']) {
      expect(typeof results[key]).toBe('number');
    }
    expect(results.options).toMatchObject({ users: USERS, groups: GROUPS });
    expect(results.goals.noop_plan_requests.goal).toBe(2);
    expect(results.machine.cores).toBeGreaterThan(0);
  });

  it('runs scimform deploy then a no-op scimform plan at both user-path sizes, against floors of the same calls', () => {
    expect(Object.keys(results.details.userpath).sort()).toEqual(['10', '5']);
    for (const size of Object.values(results.details.userpath) as any[]) {
      // the bench itself stops unless deploy re-planned clean and plan printed "No changes." for the app
      expect(size.deploy.seconds).toBeGreaterThan(0);
      expect(size.noop_plan.requests_by_method.GET).toBeGreaterThan(0);
      expect(size.noop_plan.requests_by_method.POST ?? 0).toBe(0);
      // the floor replays exactly the accounts and groups scimform created
      expect(size.deploy_floor.requests_by_method.POST).toBe(size.deploy.requests_by_method.POST);
      expect(size.deploy.cpu_s.terraform + size.deploy.cpu_s.provider).toBeGreaterThan(0);
    }
  });

  it('makes the same creating calls as the raw HTTP floor', () => {
    // floor: one POST per user and group, one member PATCH per group
    expect(results.details.http_floor.requests_by_method).toEqual({ POST: USERS + GROUPS, PATCH: GROUPS });
    expect(results.details.terraform.apply_requests_by_method.POST).toBe(USERS + GROUPS);
    expect(results.details.terraform.apply_requests_by_method.PATCH).toBeGreaterThanOrEqual(GROUPS);
  });

  it('applies in shards whose merged state plans as a no-op', () => {
    // the script stops when the no-op plan of the merged state shows any change
    expect(results.details.terraform.apply_shards).toBe(2);
    expect(results.noop_plan_requests).toBeGreaterThan(0);
  });

  it('plans a change for exactly the users edited out of band', () => {
    // the script itself stops when a plan shows anything else; here the count is recorded
    expect(results.details.terraform.incremental_changed_users).toBe(1);
    expect(results.incremental_plan_requests).toBeGreaterThan(0);
  });

  it('measures the schema-sized terraform_data floor from the scim state', () => {
    // its no-op plan is checked by the script; both ratios against it are recorded
    expect(typeof results.tf_data_full_noop_plan_s).toBe('number');
    expect(typeof results.noop_plan_full_floor_ratio).toBe('number');
    expect(typeof results.apply_full_floor_ratio).toBe('number');
  });

  it('observed the provider process and its start-up handshake', () => {
    expect(results.provider_peak_rss_mb).toBeGreaterThan(0);
    expect(results.details.provider_startup_samples_ms).toHaveLength(3);
    expect(results.sandbox_get_rps).toBeGreaterThan(0);
    expect(results.sandbox_post_rps).toBeGreaterThan(0);
  });

  it('profiles the provider per Terraform phase and at start-up', () => {
    expect(results.options.profile).toBe(true);
    for (const phase of ['initial plan', 'apply', 'no-op plan', 'incremental plan', 'start-up']) {
      const p = results.details.profiles[phase];
      expect(p.busy_ms).toBeGreaterThan(0);
      expect(p.by_module.length).toBeGreaterThan(0);
    }
    // self time is attributed to the bundled sources by name, not to one opaque bundle file
    const modules = Object.values(results.details.profiles).flatMap((p: any) => p.by_module.map((m: any) => m.module));
    expect(modules.some((m: string) => m.startsWith('providers/scim/') || m.startsWith('node_modules/'))).toBe(true);
  });
});
