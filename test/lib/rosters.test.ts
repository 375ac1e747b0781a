// ScimApp with `accounts: 'roster'`, synthesized without Terraform: people become entries of
// scim_roster.accounts_<S> (a fixed hash of the person key picks S, so a new hire changes exactly one slice),
// managers are person keys in the slice or userNames across slices, overrides become entry attributes, every
// roster is imported with id "roster", per-user resources are forgotten by removed blocks, groups reference
// the rosters' account ids, and the metadata names each entry by its pseudo-address. Options are checked.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { DEFAULT_ACCOUNTS_MODE, DirectoryError, loadOrganisation, planRosters, rosterEntryAddress, ScimApp, sliceHash, sliceOf, type PersonSpec } from '../../lib';
import { directory, SANDBOX, scimApp, synth, testApp } from './fixtures';
import { rememberTerraformVersionInSuite } from '../support/terraform-version-memo';

// cdktf's validations run `terraform version` once per import block of every synth: answered once here.
rememberTerraformVersionInSuite();

interface RosterJson {
  entries?: unknown;
  entries_json: Record<string, string>;
  on_destroy?: string;
}
interface Json {
  resource?: { scim_roster?: Record<string, RosterJson>; scim_user?: object; scim_group?: Record<string, { member_ids: Record<string, string> }>; terraform_data?: Record<string, unknown> };
  import?: { to: string; id: string }[];
  removed?: { from: string; lifecycle: { destroy: boolean } }[];
}
const json = (s: ScimApp) => JSON.parse(synth(s)) as Json;
/** Each roster with its entries_json strings parsed back into `entries` (what the provider reads). */
const rosters = (j: Json) =>
  Object.fromEntries(
    Object.entries(j.resource?.scim_roster ?? {}).map(([name, r]) => [
      name,
      { ...r, entries: Object.fromEntries(Object.entries(r.entries_json).map(([k, text]) => [k, JSON.parse(text) as Record<string, unknown>])) },
    ]),
  );
const metadata = (s: ScimApp) => {
  synth(s);
  return (s.toTerraform() as { '//': { scimform: Record<string, unknown> } })['//'].scimform;
};

const crowd = (n: number): PersonSpec[] =>
  Array.from({ length: n }, (_, i) => ({ key: `p${i}`, givenName: 'P', familyName: `N${i}`, email: `p${i}@example.com`, teams: ['crowd'] }));

describe('slicing', () => {
  test('the slice is FNV-1a (32 bit) of the key, modulo the count: fixed values, whatever the run or Node.js version', () => {
    expect(sliceHash('')).toBe(0x811c9dc5);
    expect(sliceHash('a')).toBe(0xe40c292c);
    expect(sliceHash('foobar')).toBe(0xbf9cf968);
    expect(sliceHash('ada')).toBe(943263163);
    expect(sliceHash('é')).toBe(sliceHash('\u00e9')); // UTF-8 bytes, not UTF-16 code units
    expect(['ada', 'grace', 'linus', 'mary'].map((k) => sliceOf(k, 8))).toEqual([3, 3, 4, 6]);
    expect(rosterEntryAddress(3, 'ada')).toBe('scim_roster.accounts_03.entries["ada"]');
  });

  test('adding one person changes exactly one slice; the order people are listed in changes nothing', () => {
    const synthRosters = (people: PersonSpec[]) => {
      const app = testApp();
      const wiki = scimApp(app, directory(app, { people, teams: [{ key: 'crowd', displayName: 'Crowd' }] }), { accounts: 'roster' });
      wiki.assignTeam('crowd');
      return rosters(json(wiki));
    };
    const people = crowd(300);
    const before = synthRosters(people);
    expect(Object.keys(before)).toEqual(['accounts_00', 'accounts_01', 'accounts_02', 'accounts_03', 'accounts_04', 'accounts_05', 'accounts_06', 'accounts_07']);
    expect(Object.values(before).reduce((n, r) => n + Object.keys(r.entries).length, 0)).toBe(300);
    expect(Object.values(before).every((r) => Object.keys(r.entries).length > 20)).toBe(true); // spread over every slice
    expect(synthRosters([...people].reverse())).toEqual(before);

    const after = synthRosters([...people, { key: 'newhire', givenName: 'New', familyName: 'Hire', email: 'new@example.com', teams: ['crowd'] }]);
    const changed = Object.keys(after).filter((id) => JSON.stringify(after[id]) !== JSON.stringify(before[id]));
    expect(changed).toEqual([`accounts_0${sliceOf('newhire', 8)}`]);
    expect(Object.keys(after[changed[0]].entries).filter((k) => !(k in before[changed[0]].entries))).toEqual(['newhire']);
  });

  test('rosterSlices sets the count; every slice is declared (empty ones too) and imported with the fixed id "roster"', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { accounts: 'roster', rosterSlices: 3 });
    wiki.assignPerson('ada');
    const j = json(wiki);
    expect(Object.keys(rosters(j))).toEqual(['accounts_00', 'accounts_01', 'accounts_02']);
    expect(rosters(j).accounts_00.entries).toEqual({});
    expect(Object.keys(rosters(j)[`accounts_0${sliceOf('ada', 3)}`].entries)).toEqual(['ada']);
    expect(j.import).toEqual([0, 1, 2].map((s) => ({ to: `scim_roster.accounts_0${s}`, id: 'roster' })));
    expect(j.resource?.scim_user).toBeUndefined();
    // The state keeps the count the rosters were deployed with; a plan with another count fails (see roster-migration.test.ts).
    expect(j.resource?.terraform_data?.roster_slices).toMatchObject({ input: { slices: 3 }, lifecycle: { ignore_changes: ['input'] } });
  });
});

