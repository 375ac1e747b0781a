// The scimform CLI reads a roster stack (cdk.tf.json with `scim_roster.accounts_NN` slices, their import blocks
// and `//.scimform` metadata with `accounts: "roster"`, written by hand per the lib/CLI contract) exactly as it
// reads scim_user stacks, on real Terraform plans against the sandbox, in one stack folder: the adapter's
// per-entry changes from the real plan JSON (create, adopt, reactivate, update, deactivate, delete, no-op;
// the roster's own import is no change), the report lines, the guard, the fingerprint, the reviewed
// reactivation of an adopted inactive account after apply, drift of entries, the access matrix,
// `plan|apply --person KEY` (rosters and per-user stacks, its errors) and rosters forgotten by removed blocks.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestSandbox } from '../support/sandbox';
import { CliResult, scimform, StackFixture, useSandboxAndStacks } from './stack-fixture';
import type { PlanReport } from '../../cli/report/report-model';
import { explodeRosterPlan, parseEntryAddress } from '../../cli/report/roster-changes';
import { parsePlanJson, type JsonResourceChange } from '../../cli/report/plan-json';
import { commandTerraformEnv, runTerraformIn } from '../../cli/terraform-runner';
import { DEFAULT_PLAN_FILE } from '../../cli/report/stack-dirs';

let sb: TestSandbox;
let fx: StackFixture;

const E = (k: string) => `scim_roster.accounts_00.entries["${k}"]`;
/** A group member: the SCIM id of a roster entry's account (`accounts_01` holds grace and heidi). */
const account = (k: string) => `\${scim_roster.accounts_0${['grace', 'heidi'].includes(k) ? 1 : 0}.accounts["${k}"].id}`;
const entry = (k: string, extra: Record<string, unknown> = {}) => ({
  user_name: `${k}@example.com`,
  external_id: k,
  display_name: k,
  emails: [{ value: `${k}@example.com`, type: 'work', primary: true }],
  ...extra,
});

/** Writes the stack: slice 00 (deactivates on removal) and slice 01 (deletes), each with its import block. */
function writeStack(slice0: Record<string, Record<string, unknown>>, slice1: Record<string, Record<string, unknown>>, engineers?: string[]) {
  const users: Record<string, unknown> = {};
  for (const [s, entries] of [['00', slice0], ['01', slice1]] as const) {
    for (const [k, v] of Object.entries(entries)) {
      users[`scim_roster.accounts_${s}.entries["${k}"]`] = { person: k, userName: v.user_name, roles: [], via: ['everyone'] };
    }
  }
  fx.write('wiki', {
    endpoint: sb.credentials.generic.baseUrl,
    credentials: { scim_token: { file: path.join(sb.dataDir, 'credentials.json'), key: 'generic.token' } },
    resources: {
      scim_roster: { accounts_00: { entries: slice0 }, accounts_01: { entries: slice1, on_destroy: 'delete' } },
      ...(engineers ? { scim_group: { group_eng: { display_name: 'Engineering', members: engineers.map(account) } } } : {}),
    },
    imports: [
      { to: 'scim_roster.accounts_00', id: 'roster' },
      { to: 'scim_roster.accounts_01', id: 'roster' },
    ],
    meta: { accounts: 'roster', users, excluded: [{ person: 'bob', reason: 'leaver', existingAccount: 'deactivated', detail: 'left on 2026-11-30 — not provisioned' }] },
  });
}

