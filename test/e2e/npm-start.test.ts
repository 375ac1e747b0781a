// End to end, as a new user runs it: `scimform start` (what `npm start` runs) on a fresh data dir provisions
// exactly the expected users and groups in every sandbox tenant — checked through the sandbox's admin API,
// not our state — and a second run changes nothing. Then one title change, one leaver and one joiner in
// people.yaml plan as exactly 1 update, 1 deactivation and 1 create per app, and applying those reviewed plans
// makes the sandbox match, with nothing left to do; deploy refuses a mass deactivation unless allowed.
// Every path (org, sandbox data, state, logs, cdktf.out) is a temp dir; the repo's .scimform is never touched.
import { parseEntryAddress, readPlanJson } from '../../cli/report/roster-changes';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scimformPaths } from '../../lib/paths';
import { startSandbox, type RunningSandbox, type TenantName } from '../../sandbox';
import { runTerraform, terraformEnv } from '../../cli/terraform-runner';
import { REPO_ROOT as root, runScimform, tempCheckout, type CliResult } from '../support/scimform-cli';

jest.setTimeout(900_000);

let tmp: string;
let env: NodeJS.ProcessEnv;

const email = (k: string) =>
  ({
    grace: 'grace.hopper@example.com',
    ada: 'ada.lovelace@example.com',
    alan: 'alan.turing@example.com',
    katherine: 'katherine.johnson@example.com',
    linus: 'linus.torvalds@example.com',
    mary: 'mary.jackson@example.com',
    dorothy: 'dorothy.vaughan@example.com',
    annie: 'annie.easley@example.com',
    frances: 'frances.allen@example.com',
    hedy: 'hedy.lamarr@example.com',
  })[k]!;

/** Who each app should have after `npm start` on the example (tim left; dorothy has Default Access in
 * Promapp; linus is a contractor, outside the wiki's scope). */
const expectedUsers: Record<TenantName, string[]> = {
  proxyclick: ['ada', 'alan', 'annie', 'dorothy', 'frances', 'grace', 'katherine', 'linus', 'mary'],
  promapp: ['ada', 'alan', 'annie', 'frances', 'grace', 'katherine', 'linus', 'mary'],
  proxy: ['ada', 'alan', 'annie', 'dorothy', 'frances', 'grace', 'katherine', 'linus', 'mary'],
  generic: ['ada', 'alan', 'annie', 'frances', 'grace', 'katherine', 'mary'],
};
const expectedGroups: Partial<Record<TenantName, Record<string, string[]>>> = {
  proxy: {
    Engineering: ['ada', 'alan', 'grace', 'katherine', 'linus'],
    Operations: ['annie', 'frances'],
    Sales: ['dorothy', 'mary'],
  },
  generic: { Engineering: ['ada', 'alan', 'grace', 'katherine'], Operations: ['annie', 'frances'] },
};
const stackOf: Record<TenantName, string> = { proxyclick: 'proxyclick', promapp: 'promapp', proxy: 'proxy', generic: 'wiki' };
const tenants = Object.keys(stackOf) as TenantName[];

const scimform = (...args: string[]): Promise<CliResult> => runScimform(env, args);

interface SandboxUser {
  id: string;
  userName: string;
  title?: string;
  active?: boolean;
  sandboxStatus: string;
  emails?: { value: string }[];
}

async function withSandbox<T>(fn: (s: RunningSandbox) => Promise<T>): Promise<T> {
  const s = await startSandbox({ dataDir: env.SCIMFORM_SANDBOX_DIR!, port: 0, quiet: true });
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}

const byEmail = (users: SandboxUser[]) => new Map(users.map((u) => [(u.emails?.[0]?.value ?? u.userName).toLowerCase(), u]));