describe('entries', () => {
  test('attributes come from the same mapping as scim_user; managers are keys in the slice, userNames across slices', () => {
    // grace, ada → slice 3 of 8; barbara → 6. ada and barbara report to grace; ken to tim, a leaver (not provisioned).
    const app = testApp();
    const dir = directory(app, {
      people: [
        { key: 'barbara', givenName: 'Barbara', familyName: 'Liskov', email: 'barbara@example.com', manager: 'grace' },
        { key: 'ken', givenName: 'Ken', familyName: 'Thompson', email: 'ken@example.com', manager: 'tim' },
      ],
    });
    const userMode = scimApp(app, dir, { accounts: 'users' }, 'peruser');
    const wiki = scimApp(app, dir, { accounts: 'roster' });
    for (const a of [userMode, wiki]) {
      a.assignTeam('eng');
      a.assignPerson('barbara');
      a.assignPerson('ken');
    }
    const raw = json(wiki).resource!.scim_roster!.accounts_03;
    // One JSON string per person in entries_json, never the typed `entries` (15× the Terraform CPU at scale).
    expect(raw.entries).toBeUndefined();
    expect(typeof raw.entries_json.ada).toBe('string');
    const r = rosters(json(wiki));
    const perUser = (json(userMode).resource?.scim_user ?? {}) as Record<string, Record<string, unknown>>;
    const { manager_id: _m, provider: _p, on_destroy: _o, ...adaAsUser } = perUser.user_ada;
    const { manager: adaManager, ...adaEntry } = r.accounts_03.entries.ada;
    expect(adaEntry).toEqual(adaAsUser);
    expect(adaManager).toBe('grace');
    expect(r.accounts_06.entries.barbara.manager_user_name).toBe('grace@example.com');
    expect(r.accounts_06.entries.barbara.manager).toBeUndefined();
    expect(r.accounts_03.entries.grace.manager).toBeUndefined();
    expect(r.accounts_01.entries.ken).not.toHaveProperty('manager');
    expect(r.accounts_01.entries.ken).not.toHaveProperty('manager_user_name');
  });

  test('planRosters: a manager in another slice by userName, one not provisioned not at all', () => {
    const user = (userName: string, managerKey?: string) => ({ userName, managerKey }) as never;
    const plan = planRosters(
      [
        { key: 'ada', user: user('ada@x', 'grace'), active: true },
        { key: 'grace', user: user('grace@x'), active: true },
        { key: 'linus', user: user('linus@x', 'grace'), active: false, adoptId: 'u-9' },
        { key: 'mary', user: user('mary@x', 'absent'), active: true },
      ],
      8,
    );
    expect(plan.slices[3]).toEqual({
      ada: { userName: 'ada@x', active: true, manager: 'grace' },
      grace: { userName: 'grace@x', active: true },
    });
    expect(plan.slices[4]).toEqual({ linus: { userName: 'linus@x', active: false, managerUserName: 'grace@x', adoptId: 'u-9' } });
    expect(plan.slices[6]).toEqual({ mary: { userName: 'mary@x', active: true } });
  });

  test('inactive override, importId as adopt_id, onDestroy; removed blocks forget per-user resources', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { accounts: 'roster', onDestroy: 'delete' });
    wiki.assignTeam('eng');
    wiki.overrideAccount('linus', { importId: 'u-7', active: false, mappings: { title: () => 'Dev' } });
    const j = json(wiki);
    expect(rosters(j).accounts_04).toMatchObject({ on_destroy: 'delete', entries: { linus: { active: false, adopt_id: 'u-7', title: 'Dev' } } });
    expect(j.import?.every((i) => i.id === 'roster')).toBe(true); // the importId pins the entry, it is no import block
    expect(j.removed).toEqual(['ada', 'grace', 'linus'].map((k) => ({ from: `scim_user.user_${k}`, lifecycle: { destroy: false } })));
  });

  test('a per-user app forgets any roster of an earlier deployment (removed blocks for every possible slice)', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { accounts: 'users' });
    wiki.assignPerson('ada');
    const removed = json(wiki).removed ?? [];
    expect(removed).toHaveLength(100);
    expect(removed[0]).toEqual({ from: 'scim_roster.accounts_00', lifecycle: { destroy: false } });
    expect(removed[99].from).toBe('scim_roster.accounts_99');
  });

  test("pushed groups reference the rosters' account ids (a quoted map key)", () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { accounts: 'roster', pushGroups: ['eng'] });
    wiki.assignTeam('eng');
    expect(json(wiki).resource?.scim_group?.group_eng.member_ids).toEqual({
      ada: '${scim_roster.accounts_03.accounts["ada"].id}',
      grace: '${scim_roster.accounts_03.accounts["grace"].id}',
      linus: '${scim_roster.accounts_04.accounts["linus"].id}',
    });
  });

  test('twins are refused as for scim_user', () => {
    const app = testApp();
    const dir = directory(app, { people: [{ key: 'ada2', givenName: 'Ada', familyName: 'L', email: 'ada.lovelace@example.com' }] });
    const wiki = scimApp(app, dir, { accounts: 'roster' });
    wiki.assignPerson('ada');
    wiki.assignPerson('ada2');
    expect(() => synth(wiki)).toThrow(/SCIMFORM_DUPLICATE_USERNAME: userName "Ada.Lovelace@example.com" would be given to ada and ada2/);
  });
});