const run = (args: string[]): Promise<CliResult> => scimform(args);
const planReport = async (): Promise<PlanReport> => {
  const r = await run(['plan', '--no-synth', '--stacks-dir', fx.stacksDir, '--format', 'json']);
  if (r.code !== 0) throw new Error(`scimform plan exited ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as PlanReport;
};
/** The saved plan of the stack, as `terraform show -json` gives it (rosters whole). */
const rawPlan = async () => {
  const r = await runTerraformIn(['show', '-json', DEFAULT_PLAN_FILE], path.join(fx.stacksDir, 'wiki'), commandTerraformEnv());
  expect(r.code).toBe(0);
  return parsePlanJson(r.stdout, 'plan');
};
const byName = async (userName: string) => (await sb.admin.listUsers('generic')).find((u) => u.userName === userName);
const names = (list: { userName: string }[]) => list.map((u) => u.userName);
const actionsOf = (changes: JsonResourceChange[]) => Object.fromEntries(changes.map((c) => [c.address, c.change.actions.join('/')]));

useSandboxAndStacks((s, f) => ((sb = s), (fx = f)));

describe('a roster stack, planned and applied with the scimform CLI', () => {
  test('first plan: each entry is a create, an adoption or a reactivation; the import of the rosters is no change', async () => {
    await sb.admin.createUser('generic', { userName: 'frank@example.com', displayName: 'frank', active: true });
    await sb.admin.createUser('generic', { userName: 'judy@example.com', displayName: 'judy', active: false });
    writeStack(
      {
        ada: entry('ada'),
        bob: entry('bob'),
        carol: entry('carol', { title: 'Engineer' }),
        dave: entry('dave'),
        erin: entry('erin', { active: false }),
        frank: entry('frank', { title: 'Adopted' }),
        judy: entry('judy'),
      },
      { grace: entry('grace') },
      ['ada', 'bob', 'frank'],
    );
    const report = await planReport();

    const raw = await rawPlan();
    const rosters = (raw.resource_changes ?? []).filter((rc) => rc.type === 'scim_roster');
    expect(rosters.map((rc) => [rc.address, rc.change.importing?.id])).toEqual([
      ['scim_roster.accounts_00', 'roster'],
      ['scim_roster.accounts_01', 'roster'],
    ]);
    const all = explodeRosterPlan(raw).resource_changes ?? [];
    expect(all.filter((rc) => rc.type === 'scim_roster')).toEqual([]);
    const exploded = all.filter((rc) => rc.type !== 'scim_group');
    expect(exploded.every((rc) => rc.type === 'scim_user' && !rc.change.importing && parseEntryAddress(rc.address))).toBe(true);
    expect(actionsOf(exploded)).toEqual({
      [E('ada')]: 'create',
      [E('bob')]: 'create',
      [E('carol')]: 'create',
      [E('dave')]: 'create',
      [E('erin')]: 'create',
      [E('frank')]: 'create',
      [E('judy')]: 'create',
      'scim_roster.accounts_01.entries["grace"]': 'create',
    });
    const frank = await byName('frank@example.com');
    const judy = await byName('judy@example.com');
    const after = (k: string) => exploded.find((rc) => rc.address === E(k))!.change.after as Record<string, unknown>;
    expect(after('frank')).toMatchObject({ user_name: 'frank@example.com', title: 'Adopted', on_destroy: 'deactivate' });
    expect(exploded.find((rc) => rc.address === 'scim_roster.accounts_01.entries["grace"]')!.change.after).toMatchObject({ on_destroy: 'delete' });
    // The provider plans accounts[KEY] of every new entry as unknown (adoptions come from its warnings).
    expect(exploded.find((rc) => rc.address === E('ada'))!.change.after_unknown).toMatchObject({ id: true, existing_id: true });

    const app = report.apps[0];
    expect(names(app.users.create)).toEqual(['ada@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com', 'erin@example.com', 'grace@example.com']);
    expect(app.users.create.find((u) => u.userName === 'erin@example.com')?.note).toBe('created inactive');
    expect(app.users.adopt).toEqual([expect.objectContaining({ address: E('frank'), userName: 'frank@example.com', id: frank.id, note: 'existing account taken over' })]);
    expect(app.users.reactivate).toEqual([expect.objectContaining({ address: E('judy'), id: judy.id, note: 'deactivated account adopted and reactivated' })]);
    expect(app.managedUsers).toBe(0);
    expect(app.members.added.map((m) => `${m.user} → ${m.group}`)).toEqual([
      'ada@example.com → Engineering',
      'bob@example.com → Engineering',
      'frank@example.com → Engineering',
    ]);
  });

  test('apply provisions every entry and finishes the reviewed reactivation through a plan targeting the roster', async () => {
    const apply = await run(['apply', '--stacks-dir', fx.stacksDir]);
    expect(apply.code).toBe(0);
    expect(apply.stderr).toContain(`reactivated as the plan showed: ${E('judy')}`);
    expect(await byName('judy@example.com')).toMatchObject({ active: true });
    expect(await byName('frank@example.com')).toMatchObject({ title: 'Adopted', active: true });
    expect(await byName('erin@example.com')).toMatchObject({ active: false });
    expect(await byName('grace@example.com')).toMatchObject({ active: true });
    const again = await planReport();
    expect(again.totals).toMatchObject({ create: 0, adopt: 0, update: 0, deactivate: 0, reactivate: 0, delete: 0 });
    expect(again.apps[0].managedUsers).toBe(8);
  });

  /** The stack of the "every kind of change" plan; only carol's new title varies between the reviewed and the stale plan. */
  const writeChangedStack = (carolTitle: string) =>
    writeStack(
      {
        ada: entry('ada'),
        carol: entry('carol', { title: carolTitle }),
        dave: entry('dave', { active: false }),
        erin: entry('erin', { active: true }),
        frank: entry('frank', { title: 'Adopted' }),
        judy: entry('judy'),
        ivan: entry('ivan'),
      },
      { heidi: entry('heidi') },
      ['ada', 'carol', 'frank', 'heidi'],
    );

  let changed: PlanReport;
  test('the next plan reports every kind of change of entries as for scim_user, and the guard trips', async () => {
    await sb.admin.createUser('generic', { userName: 'ivan@example.com', displayName: 'ivan', active: false });
    writeChangedStack('Senior Engineer');
    changed = await planReport();
    const app = changed.apps[0];
    const ivan = await byName('ivan@example.com');
    expect(names(app.users.create)).toEqual(['heidi@example.com']);
    expect(names(app.users.update)).toEqual(['carol@example.com']);
    expect(app.users.update[0]).toMatchObject({ address: E('carol'), changes: [{ path: 'title', before: { value: 'Engineer' }, after: { value: 'Senior Engineer' } }] });
    expect(names(app.users.deactivate)).toEqual(['bob@example.com', 'dave@example.com']);
    expect(app.users.deactivate[0].note).toBe('left on 2026-11-30');
    expect(app.users.deactivate[1].changes).toContainEqual({ path: 'active', before: { value: true }, after: { value: false } });
    expect(names(app.users.reactivate)).toEqual(['erin@example.com', 'ivan@example.com']);
    expect(app.users.reactivate[1]).toMatchObject({ id: ivan.id, note: 'deactivated account adopted and reactivated' });
    expect(names(app.users.delete)).toEqual(['grace@example.com']);
    expect(app.managedUsers).toBe(8);
    expect(app.members.added.map((m) => `${m.user} → ${m.group}`)).toEqual(['carol@example.com → Engineering', 'heidi@example.com → Engineering']);
    expect(app.members.removed.map((m) => `${m.user} ✕ ${m.group}`)).toEqual(['bob@example.com ✕ Engineering']);
    expect(changed.guard).toMatchObject({ tripped: true, blocks: true });

    const term = await run(['report', '--stacks-dir', fx.stacksDir]);
    expect(term.code).toBe(0);
    for (const line of [
      '+ create       heidi@example.com',
      '~ update       carol@example.com',
      'title: "Engineer" → "Senior Engineer"',
      '- deactivate   bob@example.com  (left on 2026-11-30)',
      '- deactivate   dave@example.com',
      '+ reactivate   erin@example.com',
      '+ reactivate   ivan@example.com  (deactivated account adopted and reactivated)',
      '- delete       grace@example.com',
      '+ member       heidi@example.com → Engineering',
      '- member       bob@example.com ✕ Engineering',
      'deactivation guard tripped',
    ]) {
      expect(term.stdout).toContain(line);
    }
  });

  test('the guard refuses the mass deactivation (exit 3) and nothing changes', async () => {
    const r = await run(['apply', '--stacks-dir', fx.stacksDir]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('wiki: 3 account(s) lose access — 3 of 8 managed users (37.5%) > --max-deactivation-percent 20');
    expect(await byName('bob@example.com')).toMatchObject({ active: true });
    expect(await byName('heidi@example.com')).toBeUndefined();
  });

  test('the fingerprint changes when one entry\'s planned value changes; apply refuses the stale one and applies the reviewed one', async () => {
    const first = changed.fingerprint;
    writeChangedStack('Staff Engineer');
    const second = await planReport();
    expect(second.apps[0].users.update[0].changes[0].after).toEqual({ value: 'Staff Engineer' });
    expect(second.fingerprint).not.toBe(first);
    const stale = await run(['apply', '--stacks-dir', fx.stacksDir, '--allow-mass-deactivation', '--expect-fingerprint', first]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('differ from the reviewed plan');
    expect(await byName('heidi@example.com')).toBeUndefined();

    const ok = await run(['apply', '--stacks-dir', fx.stacksDir, '--allow-mass-deactivation', '--expect-fingerprint', second.fingerprint]);
    expect(ok.code).toBe(0);
    expect(await byName('bob@example.com')).toMatchObject({ active: false });
    expect(await byName('dave@example.com')).toMatchObject({ active: false });
    expect(await byName('grace@example.com')).toBeUndefined();
    expect(await byName('heidi@example.com')).toMatchObject({ active: true });
    expect(await byName('carol@example.com')).toMatchObject({ title: 'Staff Engineer' });
    expect(await byName('ivan@example.com')).toMatchObject({ active: true });
  });

  test('drift: an entry changed or deleted in the app is reported out of band, exit 2', async () => {
    const carol = await byName('carol@example.com');
    await sb.admin.patchUser('generic', carol.id, { title: 'Changed By Hand' });
    await sb.admin.deleteUser('generic', (await byName('erin@example.com')).id);
    const r = await run(['drift', '--stacks-dir', fx.stacksDir, '--format', 'json']);
    expect(r.code).toBe(2);
    const drift = JSON.parse(r.stdout) as { apps: { outOfBand: { name: string; address: string; what: string; changes: unknown[] }[]; pending: PlanReport['apps'][0] }[] };
    expect(drift.apps[0].outOfBand).toEqual([
      { kind: 'user', name: 'carol@example.com', address: E('carol'), what: 'changed', changes: [{ path: 'title', before: { value: 'Staff Engineer' }, after: { value: 'Changed By Hand' } }] },
      { kind: 'user', name: 'erin@example.com', address: E('erin'), what: 'deleted', changes: [] },
    ]);
    expect(names(drift.apps[0].pending.users.update)).toEqual(['carol@example.com']);
    expect(names(drift.apps[0].pending.users.create)).toEqual(['erin@example.com']);
  });

  test('the access matrix lists roster accounts by person key: active, deactivated, pending', async () => {
    writeStack(
      { ada: entry('ada'), carol: entry('carol', { title: 'Staff Engineer' }), dave: entry('dave', { active: false }), erin: entry('erin'), frank: entry('frank'), judy: entry('judy'), ivan: entry('ivan'), kim: entry('kim') },
      { heidi: entry('heidi') },
      ['ada', 'carol', 'frank', 'heidi'],
    );
    const r = await run(['access', '--stacks-dir', fx.stacksDir, '--format', 'json']);
    expect(r.code).toBe(0);
    const matrix = JSON.parse(r.stdout) as { people: { key: string; apps: Record<string, { status: string; userName: string }> }[] };
    const cells = Object.fromEntries(matrix.people.map((p) => [p.key, p.apps.wiki?.status]));
    expect(cells).toMatchObject({ ada: 'active', carol: 'active', dave: 'deactivated', heidi: 'active', ivan: 'active', kim: 'pending', bob: 'left' });
    expect(matrix.people.find((p) => p.key === 'grace')).toBeUndefined();
  });

  describe('one person at a time', () => {
    const desired = (extra: Record<string, Record<string, unknown>> = {}, without: string[] = []) => {
      const slice0: Record<string, Record<string, unknown>> = {
        ada: entry('ada', { title: 'Pending Title' }),
        carol: entry('carol', { title: 'Staff Engineer' }),
        dave: entry('dave', { active: false }),
        erin: entry('erin'),
        frank: entry('frank', { title: 'Adopted' }),
        judy: entry('judy'),
        ivan: entry('ivan'),
        kim: entry('kim', { title: 'New Hire' }),
        lee: entry('lee'),
        ...extra,
      };
      for (const k of without) delete slice0[k];
      writeStack(slice0, { heidi: entry('heidi') }, ['ada', 'carol', 'frank', 'heidi']);
    };
    const person = async (command: 'plan' | 'apply', key: string, more: string[] = []) => {
      const r = await run([command, '--person', key, ...(command === 'plan' ? ['--no-synth'] : []), '--stacks-dir', fx.stacksDir, '--stack', 'wiki', '--format', 'json', ...more]);
      return { ...r, report: r.code === 0 || r.code === 3 ? (JSON.parse(r.stdout) as PlanReport) : undefined };
    };

    test('plan --person shows exactly that person\'s change; apply --person applies it and nothing else', async () => {
      await sb.admin.createUser('generic', { userName: 'lee@example.com', displayName: 'lee', active: false });
      desired();
      const planned = await person('plan', 'kim');
      expect(planned.code).toBe(0);
      expect(planned.report!.totals).toMatchObject({ create: 1, adopt: 0, update: 0, deactivate: 0, reactivate: 0, delete: 0 });
      expect(planned.report!.apps[0].users.create).toEqual([expect.objectContaining({ address: E('kim'), userName: 'kim@example.com' })]);

      const applied = await person('apply', 'kim', ['--expect-fingerprint', planned.report!.fingerprint]);
      expect(applied.code).toBe(0);
      expect(applied.report!.fingerprint).toBe(planned.report!.fingerprint);
      expect(await byName('kim@example.com')).toMatchObject({ title: 'New Hire', active: true });
      expect(await byName('ada@example.com')).not.toHaveProperty('title', 'Pending Title');
      expect(await byName('carol@example.com')).toMatchObject({ title: 'Changed By Hand' });
      expect(await byName('lee@example.com')).toMatchObject({ active: false });

      // The full plan still shows everyone else's pending change, and not kim's.
      const full = await planReport();
      expect(names(full.apps[0].users.create)).toEqual(['erin@example.com']);
      expect(names(full.apps[0].users.update)).toEqual(['ada@example.com', 'carol@example.com']);
      expect(names(full.apps[0].users.reactivate)).toEqual(['lee@example.com']);
    });

    test('an adopted inactive account is reactivated as reviewed; a leaver is deactivated alone', async () => {
      const lee = await person('apply', 'lee');
      expect(lee.code).toBe(0);
      expect(names(lee.report!.apps[0].users.reactivate)).toEqual(['lee@example.com']);
      expect(lee.report!.totals).toMatchObject({ create: 0, update: 0, deactivate: 0, reactivate: 1 });
      expect(lee.stderr).toContain(`reactivated as the plan showed: ${E('lee')}`);
      expect(await byName('lee@example.com')).toMatchObject({ active: true });

      desired({}, ['ivan']);
      const ivan = await person('apply', 'ivan');
      expect(ivan.code).toBe(0);
      expect(names(ivan.report!.apps[0].users.deactivate)).toEqual(['ivan@example.com']);
      expect(ivan.report!.totals).toMatchObject({ create: 0, update: 0, deactivate: 1, reactivate: 0 });
      expect(await byName('ivan@example.com')).toMatchObject({ active: false });
      expect(await byName('ada@example.com')).not.toHaveProperty('title', 'Pending Title');
    });

    test('a key that no roster of the selected app holds is a clear error, and nothing changes', async () => {
      fx.write('crm', {
        endpoint: sb.credentials.generic.baseUrl,
        credentials: { scim_token: { file: path.join(sb.dataDir, 'credentials.json'), key: 'generic.token' } },
        resources: { scim_roster: { accounts_00: { entries: { zoe: entry('zoe') } } } },
        meta: { accounts: 'roster', users: { 'scim_roster.accounts_00.entries["zoe"]': { person: 'zoe', userName: 'zoe@example.com', roles: [], via: [] } } },
      });
      const unknown = await person('apply', 'nobody');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('--person nobody: no app among wiki holds or declares an account for the person key "nobody"');
      expect(unknown.stderr).toContain('[CLI_PERSON_UNKNOWN]');
      const elsewhere = await person('plan', 'zoe');
      expect(elsewhere.code).toBe(1);
      expect(elsewhere.stderr).toContain('--person zoe: the selected app(s) (wiki) hold no account of zoe and declare none; zoe is in crm. Select that app with --stack crm');
      expect(await byName('zoe@example.com')).toBeUndefined();
      expect(fs.readdirSync(path.join(fx.stacksDir, 'wiki')).filter((f) => f.startsWith('scimform-person'))).toEqual([]);
    });

    test('in a per-user stack (scim_user resources), --person targets that person\'s scim_user alone', async () => {
      fx.write('hr', {
        endpoint: sb.credentials.generic.baseUrl,
        credentials: { scim_token: { file: path.join(sb.dataDir, 'credentials.json'), key: 'generic.token' } },
        resources: { scim_user: { user_yan: entry('yan'), user_zed: entry('zed') } },
        meta: { accounts: 'users', users: { 'scim_user.user_yan': { person: 'yan', userName: 'yan@example.com', roles: [], via: [] } } },
      });
      const zed = await run(['apply', '--person', 'zed', '--stacks-dir', fx.stacksDir, '--stack', 'hr', '--format', 'json']);
      expect(zed.code).toBe(0);
      const report = JSON.parse(zed.stdout) as PlanReport;
      expect(report.totals).toMatchObject({ create: 1, update: 0, deactivate: 0 });
      expect(report.apps[0].users.create).toEqual([expect.objectContaining({ address: 'scim_user.user_zed', userName: 'zed@example.com' })]);
      expect(await byName('zed@example.com')).toMatchObject({ active: true });
      expect(await byName('yan@example.com')).toBeUndefined();
      expect(fs.readdirSync(path.join(fx.stacksDir, 'hr')).filter((f) => f.startsWith('scimform-person'))).toEqual([]);
    });

    test('an override left by an interrupted --person run is never merged into another plan', async () => {
      const left = path.join(fx.stacksDir, 'wiki', 'scimform-person_override.tf.json');
      fs.writeFileSync(left, JSON.stringify({ resource: { scim_roster: { accounts_00: { entries: {} } } } }));
      const r = await run(['plan', '--no-synth', '--stacks-dir', fx.stacksDir, '--stack', 'wiki', '--format', 'json']);
      expect(r.code).toBe(1);
      expect((JSON.parse(r.stdout) as PlanReport).apps[0].error).toContain(`stack wiki: ${left} exists: a \`scimform plan|apply --person\` is running in this folder, or was interrupted`);
      const person = await run(['apply', '--person', 'ada', '--stacks-dir', fx.stacksDir, '--stack', 'wiki']);
      expect(person.code).toBe(1);
      expect(person.stderr).toContain('[CLI_PERSON_OVERRIDE_LEFT]');
      expect(fs.existsSync(left)).toBe(true);
      fs.rmSync(left);
    });
  });

  test('rosters forgotten by removed blocks (destroy = false) report no change and trip no guard', async () => {
    fx.write('wiki', {
      endpoint: sb.credentials.generic.baseUrl,
      credentials: { scim_token: { file: path.join(sb.dataDir, 'credentials.json'), key: 'generic.token' } },
      resources: { terraform_data: { placeholder: {} } },
      removed: ['scim_roster.accounts_00', 'scim_roster.accounts_01', 'scim_group.group_eng'].map((from) => ({ from, lifecycle: { destroy: false } })),
      meta: { accounts: 'users', users: {} },
    });
    const r = await run(['plan', '--no-synth', '--stacks-dir', fx.stacksDir, '--stack', 'wiki', '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as PlanReport;
    expect(report.totals).toMatchObject({ create: 0, adopt: 0, update: 0, deactivate: 0, reactivate: 0, delete: 0, groupsDelete: 0, membersRemoved: 0 });
    expect(report.guard).toMatchObject({ tripped: false });
    const raw = await rawPlan();
    expect((raw.resource_changes ?? []).filter((rc) => rc.type === 'scim_roster').map((rc) => rc.change.actions)).toEqual([['forget'], ['forget']]);
  });
});
