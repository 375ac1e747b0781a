// The provider's memory gate with the real terraform and the sandbox, in one working directory: four rosters of 40
// people. With a tiny budget (SCIMFORM_PROVIDER_MEMORY_BUDGET_MB) the large calls of one provider process take
// turns — no two roster calls but applies inside the provider at once, some of them waiting — and the result is
// the same accounts; with the default budget, the reads of a no-op plan against a slow app overlap, and with the
// tiny one they do not (which shows the checks can fail). What each call saw is read from the provider's own debug log (`rpc … done` lines).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hcl, output, startTestSandbox, workdir, type TestSandbox, type Workdir } from './tf-fixture';

const ROSTERS = 4;
const PER_ROSTER = 40;
const TINY_BUDGET_MB = '0.02'; // ~20 KiB: every roster call here is bigger, so each runs alone

let sb: TestSandbox;
let wd: Workdir;

function body(): string {
  let out = '';
  for (let r = 0; r < ROSTERS; r++) {
    let entries = '';
    for (let i = 0; i < PER_ROSTER; i++) {
      const n = r * PER_ROSTER + i;
      entries += `    "K${n}" = { user_name = "gate${n}@example.com", display_name = "Gate ${n}", title = "Engineer", emails = [{ value = "gate${n}@example.com", type = "work", primary = true }] }\n`;
    }
    out += `import {\n  to = scim_roster.slice_${r}\n  id = "roster"\n}\n\nresource "scim_roster" "slice_${r}" {\n  entries = {\n${entries}  }\n}\n\n`;
  }
  return out;
}

interface RpcLine {
  rpc: string;
  typeName: string;
  inFlight: number;
  waitMs: number;
}

/** The provider's `rpc NAME done` debug lines of one terraform run (TF_LOG_PATH). */
function rpcLines(file: string): RpcLine[] {
  const lines: RpcLine[] = [];
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/rpc (\w+) done:([^\n]*)/g)) {
    const field = (name: string) => new RegExp(`\\b${name}=(\\S+)`).exec(m[2])?.[1];
    if (field('in_flight') === undefined) continue;
    lines.push({ rpc: m[1], typeName: field('type_name') ?? '', inFlight: Number(field('in_flight')), waitMs: Number(field('gate_wait_ms')) });
  }
  return lines;
}

const debugLog = (name: string) => ({ TF_LOG_PROVIDER: 'DEBUG', TF_LOG_PATH: path.join(wd.dir, name) });

beforeAll(async () => {
  sb = await startTestSandbox();
  wd = await workdir(hcl(sb, 'generic', body()));
  expect((await wd.init()).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await wd?.cleanup();
  await sb?.stop();
});

test('with a tiny budget the roster calls of one provider take turns, and the apply creates every account', async () => {
  const apply = await wd.run(['apply', '-auto-approve', '-no-color', '-input=false'], { ...debugLog('apply.log'), SCIMFORM_PROVIDER_MEMORY_BUDGET_MB: TINY_BUDGET_MB });
  expect([apply.code, output(apply)]).toEqual([0, expect.stringContaining(`${ROSTERS} imported, 0 added, ${ROSTERS} changed, 0 destroyed`)]);
  const roster = rpcLines(path.join(wd.dir, 'apply.log')).filter((l) => l.typeName === 'scim_roster');
  // The calls that carry the rosters' entries in their configuration. (An import, a read or a state upgrade of
  // the empty imported roster carries a few hundred bytes: under the gate's small-call bound, it never waits.)
  const gated = roster.filter((l) => ['ValidateResourceConfig', 'PlanResourceChange'].includes(l.rpc));
  expect(gated.length).toBeGreaterThanOrEqual(ROSTERS * 2);
  expect(gated.filter((l) => l.inFlight !== 1)).toEqual([]);
  expect(gated.some((l) => l.waitMs > 0)).toBe(true);
  // Applies never take turns: the slices write at once, each at its own concurrency.
  const applies = roster.filter((l) => l.rpc === 'ApplyResourceChange');
  expect(applies.map((l) => l.waitMs)).toEqual(Array(ROSTERS).fill(0));
  expect(Math.max(...applies.map((l) => l.inFlight))).toBeGreaterThan(1);
  const users = await sb.admin.listUsers('generic');
  expect(users.filter((u) => /^gate\d+@example\.com$/.test(u.userName))).toHaveLength(ROSTERS * PER_ROSTER);
}, 180_000);

test('with the default budget the same calls overlap; with the tiny one they take turns; both plan no change', async () => {
  // A slow app (1.5 s per request): the reads of the four rosters wait for one listing of the tenant.
  await sb.admin.setFaults('generic', { latencyMs: 1500 });
  try {
    const plan = await wd.run(['plan', '-detailed-exitcode', '-no-color', '-input=false'], debugLog('plan.log'));
    expect([plan.code, output(plan)]).toEqual([0, expect.stringContaining('No changes.')]);
    const reads = rpcLines(path.join(wd.dir, 'plan.log')).filter((l) => l.typeName === 'scim_roster' && l.rpc === 'ReadResource');
    expect(reads).toHaveLength(ROSTERS);
    expect(Math.max(...reads.map((l) => l.inFlight))).toBeGreaterThan(1);
    const gatedPlan = await wd.run(['plan', '-detailed-exitcode', '-no-color', '-input=false'], { ...debugLog('gated-plan.log'), SCIMFORM_PROVIDER_MEMORY_BUDGET_MB: TINY_BUDGET_MB });
    expect([gatedPlan.code, output(gatedPlan)]).toEqual([0, expect.stringContaining('No changes.')]);
    const gatedReads = rpcLines(path.join(wd.dir, 'gated-plan.log')).filter((l) => l.typeName === 'scim_roster' && l.rpc === 'ReadResource');
    expect(gatedReads.map((l) => l.inFlight)).toEqual(Array(ROSTERS).fill(1));
  } finally {
    await sb.admin.setFaults('generic', {});
  }
}, 180_000);

test('a wrong budget is a plan error naming the variable and the fix', async () => {
  const plan = await wd.run(['plan', '-no-color', '-input=false'], { SCIMFORM_PROVIDER_MEMORY_BUDGET_MB: 'lots' });
  expect(plan.code).toBe(1);
  expect(output(plan)).toContain('Error: Invalid SCIMFORM_PROVIDER_MEMORY_BUDGET_MB');
  expect(output(plan)).toContain('SCIMFORM_PROVIDER_MEMORY_BUDGET_MB="lots" is not a positive number of MiB');
}, 120_000);
