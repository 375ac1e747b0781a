// scim_roster with the real terraform against the sandbox, in one working directory: a roster of 24 people
// brought under management by a config-driven import block (so the first apply is an update), adoption of
// existing accounts (by user name, inactive, pinned by adopt_id), a failure on the very first apply (nothing
// tainted, the next plan shows only the failed entry), a no-op plan that costs one listing, one changed entry
// shown alone, a partial failure on a later apply (a conflict), removal that deactivates, and the write budget
// (another roster, in a working directory of its own) measured by the sandbox's request log.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { accountNamed, hclWithProvider, output, requests, startTestSandbox, workdir, type TestSandbox, type Workdir } from './tf-fixture';

// 24 entries show every mechanism below; rosters of thousands are measured by the bench (bench/userpath-phase.ts,
// bench/roster-repro.ts).
const N = 24;
const key = (i: number) => `P${String(i).padStart(3, '0')}`;
const userName = (i: number) => `person${i}@example.com`;
const ADOPT = N - 1; // an active account exists with this user name
const INACTIVE = N; // an inactive one
const PINNED = N - 2; // adopt_id pins an account with another user name
const MANAGED = 5; // entries 2..MANAGED have the manager P001

let sb: TestSandbox;
let wd: Workdir;
let pinnedId = '';
let failed: string[] = [];
let warned: string[] = [];

interface Opts {
  titles?: Record<number, string>;
  without?: number[];
  /** Extra HCL (the migration case) and extra entries of the people roster. */
  extraBody?: string;
  extraEntries?: string;
}

function config(o: Opts = {}): string {
  const c = sb.credentials;
  let entries = '';
  for (let i = 1; i <= N; i++) {
    if (o.without?.includes(i)) continue;
    const extra = [i > 1 && i <= MANAGED ? `      manager      = "${key(1)}"` : '', i === PINNED ? `      adopt_id     = "${pinnedId}"` : ''].filter(Boolean).join('\n');
    entries += `    "${key(i)}" = {
      user_name    = "${userName(i)}"
      display_name = "Person ${i}"
      title        = "${o.titles?.[i] ?? 'Engineer'}"
      emails       = [{ value = "${userName(i)}", type = "work", primary = true }]
${extra}
    }
`;
  }
  const providers = `provider "scim" {
  endpoint = "${c.generic.baseUrl}"
  profile  = "generic"
  token    = "${c.generic.token}"
  log_file = "progress.log"
  # a request refused with 429 fails at once: the first apply below meets the app's rate limit
  max_retries = 0
}`;
  entries += o.extraEntries ?? '';
  const body = `${o.extraBody ?? ''}
import {
  to = scim_roster.people
  id = "roster"
}

resource "scim_roster" "people" {
  entries = {
${entries}  }
}
`;
  return hclWithProvider(providers, body);
}

/**
 * A roster of `n` new entries on the Promapp tenant under a write budget, in a working directory of its own:
 * in the people roster's directory, its provider would be one more provider process in every command.
 */
function budgetConfig(n: number): string {
  const c = sb.credentials;
  let budget = '';
  for (let i = 1; i <= n; i++) budget += `    "B${i}" = { user_name = "budget${i}@example.com" }\n`;
  return hclWithProvider(
    `provider "scim" {
  endpoint          = "${c.promapp.baseUrl}"
  profile           = "promapp"
  token             = "${c.promapp.token}"
  writes_per_minute = 600
}`,
    `import {
  to = scim_roster.budget
  id = "roster"
}

resource "scim_roster" "budget" {
  entries = {
${budget}  }
}
`,
  );
}