test('metadata: accounts mode, and each entry under its pseudo-address with the scim_user value shape', () => {
  const app = testApp();
  const dir = directory(app);
  const wiki = scimApp(app, dir, { accounts: 'roster' });
  wiki.assignTeam('eng', { role: 'Editor' });
  const meta = metadata(wiki) as { accounts: string; users: Record<string, unknown> };
  expect(meta.accounts).toBe('roster');
  expect(meta.users).toEqual({
    'scim_roster.accounts_03.entries["ada"]': { person: 'ada', userName: 'Ada.Lovelace@example.com', roles: ['Editor'], via: ['team:eng (Editor)'], declared: 'Org (people): people[1]' },
    'scim_roster.accounts_03.entries["grace"]': { person: 'grace', userName: 'grace@example.com', roles: ['Editor'], via: ['team:eng (Editor)'], declared: 'Org (people): people[0]' },
    'scim_roster.accounts_04.entries["linus"]': { person: 'linus', userName: 'linus@example.com', roles: ['Editor'], via: ['team:eng (Editor)'], declared: 'Org (people): people[2]' },
  });
  const perUser = scimApp(app, dir, { accounts: 'users' }, 'other');
  perUser.assignPerson('ada');
  expect(metadata(perUser)).toMatchObject({ accounts: 'users', users: { 'scim_user.user_ada': { person: 'ada' } } });
});

