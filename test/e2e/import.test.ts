// Brownfield onboarding end to end: four sandbox tenants hold a messy organisation made in the apps
// themselves (one person under case-different userNames, disagreeing titles, deactivated and pending
// accounts, roles, a manager, groups that agree across apps and groups that do not). `scimform import`
// writes the org files; with no state at all, plan then shows nothing but imports, applying those plans records
// them (nothing is left to do after), and every tenant is exactly as before — the sandbox's request log holds no
// writing request.
import { readPlanJson } from '../../cli/report/roster-changes';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scimformPaths } from '../../lib/paths';
import { startSandbox, type RunningSandbox, type TenantName } from '../../sandbox';
import { runTerraform, terraformEnv } from '../../cli/terraform-runner';
import { REPO_ROOT as root, runScimform, tempCheckout, type CliResult } from '../support/scimform-cli';

jest.setTimeout(600_000);

const tenants: TenantName[] = ['proxyclick', 'promapp', 'proxy', 'generic'];
const stackOf: Record<TenantName, string> = { proxyclick: 'proxyclick', promapp: 'promapp', proxy: 'proxy', generic: 'wiki' };
let tmp: string;
let env: NodeJS.ProcessEnv;
let sandbox: RunningSandbox;

const scimform = (orgDir: string, ...args: string[]): Promise<CliResult> => runScimform({ ...env, SCIMFORM_ORG_DIR: orgDir }, args);