async function showJson(args: string[]): Promise<any> {
  const r = await wd.run(['show', '-json', ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

/**
 * The resources of the state Terraform wrote (terraform.tfstate), shaped as `terraform show -json` gives them
 * (address, values, tainted) without starting the provider for its schema; root-module resources only.
 */
function stateResources(): { address: string; values: any; tainted?: boolean }[] {
  const raw = JSON.parse(fs.readFileSync(path.join(wd.dir, 'terraform.tfstate'), 'utf8')) as {
    resources?: { mode: string; type: string; name: string; instances: { index_key?: unknown; status?: string; attributes: any }[] }[];
  };
  return (raw.resources ?? []).flatMap((r) =>
    r.instances.map((i) => {
      if (i.index_key !== undefined) throw new Error(`stateResources: ${r.type}.${r.name} uses count/for_each`);
      return { address: `${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`, values: i.attributes, ...(i.status === 'tainted' ? { tainted: true } : {}) };
    }),
  );
}

const rosterState = async (address = 'scim_roster.people') => {
  const r = stateResources().find((x) => x.address === address);
  if (!r) throw new Error(`${address} is not in ${wd.dir}/terraform.tfstate`);
  return r;
};

/** Keys whose entry differs between before and after of the roster's planned change. */
function changedKeys(planJson: any, address = 'scim_roster.people'): string[] {
  const rc = (planJson.resource_changes as any[]).find((r) => r.address === address);
  const before = rc.change.before?.entries ?? {};
  const after = rc.change.after?.entries ?? {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k])).sort();
}

const accountOf = (name: string) => accountNamed(sb, 'generic', name);

beforeAll(async () => {
  sb = await startTestSandbox();
  await sb.admin.createUser('generic', { userName: userName(ADOPT), displayName: 'Old name', active: true });
  await sb.admin.createUser('generic', { userName: userName(INACTIVE), displayName: 'Leaver', active: false });
  pinnedId = (await sb.admin.createUser('generic', { userName: 'legacy-login@example.com', active: true })).id;
  wd = await workdir(config());
  const init = await wd.init();
  expect(init.code).toBe(0);
}, 120_000);

afterAll(async () => {
  await wd?.cleanup();
  await sb?.stop();
});

describe('scim_roster', () => {
  it('plans the first apply as an import plus an update, with one adoption warning per entry', async () => {
    const plan = await wd.plan('-out=first.tfplan', '-no-color');
    const text = output(plan);
    expect(plan.code).toBe(0);
    expect(text).toContain('1 to import, 0 to add, 1 to change, 0 to destroy');
    expect(text).toMatch(new RegExp(`scim_roster entry "${key(ADOPT)}" will adopt existing account [^ ]+ \\(userName "${userName(ADOPT)}"\\)`));
    expect(text).toMatch(new RegExp(`scim_roster entry "${key(INACTIVE)}" will adopt existing account .*reactivating it`));
    expect(text).toContain(`scim_roster entry "${key(PINNED)}" will adopt existing account ${pinnedId} (userName "legacy-login@example.com")`);
  }, 120_000);

  it('records every entry that succeeded when some fail on the very first apply; nothing is tainted', async () => {
    // The app throttles (429: a burst of 10, then 10 a second) and the provider may not retry: some of the 24
    // calls fail.
    await sb.admin.setFaults('generic', { rateLimitPerSecond: 10 });
    const apply = await wd.apply('-no-color', 'first.tfplan');
    await sb.admin.setFaults('generic', {});
    const text = output(apply);
    expect(apply.code).not.toBe(0);
    expect(text).not.toMatch(/inconsistent result/i);
    failed = [...text.matchAll(/Error: scim_roster entry "(P\d+)"/g)].map((m) => m[1]);
    warned = [...text.matchAll(/Warning: scim_roster entry "(P\d+)" \([^)]*\): its manager has no account yet/g)].map((m) => m[1]);
    expect(failed.length).toBeGreaterThan(0);
    expect(text).toMatch(/Error: scim_roster entry "P\d+" \(person\d+@example.com\): cannot (create|adopt) the account .*429/);
    const r = await rosterState();
    expect(r.tainted).toBeFalsy();
    const users = await sb.admin.listUsers('generic');
    const exists = (i: number) => users.some((u) => u.userName.toLowerCase() === userName(i));
    for (let i = 1; i <= N; i++) {
      // recorded exactly when the account exists (creates that failed left nothing; adoptions always exist)
      if (i !== PINNED && i !== ADOPT && i !== INACTIVE) expect([key(i), r.values.entries[key(i)] !== undefined]).toEqual([key(i), exists(i)]);
      if (r.values.entries[key(i)] === undefined) expect(failed).toContain(key(i));
    }
    // Adoption: never a duplicate, the inactive account not reactivated.
    expect(users.filter((u) => u.userName.toLowerCase() === userName(ADOPT))).toHaveLength(1);
    expect((await accountOf(userName(INACTIVE)))?.active).toBe(false);
    // Progress lines in the provisioning log.
    const progress = fs.readFileSync(path.join(wd.dir, 'progress.log'), 'utf8').split('\n').filter((l) => l.includes('roster-progress')).map((l) => JSON.parse(l));
    expect(progress[0]).toMatchObject({ done: 0, total: N });
    expect(progress.at(-1)).toMatchObject({ done: N, total: N });
    expect(progress.at(-1).failed).toBeGreaterThan(0);
  }, 120_000);

  it('plans only the failed entries (and the reactivation left for review) next, and applies them', async () => {
    const plan = await wd.plan('-out=second.tfplan', '-no-color');
    expect(plan.code).toBe(0);
    const expected = [...new Set([...failed, ...warned, key(INACTIVE)])].sort();
    expect(changedKeys(await showJson(['second.tfplan']))).toEqual(expected);
    // However many calls the throttle let through, the entries that succeeded are hidden as unchanged.
    expect(output(plan)).toMatch(/\(\d+ unchanged elements? hidden\)/);
    const apply = await wd.apply('-no-color', 'second.tfplan');
    expect(apply.code).toBe(0);
    if (failed.includes(key(INACTIVE))) {
      // Its adoption was among the failures: adopted now, inactive; the reactivation is the next plan's, reviewed.
      expect(output(apply)).toContain(`scim_roster entry "${key(INACTIVE)}" (${userName(INACTIVE)}): adopted inactive account`);
      expect((await accountOf(userName(INACTIVE)))?.active).toBe(false);
      expect((await wd.apply('-auto-approve', '-no-color')).code).toBe(0);
    }
    expect((await accountOf(userName(INACTIVE)))?.active).toBe(true);
    const r = await rosterState();
    expect(Object.keys(r.values.entries)).toHaveLength(N);
    // Managers resolved inside the roster; the pinned account adopted and renamed.
    expect((await accountOf(userName(3)))?.['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']?.manager?.value).toBe(r.values.accounts[key(1)].id);
    expect(r.values.accounts[key(PINNED)]).toMatchObject({ id: pinnedId, existing_id: pinnedId });
    expect((await accountOf(userName(PINNED)))?.id).toBe(pinnedId);
  }, 120_000);

  it('a no-op plan changes nothing and costs one listing of the tenant', async () => {
    await sb.admin.clearRequestLog('generic');
    const plan = await wd.plan('-detailed-exitcode', '-no-color');
    expect(plan.code).toBe(0);
    expect(output(plan)).toContain('No changes.');
    const log = await sb.admin.requestLog('generic');
    expect(log.map((e) => `${e.method} ${e.path.split('?')[0]}`)).toEqual(['GET /Users']);
  }, 120_000);

  it('shows one changed entry alone; a conflict on a later apply fails that entry only', async () => {
    wd.setHcl(config({ titles: { 10: 'Manager' } }));
    const one = await wd.plan('-out=one.tfplan', '-no-color');
    expect(changedKeys(await showJson(['one.tfplan']))).toEqual([key(10)]);
    expect(output(one)).toMatch(/~ title\s+= "Engineer" -> "Manager"/);

    wd.setHcl(config({ titles: { 10: 'Manager', 11: 'Manager', 12: 'Manager' } }));
    const plan = await wd.plan('-out=later.tfplan', '-no-color');
    expect(plan.code).toBe(0);
    const id11 = (await accountOf(userName(11)))!.id;
    await sb.admin.patchUser('generic', id11, { title: 'Director' }); // another admin, after the plan
    const apply = await wd.apply('-no-color', 'later.tfplan');
    const text = output(apply);
    expect(apply.code).not.toBe(0);
    expect(text).toContain(`scim_roster entry "${key(11)}" (${userName(11)}, SCIM id ${id11}) was changed in the app since the plan`);
    expect(text).not.toMatch(/inconsistent result/i);
    expect((await accountOf(userName(11)))?.title).toBe('Director');
    expect((await accountOf(userName(12)))?.title).toBe('Manager');
    expect((await accountOf(userName(10)))?.title).toBe('Manager');
    const next = await wd.plan('-out=next.tfplan', '-no-color');
    expect(next.code).toBe(0);
    expect(changedKeys(await showJson(['next.tfplan']))).toEqual([key(11)]);
    expect(output(next)).toMatch(/~ title\s+= "Director" -> "Manager"/);
  }, 180_000);

  it('removing an entry deactivates its account', async () => {
    wd.setHcl(config({ titles: { 10: 'Manager', 11: 'Manager', 12: 'Manager' }, without: [20] }));
    const apply = await wd.apply('-auto-approve', '-no-color');
    expect(apply.code).toBe(0);
    expect((await accountOf(userName(20)))?.active).toBe(false);
    expect((await accountOf(userName(11)))?.title).toBe('Manager');
    expect((await rosterState()).values.entries[key(20)]).toBeUndefined();
  }, 120_000);

  it('moves a per-user deployment into the roster without changing the account (removed block + adoption)', async () => {
    const base = { titles: { 10: 'Manager', 11: 'Manager', 12: 'Manager' }, without: [20] };
    const user = `resource "scim_user" "legacy" {
  user_name    = "legacy@example.com"
  display_name = "Legacy"
  title        = "Engineer"
}
`;
    wd.setHcl(config({ ...base, extraBody: user }));
    expect((await wd.apply('-auto-approve', '-no-color')).code).toBe(0);
    const before = await accountOf('legacy@example.com');
    await sb.admin.clearRequestLog('generic');
    wd.setHcl(
      config({
        ...base,
        extraBody: 'removed {\n  from = scim_user.legacy\n  lifecycle {\n    destroy = false\n  }\n}\n',
        extraEntries: '    "LEGACY" = { user_name = "legacy@example.com", display_name = "Legacy", title = "Engineer" }\n',
      }),
    );
    const apply = await wd.apply('-auto-approve', '-no-color');
    expect(apply.code).toBe(0);
    expect(output(apply)).toContain(`scim_roster entry "LEGACY" will adopt existing account ${before.id}`);
    const log = await sb.admin.requestLog('generic');
    expect(log.filter((e) => e.method !== 'GET')).toEqual([]); // no account changed
    expect(await accountOf('legacy@example.com')).toEqual(before);
    const r = await rosterState();
    expect(r.values.accounts.LEGACY).toMatchObject({ id: before.id, existing_id: before.id });
    expect(stateResources().some((x) => x.address === 'scim_user.legacy')).toBe(false);
  }, 120_000);

  it('honours writes_per_minute under concurrency, as the sandbox request log measures it', async () => {
    const n = 15;
    const rate = 600 / 60; // writes per second
    const budget = await workdir(budgetConfig(n));
    try {
      expect((await budget.init()).code).toBe(0);
      await sb.admin.clearRequestLog('promapp');
      const apply = await budget.apply('-auto-approve', '-no-color');
      expect(apply.code).toBe(0);
    } finally {
      await budget.cleanup();
    }
    const posts = requests(await sb.admin.requestLog('promapp'), 'POST').map((e) => Date.parse(e.time)).sort((a, b) => a - b);
    expect(posts).toHaveLength(n);
    // Any window [t_i, t_j] holds at most 1 + (t_j - t_i) × rate writes, plus a jitter of 3: the budget spaces the
    // sends, and a busy machine can delay a few sends so that they arrive at the sandbox together. Unbudgeted
    // concurrency (10 at once) still fails it.
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(j - i + 1).toBeLessThanOrEqual(1 + ((posts[j] - posts[i]) / 1000) * rate + 3);
    const span = (posts[n - 1] - posts[0]) / 1000;
    expect(span).toBeGreaterThanOrEqual(((n - 2) / rate) * 0.95);
    expect(span).toBeLessThan((n / rate) * 3);
  }, 120_000);
});