describe('options', () => {
  const thrown = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected an error');
  };

  test('ScimApp: accounts and rosterSlices of the wrong shape are named, with the values that work', () => {
    const app = testApp();
    const dir = directory(app);
    expect(thrown(() => scimApp(app, dir, { accounts: 'rosters' as never }, 'a'))).toBe(
      `SCIMFORM_INVALID_OPTION: a: "accounts" must be 'roster' (people as entries of scim_roster slices) or 'users' (one scim_user each), not 'rosters'`,
    );
    expect(thrown(() => scimApp(app, dir, { accounts: 'roster', rosterSlices: 0 }, 'b'))).toBe(
      'SCIMFORM_INVALID_OPTION: b: "rosterSlices" must be a whole number from 1 to 100 (got 0), e.g. rosterSlices: 8 (the default; about one slice per 1,500 people)',
    );
    if (DEFAULT_ACCOUNTS_MODE === 'users') {
      const plain = () => new ScimApp(app, 'd', { directory: dir, endpoint: SANDBOX, rosterSlices: 4 });
      expect(thrown(plain)).toBe(`SCIMFORM_INVALID_OPTION: d: "rosterSlices" applies only to rosters: remove it, or set accounts: 'roster'`);
    }
    expect(thrown(() => scimApp(app, dir, { accounts: 'users', rosterSlices: 4 }, 'c'))).toBe(
      `SCIMFORM_INVALID_OPTION: c: "rosterSlices" applies only to rosters: remove it, or set accounts: 'roster'`,
    );
  });

  describe('apps.yaml', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-rosters-'));
      fs.mkdirSync(path.join(dir, 'sandbox'));
      fs.writeFileSync(path.join(dir, 'sandbox', 'credentials.json'), JSON.stringify({ generic: { baseUrl: 'http://127.0.0.1:9/generic/scim/v2', token: 't' } }));
      fs.writeFileSync(path.join(dir, 'teams.yaml'), 'teams:\n  - key: eng\n    displayName: Engineering\n');
      fs.writeFileSync(path.join(dir, 'people.yaml'), 'people:\n  - key: ada\n    givenName: Ada\n    familyName: Lovelace\n    email: ada@example.com\n    teams: [eng]\n');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
    const HEAD = '  - key: wiki\n    target: { envPrefix: SCIMFORM_WIKI, sandboxTenant: generic }\n    assign: [{ team: eng }]\n';
    const load = (extra: string) => {
      fs.writeFileSync(path.join(dir, 'apps.yaml'), `apps:\n${HEAD}${extra}`);
      return loadOrganisation(Testing.app(), { orgDir: dir, relativeTo: dir, sandboxDir: path.join(dir, 'sandbox'), env: {} });
    };
    const problems = (extra: string) => {
      try {
        load(extra);
      } catch (e) {
        expect(e).toBeInstanceOf(DirectoryError);
        return (e as DirectoryError).problems;
      }
      throw new Error('expected apps.yaml to be rejected');
    };

    test('accountsAs: roster and rosterSlices declare the app with rosters', () => {
      const { apps } = load('    accountsAs: roster\n    rosterSlices: 2\n');
      const j = json(apps.wiki);
      expect(Object.keys(rosters(j))).toEqual(['accounts_00', 'accounts_01']);
      expect(rosters(j)[`accounts_0${sliceOf('ada', 2)}`].entries.ada).toMatchObject({ user_name: 'ada@example.com' });
    });

    test('wrong values are reported with file, field and line', () => {
      expect(problems('    accountsAs: rosters\n    rosterSlices: 2.5\n')).toEqual([
        'apps.yaml: apps[0].accountsAs: must be "roster" (people as entries of scim_roster slices) or "users" (one scim_user each) (line 5)',
        'apps.yaml: apps[0].rosterSlices: must be a whole number of rosters from 1 to 100, e.g. 8 (line 6)',
      ]);
      expect(problems('    accountsAs: users\n    rosterSlices: 4\n')).toEqual([
        'apps.yaml: apps[0].rosterSlices: applies only to rosters: remove it, or set accountsAs: roster (line 6)',
      ]);
      if (DEFAULT_ACCOUNTS_MODE === 'users') {
        expect(problems('    rosterSlices: 4\n')).toEqual(['apps.yaml: apps[0].rosterSlices: applies only to rosters: remove it, or set accountsAs: roster (line 5)']);
      }
    });
  });
});
