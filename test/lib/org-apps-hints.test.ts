// A field of apps.yaml written at the wrong level or mistyped is answered with where it belongs (a role in
// an assignment, envPrefix inside target, credentials in the environment) or the field meant.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { DirectoryError, loadOrganisation } from '../../lib';
import { fieldsAt } from '../../lib/org-hints';
import { appSpecSchema } from '../../lib/org-apps-schema';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-apps-hints-'));
  fs.writeFileSync(path.join(dir, 'teams.yaml'), 'teams:\n  - key: eng\n    displayName: Engineering\n');
  fs.writeFileSync(path.join(dir, 'people.yaml'), 'people:\n  - key: ada\n    givenName: Ada\n    familyName: Lovelace\n    email: ada@example.com\n    teams: [eng]\n');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const problems = (apps: string): string[] => {
  fs.writeFileSync(path.join(dir, 'apps.yaml'), `apps:\n${apps}`);
  try {
    loadOrganisation(Testing.app(), { orgDir: dir, relativeTo: dir, sandboxDir: dir, env: {} });
  } catch (e) {
    expect(e).toBeInstanceOf(DirectoryError);
    return (e as DirectoryError).problems;
  }
  throw new Error('expected apps.yaml to be rejected');
};

test('misplaced and mistyped app fields say where they belong', () => {
  const p = problems(
    '  - key: wiki\n' +
      '    profile: generic\n' +
      '    role: Editor\n' +
      '    envPrefix: SCIMFORM_WIKI\n' +
      '    target: { envPrefix: SCIMFORM_WIKI, sandboxTenant: generic, endpont: x }\n' +
      '    pushgroups: [eng]\n' +
      '    assign:\n' +
      '      - team: eng\n' +
      '        pushGroups: [eng]\n',
  );
  expect(p).toEqual(
    expect.arrayContaining([
      'apps.yaml: apps[0]: unknown field "role" — a role belongs to an assignment: `assign: [{ team: engineering, role: Editor }]`; ' +
        'unknown field "envPrefix" — it belongs inside `target: { envPrefix: SCIMFORM_WIKI, sandboxTenant: generic }`; ' +
        'unknown field "pushgroups" — did you mean "pushGroups"? (line 2)',
      'apps.yaml: apps[0].target: unknown field "endpont" — the fields here are envPrefix, sandboxTenant (line 6)',
      'apps.yaml: apps[0].assign[0]: unknown field "pushGroups" — it is an app field: `pushGroups: [engineering]` next to `assign:` (line 9)',
    ]),
  );
});

test('the fields allowed at a path are read from the schema', () => {
  expect(fieldsAt(appSpecSchema, ['assign', 0])).toEqual(['person', 'team', 'role']);
  expect(fieldsAt(appSpecSchema, ['accounts', 'ada'])).toEqual(['id', 'active', 'attributes']);
  expect(fieldsAt(appSpecSchema, ['scope'])).toBeUndefined();
});