const person = (given: string, family: string, email: string, extra: object = {}) => ({
  userName: email,
  name: { givenName: given, familyName: family },
  displayName: `${given} ${family}`,
  emails: [{ value: email, type: 'work', primary: true }],
  ...extra,
});
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The messy organisation, made out of band (as each app's own UI or an old script would). */
async function fillTenants(s: RunningSandbox): Promise<void> {
  const a = s.admin;
  const ids: Record<string, string> = {};
  const user = async (t: TenantName, k: string, body: object) => (ids[`${t}:${k}`] = (await a.createUser(t, body)).id);
  // Proxyclick is the first app of apps.yaml: people.yaml takes its values.
  await user('proxyclick', 'ada', person('Ada', 'Lovelace', 'Ada.Lovelace@example.com', { title: 'Principal Engineer', externalId: 'ada' }));
  await user('proxyclick', 'alan', person('Alan', 'Turing', 'alan.turing@example.com', { title: 'Engineer' }));
  await user('proxyclick', 'grace', person('Grace', 'Hopper', 'grace.hopper@example.com'));
  await user('proxyclick', 'bob', person('Bob', 'Gone', 'bob.gone@example.com', { sandboxStatus: 'inactive' }));
  // Promapp: Ada under a case-different userName and another title; Mary a Promaster; Bob deactivated too.
  await user('promapp', 'ada', person('Ada', 'Lovelace', 'ada.lovelace@EXAMPLE.com', { title: 'Engineer' }));
  await user('promapp', 'mary', person('Mary', 'Jackson', 'mary.jackson@example.com', { roles: [{ value: 'Promaster' }] }));
  await user('promapp', 'bob', person('Bob', 'Gone', 'Bob.Gone@example.com', { sandboxStatus: 'inactive' }));
  // Proxy: a pending account (Proxy cannot say pending over SCIM) and two groups.
  for (const [k, g, f] of [['ada', 'Ada', 'Lovelace'], ['alan', 'Alan', 'Turing'], ['grace', 'Grace', 'Hopper'], ['mary', 'Mary', 'Jackson']]) {
    await user('proxy', k, person(g, f, `${g.toLowerCase()}.${f.toLowerCase()}@example.com`, { externalId: k === 'ada' ? 'ada' : undefined }));
  }
  await user('proxy', 'pat', person('Pat', 'Pending', 'pat.pending@example.com', { sandboxStatus: 'pending' }));
  await a.createGroup('proxy', { displayName: 'Engineering', members: [ids['proxy:ada'], ids['proxy:alan'], ids['proxy:grace']] });
  await a.createGroup('proxy', { displayName: 'Sales', members: [ids['proxy:mary']] });
  // Wiki: roles, a manager, a deactivated Alan who is still in Engineering, and a Sales group that disagrees.
  await user('generic', 'grace', person('Grace', 'Hopper', 'grace.hopper@example.com', { roles: [{ value: 'Admin' }], [ENTERPRISE]: { department: 'Engineering' } }));
  await user('generic', 'ada', person('Ada', 'Lovelace', 'ada.lovelace@example.com', {
    externalId: 'E-1002',
    roles: [{ value: 'Editor' }],
    phoneNumbers: [{ value: '+32 2 555 01 23', type: 'work' }],
    [ENTERPRISE]: { department: 'Engineering', manager: { value: ids['generic:grace'] } },
  }));
  await user('generic', 'alan', person('Alan', 'Turing', 'alan.turing@example.com', { sandboxStatus: 'inactive' }));
  await a.createGroup('generic', { displayName: 'Engineering', members: [ids['generic:ada'], ids['generic:alan'], ids['generic:grace']] });
  await a.createGroup('generic', { displayName: 'Sales', members: [ids['generic:grace']] });
}

/** Every user and group of every tenant, as the admin API shows them (ids, status, meta included). */
async function snapshot(s: RunningSandbox) {
  const out: Record<string, unknown> = {};
  for (const t of tenants) out[t] = { users: await s.admin.listUsers(t), groups: t === 'proxy' || t === 'generic' ? await s.admin.listGroups(t) : [] };
  return out;
}

beforeAll(async () => {
  // Plans print their summary line, not their full text (no `terraform show` per stack): the test reads the
  // report of `scimform plan` and the saved plans.
  ({ dir: tmp, env } = tempCheckout('scimform-import-', { SCIMFORM_QUIET: '0', SCIMFORM_PLAN_OUTPUT: 'summary' }));
  // The CLI reuses this sandbox: it serves the same data dir.
  sandbox = await startSandbox({ dataDir: env.SCIMFORM_SANDBOX_DIR!, port: 0, quiet: true });
  await fillTenants(sandbox);
  for (const t of tenants) await sandbox.admin.clearRequestLog(t);
});
afterAll(async () => {
  await sandbox?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('import → plan shows only imports → apply: every tenant unchanged, no writing request', async () => {
  const before = await snapshot(sandbox);
  const out = path.join(tmp, 'imported');

  const imported = await scimform(path.join(tmp, 'org'), 'import', '--out', out);
  expect({ code: imported.code, err: imported.code ? imported.stderr : '' }).toEqual({ code: 0, err: '' });
  expect(imported.stderr).toContain('read-only');
  for (const t of Object.values(stackOf)) expect(imported.stderr).toMatch(new RegExp(`\\[${t}\\] \\d+ user\\(s\\)`));
  const report = fs.readFileSync(path.join(out, 'import-report.md'), 'utf8');
  expect(imported.stdout).toBe(report);
  // One Ada across four apps, whatever the case of her userName; Promapp keeps its own title.
  expect(report).toMatch(/`ada`: proxyclick, promapp, proxy, wiki \(userNames `Ada.Lovelace@example.com`, `ada.lovelace@EXAMPLE.com`/);
  expect(report).toContain('| ada | promapp | title | Principal Engineer | Engineer |');
  expect(report).toMatch(/Leavers \(inactive in every app.*`bob-gone`/);
  expect(report).toContain('`pat-pending` in proxy: inactive assignment');
  expect(report).toContain('`alan-turing` in wiki: inactive assignment');
  expect(report).toContain('`engineering` ("Engineering") in proxy, wiki');
  expect(report).toContain('`proxy-sales` ("Sales") in proxy — the apps\' groups of this name have different members');
  expect(report).toContain('`wiki-sales` ("Sales") in wiki');
  const apps = fs.readFileSync(path.join(out, 'apps.yaml'), 'utf8');
  expect(apps).toMatch(/- person: mary-jackson\n\s+role: Promaster/);
  expect(fs.readFileSync(path.join(out, 'people.yaml'), 'utf8')).toMatch(/key: ada\n(\s+\w+: .*\n)*?\s+manager: grace-hopper/);

  // Never overwrites without --force (checked before any app is read).
  const again = await scimform(path.join(tmp, 'org'), 'import', '--out', out);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/SCIMFORM_IMPORT_WOULD_OVERWRITE|import never overwrites a file.*--force/);

  const plan = await scimform(out, 'plan');
  expect({ code: plan.code, err: plan.code ? plan.stderr + plan.stdout : '' }).toEqual({ code: 0, err: '' });
  // The report says the same: adoptions of imported accounts and groups, no membership change.
  expect(plan.stdout).toMatch(/proxy — 5 adopt, 2 groups adopted\n/);
  expect(plan.stdout).not.toMatch(/member|create|deactivat|reactivat|delete|update/i);
  const paths = scimformPaths(env, root);
  const imports: Record<string, number> = {};
  // The four saved plans are rendered at once (separate stack dirs), then checked in order.
  const shownAll = await Promise.all(
    tenants.map((t) => runTerraform(['show', '-json', 'scimform.tfplan'], { cwd: path.join(paths.outDir, 'stacks', stackOf[t]), env: terraformEnv(paths) })),
  );
  for (const [i, t] of tenants.entries()) {
    const shown = shownAll[i];
    expect(shown.code).toBe(0);
    // Accounts are roster entries (one change each, as the report reads them): each adopts the account its
    // adopt_id pins, known at plan; groups are imported unchanged, already keyed by person (member_ids, from the
    // keyed import id ScimApp writes). The stack's slice-count record is no account.
    const changes = (readPlanJson(shown.stdout, 'scimform.tfplan').resource_changes ?? []).filter((c) => c.type !== 'terraform_data');
    const taken = changes.filter((c) =>
      c.type === 'scim_user'
        ? c.change.actions.join() === 'create' && typeof (c.change.after as any)?.adopt_id === 'string' && (c.change.after as any).existing_id === (c.change.after as any).adopt_id
        : c.change.actions.join() === 'no-op' && !!c.change.importing && (c.change.after as any).member_ids !== null,
    );
    const other = changes.filter((c) => !taken.includes(c) && c.type !== 'scim_roster').map((c) => `${c.change.actions.join('+')} ${c.address}`);
    expect({ tenant: t, other }).toEqual({ tenant: t, other: [] });
    imports[t] = taken.length;
  }
  // Every account but the leaver's (bob), and every group.
  expect(imports).toEqual({ proxyclick: 3, promapp: 2, proxy: 7, generic: 5 });

  // The plans just checked are the ones applied (`scimform apply` of the saved plans: deploy would plan them all
  // again); drift then proves that nothing is left to do in any app, as deploy's re-plan does.
  const apply = await scimform(out, 'apply');
  expect({ code: apply.code, err: apply.code ? apply.stderr + apply.stdout : '' }).toEqual({ code: 0, err: '' });
  expect(apply.stderr).toContain('scimform apply: 4 stack(s) applied, 0 without changes, 0 failed');
  const drift = await scimform(out, 'drift');
  expect({ code: drift.code, err: drift.code ? drift.stderr + drift.stdout : '' }).toEqual({ code: 0, err: '' });

  expect(await snapshot(sandbox)).toEqual(before);
  for (const t of tenants) {
    const log = await sandbox.admin.requestLog(t);
    expect(log.length).toBeGreaterThan(0); // import, plan, apply and drift did read this tenant
    const writes = log.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    expect({ tenant: t, writes }).toEqual({ tenant: t, writes: [] });
  }
});