/** Every user and group of every tenant, with this run's sandbox port masked out of URLs ($ref, location). */
async function snapshot(s: RunningSandbox) {
  const out: Record<string, { users: SandboxUser[]; groups: { displayName: string; members?: { value: string }[] }[] }> = {};
  for (const t of tenants) {
    out[t] = { users: await s.admin.listUsers(t), groups: t === 'proxy' || t === 'generic' ? await s.admin.listGroups(t) : [] };
  }
  return JSON.parse(JSON.stringify(out).replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://sandbox')) as typeof out;
}

function groupMembers(snap: Awaited<ReturnType<typeof snapshot>>[string]): Record<string, string[]> {
  const keyOfId = new Map(snap.users.map((u) => [u.id, (u.emails?.[0]?.value ?? u.userName).split('.')[0].toLowerCase()]));
  return Object.fromEntries(snap.groups.map((g) => [g.displayName, (g.members ?? []).map((m) => keyOfId.get(m.value) ?? m.value).sort()]));
}

beforeAll(() => {
  // A free port, not the sandbox's usual 8890 (a developer's own sandbox may hold it).
  ({ dir: tmp, env } = tempCheckout('scimform-e2e-', { SCIMFORM_SANDBOX_PORT: '0' }));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('npm start on the example organisation', () => {
  test('first run provisions exactly the expected users and groups in every tenant', async () => {
    const run = await scimform('start');
    expect({ code: run.code, err: run.code ? run.stderr + run.stdout : '' }).toEqual({ code: 0, err: '' });
    for (const stack of Object.values(stackOf)) expect(run.stderr).toMatch(new RegExp(`\\[${stack}\\] re-plan: no changes`));
    expect(run.stdout).toMatch(/Sandbox: http:\/\/127\.0\.0\.1:\d+/);
    await withSandbox(async (s) => {
      const snap = await snapshot(s);
      for (const t of tenants) {
        const got = snap[t].users.map((u) => u.userName.toLowerCase()).sort();
        expect({ tenant: t, users: got }).toEqual({ tenant: t, users: expectedUsers[t].map(email).sort() });
        expect(snap[t].users.every((u) => u.sandboxStatus === 'active')).toBe(true);
        if (expectedGroups[t]) expect({ tenant: t, groups: groupMembers(snap[t]) }).toEqual({ tenant: t, groups: expectedGroups[t] });
      }
    });
  });

  test('a second run changes nothing', async () => {
    const before = await withSandbox(snapshot);
    const run = await scimform('start');
    expect(run.code).toBe(0);
    for (const stack of Object.values(stackOf)) expect(run.stderr).toContain(`[${stack}] plan: No changes.`);
    expect(await withSandbox(snapshot)).toEqual(before);
  });

  test('a title change, a leaver and a joiner plan as 1 update, 1 deactivation, 1 create per app; apply applies them, nothing left', async () => {
    const file = path.join(tmp, 'org', 'people.yaml');
    let yaml = fs.readFileSync(file, 'utf8');
    yaml = yaml.replace('title: Software Engineer', 'title: Senior Software Engineer');
    yaml = yaml.replace('    employeeNumber: "1004"\n    teams: [engineering]\n', '    employeeNumber: "1004"\n    teams: [engineering]\n    status: leaver\n    leaveDate: "2025-01-15"\n');
    yaml +=
      '\n  - key: hedy\n    givenName: Hedy\n    familyName: Lamarr\n    email: hedy.lamarr@example.com\n    title: Radio Engineer\n' +
      '    department: Engineering\n    manager: ada\n    employeeNumber: "1006"\n    teams: [engineering]\n';
    fs.writeFileSync(file, yaml);

    // The CLI reuses this sandbox (it serves the same data dir) for plan and deploy.
    await withSandbox(async (s) => {
      const plan = await scimform('plan');
      expect({ code: plan.code, err: plan.code ? plan.stderr + plan.stdout : '' }).toEqual({ code: 0, err: '' });
      const paths = scimformPaths(env, root);
      // The four saved plans are rendered at once (separate stack dirs), then checked in order.
      const shownAll = await Promise.all(
        tenants.map((t) => runTerraform(['show', '-json', 'scimform.tfplan'], { cwd: path.join(paths.outDir, 'stacks', stackOf[t]), env: terraformEnv(paths, credentialVars(s, t)) })),
      );
      for (const [i, t] of tenants.entries()) {
        const shown = shownAll[i];
        expect(shown.code).toBe(0);
        // The apps keep their accounts in rosters: one change per entry, as the report reads them.
        const changes = (readPlanJson(shown.stdout, 'scimform.tfplan').resource_changes ?? [])
          .filter((c) => c.type === 'scim_user' && c.change.actions.join() !== 'no-op')
          .map((c) => ({ ...c, person: parseEntryAddress(c.address)?.key }));
        const summary = changes.map((c) => `${c.change.actions.join('+')} ${c.person}`).sort();
        expect({ tenant: t, summary }).toEqual({ tenant: t, summary: ['create hedy', 'delete katherine', 'update alan'] });
        const update = changes.find((c) => c.person === 'alan')!;
        expect([(update.change.before as any)?.title, (update.change.after as any)?.title]).toEqual(['Software Engineer', 'Senior Software Engineer']);
        // the removed account is deactivated, not deleted
        expect((changes.find((c) => c.person === 'katherine')!.change.before as any)?.on_destroy).toBe('deactivate');
      }

      // The plans just checked are the ones applied (`scimform apply` of the saved plans: deploy would plan them
      // all again); `scimform drift` below then proves that nothing is left to do, as deploy's re-plan does.
      const apply = await scimform('apply');
      expect({ code: apply.code, err: apply.code ? apply.stderr + apply.stdout : '' }).toEqual({ code: 0, err: '' });
      expect(apply.stderr).toContain('scimform apply: 4 stack(s) applied, 0 without changes, 0 failed');
      const snap = await snapshot(s);
      for (const t of tenants) {
        const users = byEmail(snap[t].users);
        expect({ tenant: t, hedy: users.get(email('hedy'))?.sandboxStatus }).toEqual({ tenant: t, hedy: 'active' });
        expect({ tenant: t, katherine: users.get(email('katherine'))?.sandboxStatus }).toEqual({ tenant: t, katherine: 'inactive' });
        expect({ tenant: t, alan: users.get(email('alan'))?.title }).toEqual({ tenant: t, alan: 'Senior Software Engineer' });
        expect(snap[t].users.filter((u) => u.sandboxStatus === 'active')).toHaveLength(expectedUsers[t].length);
      }
      expect(groupMembers(snap.proxy).Engineering).toEqual(['ada', 'alan', 'grace', 'hedy', 'linus']);
      expect(groupMembers(snap.generic).Engineering).toEqual(['ada', 'alan', 'grace', 'hedy']);
      const drift = await scimform('drift');
      expect({ code: drift.code, err: drift.code ? drift.stderr + drift.stdout : '' }).toEqual({ code: 0, err: '' });
    });
  });

  test('deploy refuses a mass deactivation (exit 3, nothing applied) unless --allow-mass-deactivation', async () => {
    const file = path.join(tmp, 'org', 'people.yaml');
    let yaml = fs.readFileSync(file, 'utf8');
    for (const n of ['1001', '1002', '1003']) {
      yaml = yaml.replace(`    employeeNumber: "${n}"\n`, `    employeeNumber: "${n}"\n    status: leaver\n    leaveDate: "2025-02-01"\n`);
    }
    fs.writeFileSync(file, yaml);
    await withSandbox(async (s) => {
      const active = async () =>
        (await s.admin.listUsers('proxyclick')).filter((u: SandboxUser) => u.sandboxStatus === 'active').map((u: SandboxUser) => u.userName).sort();
      const before = await active();
      const refused = await scimform('deploy', '--stack', 'proxyclick', '--summary-only');
      expect(refused.code).toBe(3);
      expect(refused.stdout).toContain('deactivation guard tripped');
      expect(refused.stdout).toMatch(/proxyclick: 3 account\(s\) lose access — 3 of 9 managed users/);
      expect(refused.stdout).toContain('--allow-mass-deactivation');
      expect(await active()).toEqual(before);

      const allowed = await scimform('deploy', '--stack', 'proxyclick', '--summary-only', '--allow-mass-deactivation');
      expect({ code: allowed.code, err: allowed.code ? allowed.stderr + allowed.stdout : '' }).toEqual({ code: 0, err: '' });
      expect(await active()).toEqual(before.filter((u) => ![email('grace'), email('ada'), email('alan')].includes(u)));
    });
  });
});

/** TF_VAR_* for `terraform show` (the provider is configured even to render a saved plan). */
function credentialVars(s: RunningSandbox, t: TenantName): Record<string, string> {
  const c = s.credentials[t] as { token?: string; username?: string; password?: string };
  return c.token ? { TF_VAR_scim_token: c.token } : { TF_VAR_scim_username: c.username!, TF_VAR_scim_password: c.password! };
}
