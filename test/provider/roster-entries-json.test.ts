// scim_roster with its entries as `entries_json` (one JSON string per entry), with the real terraform against the
// sandbox: the first apply creates the accounts and stores the configured strings; a no-op plan is one listing; a
// changed attribute is shown inside the entry's jsonencode(…) and applied alone; a change made in the app is
// shown on its entry only; removal deactivates; bad strings are plan errors naming the entry; and moving between
// `entries` and `entries_json` changes no account.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { accountNamed, hcl, output, requests, startTestSandbox, workdir, type TestSandbox, type Workdir } from './tf-fixture';

const N = 6;
const key = (i: number) => `J${i}`;
const userName = (i: number) => `json${i}@example.com`;

let sb: TestSandbox;
let wd: Workdir;

interface Opts {
  titles?: Record<number, string>;
  without?: number[];
  /** `typed`: the same entries as `entries` instead. */
  typed?: boolean;
  /** Replaces the HCL value of entry 1 (for bad input). */
  raw1?: string;
}

function entryHcl(i: number, o: Opts): string {
  return `{
      user_name    = "${userName(i)}"
      display_name = "Json ${i}"
      title        = "${o.titles?.[i] ?? 'Engineer'}"
      emails       = [{ value = "${userName(i)}", type = "work", primary = true }]${i > 1 ? `\n      manager      = "${key(1)}"` : ''}
    }`;
}

function config(o: Opts = {}): string {
  const lines: string[] = [];
  for (let i = 1; i <= N; i++) {
    if (o.without?.includes(i)) continue;
    if (i === 1 && o.raw1 !== undefined) lines.push(`    "${key(1)}" = ${o.raw1}`);
    else lines.push(o.typed ? `    "${key(i)}" = ${entryHcl(i, o)}` : `    "${key(i)}" = jsonencode(${entryHcl(i, o)})`);
  }
  return hcl(
    sb,
    'generic',
    `import {
  to = scim_roster.people
  id = "roster"
}

resource "scim_roster" "people" {
  ${o.typed ? 'entries' : 'entries_json'} = {
${lines.join('\n')}
  }
}
`,
  );
}

function rosterState(): { entries: unknown; entries_json: Record<string, string> | null; accounts: Record<string, { id: string }> } {
  const raw = JSON.parse(fs.readFileSync(path.join(wd.dir, 'terraform.tfstate'), 'utf8'));
  return raw.resources.find((r: { type: string }) => r.type === 'scim_roster').instances[0].attributes;
}

const accountOf = (name: string) => accountNamed(sb, 'generic', name);

