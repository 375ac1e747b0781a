// Apps as data: apps.yaml becomes ScimApp constructs — assignments, groups, scope, declarative mappings
// ({{templates}}, constants, null, functions registered in code) and what an app already holds (import
// blocks, inactive accounts, per-person overrides) — and every mistake is reported with file, field and line.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { DirectoryError, loadOrganisation, type OrgFunctions } from '../../lib';
import { synthJson, users, groups } from './fixtures';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-apps-'));
  fs.mkdirSync(path.join(dir, 'sandbox'));
  fs.writeFileSync(path.join(dir, 'sandbox', 'credentials.json'), JSON.stringify({ generic: { baseUrl: 'http://127.0.0.1:9/generic/scim/v2', token: 't' } }));
  fs.writeFileSync(path.join(dir, 'teams.yaml'), 'teams:\n  - key: eng\n    displayName: Engineering\n');
  fs.writeFileSync(
    path.join(dir, 'people.yaml'),
    'people:\n' +
      '  - key: ada\n    givenName: Ada\n    familyName: Lovelace\n    email: ada@example.com\n    title: Engineer\n    teams: [eng]\n' +
      '  - key: bob\n    givenName: Bob\n    familyName: Stone\n    email: bob@example.com\n    teams: [eng]\n    attributes:\n      contractor: true\n',
  );
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const APP_HEAD = '  - key: wiki\n    profile: generic\n    target: { envPrefix: SCIMFORM_WIKI, sandboxTenant: generic }\n';
const load = (apps: string, functions: OrgFunctions = {}) => {
  fs.writeFileSync(path.join(dir, 'apps.yaml'), `apps:\n${apps}`);
  // One scim_user per person (what these cases inspect); rosters from apps.yaml: rosters.test.ts.
  return loadOrganisation(Testing.app(), { orgDir: dir, relativeTo: dir, sandboxDir: path.join(dir, 'sandbox'), env: {}, functions, props: () => ({ accounts: 'users' }) });
};
const problems = (apps: string, functions: OrgFunctions = {}) => {
  try {
    load(apps, functions);
  } catch (e) {
    expect(e).toBeInstanceOf(DirectoryError);
    return (e as DirectoryError).problems;
  }
  throw new Error('expected apps.yaml to be rejected');
};

test('apps.yaml declares assignments, groups, scope and mappings: templates, constants, null and code functions', () => {
  const { apps } = load(
    APP_HEAD +
      '    pushGroups: [eng]\n' +
      '    assign:\n      - team: eng\n        role: Editor\n' +
      '    scope: [[{ attribute: contractor, operator: IS NULL }]]\n' +
      '    mappings:\n      displayName: "{{givenName}} ({{title}})"\n      nickName: Wiki user\n      title: null\n      userType: { function: kind }\n',
    { kind: (p) => (p.get('contractor') ? 'Contractor' : 'Employee') },
  );
  const j = synthJson(apps.wiki);
  expect(Object.keys(users(j))).toEqual(['user_ada']); // bob is a contractor: out of scope
  expect(users(j).user_ada).toMatchObject({ display_name: 'Ada (Engineer)', nick_name: 'Wiki user', user_type: 'Employee', roles: ['Editor'], active: true });
  expect(users(j).user_ada.title).toBeUndefined();
  expect(Object.keys(groups(j))).toEqual(['group_eng']);
});

test('accounts and groups an app holds: import blocks, an inactive assignment, per-person literal overrides', () => {
  const { apps } = load(
    APP_HEAD +
      '    pushGroups: [eng]\n' +
      '    assign:\n      - person: ada\n      - person: bob\n' +
      '    accounts:\n' +
      '      ada: { id: "u-1", attributes: { title: "Engineer ${x}", externalId: null, emails: [{ value: ADA@example.com, type: work, primary: true }] } }\n' +
      '      bob: { id: "u-2", active: false }\n' +
      '    groups:\n      eng: { id: "g-1", externalId: null }\n',
  );
  const j = synthJson(apps.wiki) as ReturnType<typeof synthJson> & { import?: { to: string; id: string }[] };
  expect(j.import?.map((i) => [i.to, i.id]).sort()).toEqual([
    ['scim_group.group_eng', JSON.stringify({ id: 'g-1', member_ids: { ada: 'u-1', bob: 'u-2' } })], // keyed: the import is already in member_ids form
    ['scim_user.user_ada', 'u-1'],
    ['scim_user.user_bob', 'u-2'],
  ]);
  // A literal `${` reaches the app unchanged: escaped for Terraform.
  expect(users(j).user_ada).toMatchObject({ title: 'Engineer $${x}', emails: [{ value: 'ADA@example.com', type: 'work', primary: true }] });
  expect(users(j).user_ada.external_id).toBeUndefined();
  expect(users(j).user_bob).toMatchObject({ active: false, external_id: 'bob' });
  expect(groups(j).group_eng.external_id).toBeUndefined();
});

test('every mistake is reported with file, field and line; Terraform interpolation is refused with a hint', () => {
  expect(problems("  - key: wiki\n    profile: okta\n    target: { envPrefix: wiki, sandboxTenant: generic }\n    colour: red\n")).toEqual([
    'apps.yaml: apps[0].profile: must be one of generic, proxyclick, promapp, proxy (line 3)',
    'apps.yaml: apps[0].target.envPrefix: must be an environment variable prefix such as SCIMFORM_WIKI (line 4)',
    'apps.yaml: apps[0]: unknown field "colour" — the fields here are key, title, profile, target, onDestroy, pushGroups, assign, scope, mappings, accounts, groups, accountsAs, rosterSlices (line 2)',
  ]);
  const p = problems(
    APP_HEAD +
      '    assign:\n      - team: ops\n' +
      '    accounts:\n      zed: { id: "u-9" }\n' +
      '    mappings:\n      displayName: "${var.name}"\n      title: "{{jobTitle}}"\n      userType: { function: missing }\n',
  );
  expect(p).toEqual([
    'apps.yaml: apps[0].assign[0].team: unknown team "ops" (add it to teams.yaml or fix the key) (line 6)',
    'apps.yaml: apps[0].accounts.zed: unknown person "zed" (add them to people.yaml or fix the key) (line 8)',
    'apps.yaml: apps[0].mappings.displayName: "${var.name}" looks like Terraform interpolation, which mappings do not use; write person attributes as {{givenName}} (a template) or remove the "${" (line 10)',
    'apps.yaml: apps[0].mappings.title: unknown person attribute(s) {{jobTitle}} (use a person field such as {{givenName}} or a key of people\'s attributes) (line 11)',
    'apps.yaml: apps[0].mappings.userType: no function "missing" is registered in code (none is registered); pass it in loadOrganisation({ functions }) (line 12)',
  ]);
});
