// "Concurrent admin" for scim_user: real terraform against the sandbox's generic tenant (ETags) and its Promapp
// tenant switched to no ETags (updates there go by PUT). Between `terraform plan -out` and `terraform apply` of
// the saved plan, another admin edits the accounts; afterwards, a plain `terraform apply` meets an edit made
// between its read and its write (the sandbox's editAfterGet fault). Every case ends with the out-of-band edit
// intact and the planned change applied, or with an error naming the account and saying to re-plan — never an
// "inconsistent" Terraform error, never a duplicate account, never a lost edit.
import type { TenantName } from '../../sandbox';
import { hclWithProvider, output, requests, startTestSandbox, workdir, type TestSandbox, type TfResult, type Workdir } from './tf-fixture';

const TENANTS = [
  { key: 'g', tenant: 'generic' as TenantName, provider: 'scim', write: 'PATCH' },
  { key: 'p', tenant: 'promapp' as TenantName, provider: 'scim.noetag', write: 'PUT' },
] as const;
type Key = (typeof TENANTS)[number]['key'];

/** Accounts that exist before the plan (case → title in the plan). */
const EXISTING = ['edited', 'conflict', 'same', 'deleted'] as const;
/** Accounts the plan creates, which another admin creates first. */
const APPEARING = ['appeared', 'appeared_inactive'] as const;

const userName = (k: Key, c: string) => `${c.replace('_', '-')}-${k}@example.com`;

function resource(k: Key, provider: string, c: string, title: string): string {
  return `resource "scim_user" "${k}_${c}" {
  provider     = ${provider}
  user_name    = "${userName(k, c)}"
  display_name = "${c}"
  title        = "${title}"
}
`;
}

let sb: TestSandbox;
let wd: Workdir;
const ids: Record<string, string> = {};

function config(stage: 1 | 2 | 3): string {
  const c = sb.credentials;
  const providers = `provider "scim" {
  endpoint = "${c.generic.baseUrl}"
  profile  = "generic"
  token    = "${c.generic.token}"
}

provider "scim" {
  alias    = "noetag"
  endpoint = "${c.promapp.baseUrl}"
  profile  = "promapp"
  token    = "${c.promapp.token}"
}`;
  let body = '';
  for (const t of TENANTS) {
    for (const cs of EXISTING) body += resource(t.key, t.provider, cs, stage === 1 ? 'Engineer' : 'Manager');
    if (stage >= 2) for (const cs of APPEARING) body += resource(t.key, t.provider, cs, 'Manager');
  }
  for (const r of ['race1', 'race2']) body += resource('g', 'scim', r, stage === 3 ? 'Lead' : 'Engineer');
  return hclWithProvider(providers, body);
}

const account = async (tenant: TenantName, name: string) => (await sb.admin.listUsers(tenant)).filter((u) => u.userName.toLowerCase() === name.toLowerCase());
const noInconsistency = (r: TfResult) => expect(output(r)).not.toMatch(/inconsistent|Provider produced/i);

beforeAll(async () => {
  sb = await startTestSandbox();
  await sb.admin.setFaults('promapp', { etags: false });
  wd = await workdir(config(1));
  await wd.init();
  const r = await wd.apply();
  if (r.code !== 0) throw new Error(output(r));
  for (const t of TENANTS) for (const u of await sb.admin.listUsers(t.tenant)) ids[`${t.key}:${u.userName}`] = u.id;
}, 240_000);

afterAll(async () => {
  await wd?.cleanup();
  await sb?.stop();
});

const id = (k: Key, c: string) => ids[`${k}:${userName(k, c)}`];