beforeAll(async () => {
  sb = await startTestSandbox();
  wd = await workdir(config());
  expect((await wd.init()).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await wd?.cleanup();
  await sb?.stop();
});

describe('scim_roster entries_json', () => {
  it('creates every account on the first apply and stores the configured strings', async () => {
    const apply = await wd.apply('-auto-approve', '-no-color');
    expect(output(apply)).toContain('Apply complete! Resources: 1 imported, 0 added, 1 changed, 0 destroyed.');
    const users = await sb.admin.listUsers('generic');
    expect(users.map((u) => u.userName).sort()).toEqual(Array.from({ length: N }, (_, i) => userName(i + 1)).sort());
    const s = rosterState();
    expect(s.entries).toBeNull();
    expect(Object.keys(s.entries_json!).sort()).toEqual(Array.from({ length: N }, (_, i) => key(i + 1)).sort());
    expect(JSON.parse(s.entries_json![key(2)])).toEqual({
      user_name: userName(2),
      display_name: 'Json 2',
      title: 'Engineer',
      emails: [{ value: userName(2), type: 'work', primary: true }],
      manager: key(1),
    });
    // The manager reference is resolved as for typed entries.
    const two = await accountOf(userName(2));
    expect(two?.['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']?.manager?.value).toBe(s.accounts[key(1)].id);
  }, 120_000);

  it('a no-op plan changes nothing and costs one listing of the tenant', async () => {
    await sb.admin.clearRequestLog('generic');
    const plan = await wd.plan('-detailed-exitcode', '-no-color');
    expect(plan.code).toBe(0);
    expect(output(plan)).toContain('No changes.');
    expect((await sb.admin.requestLog('generic')).map((e) => `${e.method} ${e.path.split('?')[0]}`)).toEqual(['GET /Users']);
  }, 120_000);

  it('shows a changed attribute inside its entry, alone, and applies only it', async () => {
    wd.setHcl(config({ titles: { 3: 'Manager' } }));
    const plan = await wd.plan('-no-color');
    const text = output(plan);
    expect(text).toMatch(/~ "J3" = jsonencode\(/);
    expect(text).toMatch(/~ title\s+= "Engineer" -> "Manager"/);
    expect(text).toMatch(/\(5 unchanged elements hidden\)/);
    await sb.admin.clearRequestLog('generic');
    expect((await wd.apply('-auto-approve', '-no-color')).code).toBe(0);
    const writes = (await sb.admin.requestLog('generic')).filter((e) => e.method !== 'GET');
    expect(writes.map((e) => e.method)).toEqual(['PATCH']);
    expect((await accountOf(userName(3)))?.title).toBe('Manager');
    expect((await wd.plan('-detailed-exitcode', '-no-color')).code).toBe(0);
  }, 180_000);

  it('a change made in the app is shown on that entry only, and set back', async () => {
    const four = await accountOf(userName(4));
    await sb.admin.patchUser('generic', four!.id, { title: 'Director' });
    const plan = await wd.plan('-no-color', '-detailed-exitcode');
    expect(plan.code).toBe(2);
    const text = output(plan);
    expect(text).toMatch(/~ "J4" = jsonencode\(/);
    expect(text).toMatch(/~ title\s+= "Director" -> "Engineer"/);
    expect(text).not.toMatch(/"J[12356]" = jsonencode/);
    expect((await wd.apply('-auto-approve', '-no-color')).code).toBe(0);
    expect((await accountOf(userName(4)))?.title).toBe('Engineer');
  }, 180_000);

  it('removing an entry deactivates its account', async () => {
    wd.setHcl(config({ titles: { 3: 'Manager' }, without: [6] }));
    expect((await wd.apply('-auto-approve', '-no-color')).code).toBe(0);
    expect((await accountOf(userName(6)))?.active).toBe(false);
    expect(rosterState().entries_json![key(6)]).toBeUndefined();
  }, 120_000);

  it.each([
    ['not JSON', '"{user_name: x}"', /entry "J1" in entries_json: not valid JSON/],
    ['an unknown attribute', 'jsonencode({ user_name = "json1@example.com", titel = "Engineer" })', /entry "J1" in entries_json: titel: not an attribute of an entry \(attributes: user_name, /],
    ['a wrong type', 'jsonencode({ user_name = "json1@example.com", active = "yes" })', /entry "J1" in entries_json: active: must be true or false, not string "yes"/],
    ['no user_name', 'jsonencode({ title = "Engineer" })', /entry "J1" in entries_json: user_name: required/],
  ])('a string with %s is a plan error naming the entry', async (_what, raw1, message) => {
    wd.setHcl(config({ titles: { 3: 'Manager' }, without: [6], raw1 }));
    const plan = await wd.plan('-no-color');
    expect(plan.code).toBe(1);
    expect(output(plan)).toMatch(message);
  }, 120_000);

  it('entries and entries_json together are refused', async () => {
    const both = config({ titles: { 3: 'Manager' }, without: [6] }).replace('entries_json = {', 'entries = {}\n  entries_json = {');
    wd.setHcl(both);
    const plan = await wd.plan('-no-color');
    expect(plan.code).toBe(1);
    expect(output(plan)).toContain('scim_roster: both entries and entries_json are set');
  }, 120_000);

  it('moving to typed entries and back changes no account and leaves nothing to plan', async () => {
    for (const typed of [true, false]) {
      wd.setHcl(config({ titles: { 3: 'Manager' }, without: [6], typed }));
      await sb.admin.clearRequestLog('generic');
      const apply = await wd.apply('-auto-approve', '-no-color');
      expect(apply.code).toBe(0);
      const log = await sb.admin.requestLog('generic');
      expect(log.filter((e) => e.method !== 'GET')).toEqual([]);
      expect(requests(log, 'POST')).toEqual([]);
      const s = rosterState();
      expect(typed ? s.entries_json : s.entries).toBeNull();
      expect((await wd.plan('-detailed-exitcode', '-no-color')).code).toBe(0);
    }
    expect((await sb.admin.listUsers('generic')).filter((u) => u.active)).toHaveLength(N - 1);
  }, 240_000);
});