describe('between plan -out and apply of the saved plan', () => {
  let applied: TfResult;
  const logs: Record<string, Awaited<ReturnType<TestSandbox['admin']['requestLog']>>> = {};

  beforeAll(async () => {
    wd.setHcl(config(2));
    const plan = await wd.plan('-out=tfplan');
    if (plan.code !== 0) throw new Error(output(plan));
    for (const t of TENANTS) {
      const tn = t.tenant;
      await sb.admin.patchUser(tn, id(t.key, 'edited'), { nickName: 'Ali', displayName: 'Renamed in the app', active: false });
      await sb.admin.patchUser(tn, id(t.key, 'conflict'), { title: 'Director' });
      await sb.admin.patchUser(tn, id(t.key, 'same'), { title: 'Manager' });
      await sb.admin.deleteUser(tn, id(t.key, 'deleted'));
      await sb.admin.createUser(tn, { userName: userName(t.key, 'appeared'), displayName: 'made in the app', title: 'Temp' });
      await sb.admin.createUser(tn, { userName: userName(t.key, 'appeared_inactive'), displayName: 'made in the app', sandboxStatus: 'inactive' });
      await sb.admin.clearRequestLog(tn);
    }
    applied = await wd.apply('tfplan');
    for (const t of TENANTS) logs[t.key] = await sb.admin.requestLog(t.tenant);
  }, 240_000);

  test('apply fails only for the conflicting and the deleted account, with errors that name them and say to re-plan; nothing "inconsistent"', () => {
    expect(applied.code).toBe(1);
    noInconsistency(applied);
    const out = output(applied);
    for (const t of TENANTS) {
      expect(out).toContain(`Error: scim_user ${userName(t.key, 'conflict')} (SCIM id ${id(t.key, 'conflict')}) was changed in the app since the plan`);
      expect(out).toContain('- title: the plan changes it from "Engineer" to "Manager", but the account now has "Director"');
      expect(out).toContain(`Error: scim_user ${userName(t.key, 'deleted')} (SCIM id ${id(t.key, 'deleted')}) was deleted in the app since the plan`);
    }
    expect(out).toContain('Re-run terraform plan (or scimform plan)');
    expect(out.match(/Error: /g)).toHaveLength(4);
  });

  test.each(TENANTS)('$tenant: the planned title is applied, and the other edits (unmanaged, managed, deactivation) are kept', async (t) => {
    const u = await sb.admin.getUser(t.tenant, id(t.key, 'edited'));
    expect(u).toMatchObject({ title: 'Manager', nickName: 'Ali', displayName: 'Renamed in the app', active: false });
    // One write, of the kind the profile needs (Promapp: PUT built from the fresh read).
    const writes = logs[t.key].filter((e) => ['PATCH', 'PUT'].includes(e.method) && e.path === `/Users/${id(t.key, 'edited')}`);
    expect(writes).toEqual([expect.objectContaining({ method: t.write, status: 200 })]);
  });

  test.each(TENANTS)('$tenant: a conflicting edit of the planned attribute is kept; an edit to the planned value needs no write', async (t) => {
    expect((await sb.admin.getUser(t.tenant, id(t.key, 'conflict'))).title).toBe('Director');
    expect((await sb.admin.getUser(t.tenant, id(t.key, 'same'))).title).toBe('Manager');
    for (const c of ['conflict', 'same']) {
      expect(logs[t.key].filter((e) => ['PATCH', 'PUT'].includes(e.method) && e.path === `/Users/${id(t.key, c)}`)).toHaveLength(0);
    }
  });

  test.each(TENANTS)('$tenant: accounts created in the app since the plan are adopted, never duplicated, and never silently reactivated', async (t) => {
    expect(requests(logs[t.key], 'POST')).toHaveLength(0);
    expect(await account(t.tenant, userName(t.key, 'deleted'))).toHaveLength(0);
    const [appeared, ...dupA] = await account(t.tenant, userName(t.key, 'appeared'));
    expect(dupA).toHaveLength(0);
    expect(appeared).toMatchObject({ title: 'Manager', displayName: 'appeared', active: true });
    const [inactive, ...dupI] = await account(t.tenant, userName(t.key, 'appeared_inactive'));
    expect(dupI).toHaveLength(0);
    expect(inactive).toMatchObject({ title: 'Manager', active: false });
    expect(output(applied)).toContain(`scim_user ${userName(t.key, 'appeared_inactive')}: adopted inactive account ${inactive.id} without reactivating it`);
  });

  test('the next plan shows what the app changed, for review: the reactivation, the rename, the conflict, the re-creation', async () => {
    const r = await wd.plan('-detailed-exitcode');
    expect(r.code).toBe(2);
    noInconsistency(r);
    expect(r.stdout).toContain('scim_user.g_deleted will be created');
    expect(r.stdout).toMatch(/# scim_user\.g_appeared_inactive will be updated in-place[\s\S]*?~ active\s+= false -> true/);
    expect(r.stdout).toMatch(/# scim_user\.p_conflict will be updated in-place[\s\S]*?~ title\s+= "Director" -> "Manager"/);
  });
});

describe('plain terraform apply, with an edit between its read and its write (ETag tenant)', () => {
  beforeAll(() => wd.setHcl(config(3)));
  afterEach(() => sb.admin.setFaults('generic', {}));

  test('an unmanaged attribute edited in between: 412, read again, the planned change applied, the edit kept', async () => {
    const uid = id('g', 'race1');
    await sb.admin.setFaults('generic', { editAfterGet: { path: `/Users/${uid}`, attributes: { nickName: 'Racer' } } });
    await sb.admin.clearRequestLog('generic');
    const r = await wd.apply('-target=scim_user.g_race1');
    expect(output(r)).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(await sb.admin.getUser('generic', uid)).toMatchObject({ title: 'Lead', nickName: 'Racer' });
    const log = await sb.admin.requestLog('generic');
    expect(requests(log, 'PATCH', `/Users/${uid}`).map((e) => e.status)).toEqual([412, 200]);
    expect(requests(log, 'GET', `/Users/${uid}`)).toHaveLength(2);
  });

  test('the planned attribute edited in between: the write is refused, the edit kept, and the error says to re-plan', async () => {
    const uid = id('g', 'race2');
    await sb.admin.setFaults('generic', { editAfterGet: { path: `/Users/${uid}`, attributes: { title: 'Director' } } });
    await sb.admin.clearRequestLog('generic');
    const r = await wd.apply('-target=scim_user.g_race2');
    expect(r.code).toBe(1);
    noInconsistency(r);
    expect(output(r)).toContain(`scim_user ${userName('g', 'race2')} (SCIM id ${uid}) was changed in the app since the plan`);
    expect(output(r)).toContain('- title: the plan changes it from "Engineer" to "Lead", but the account now has "Director"');
    expect((await sb.admin.getUser('generic', uid)).title).toBe('Director');
    expect(requests(await sb.admin.requestLog('generic'), 'PATCH', `/Users/${uid}`).map((e) => e.status)).toEqual([412]);
  });
});
