// Loading the directory from org files: valid files become people and teams; every invalid entry is
// reported with its file, field path and line, and references between entries are checked.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { Directory, DirectoryError, loadDirectory } from '../../lib';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-org-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
const load = () => loadDirectory(Testing.app(), 'Org', { orgDir: dir, relativeTo: path.dirname(dir) });
const problems = () => {
  try {
    load();
  } catch (e) {
    expect(e).toBeInstanceOf(DirectoryError);
    return (e as DirectoryError).problems;
  }
  throw new Error('expected the directory to be rejected');
};
const base = path.basename.bind(path);

const person = (key: string, extra = '') =>
  `  - key: ${key}\n    givenName: ${key}\n    familyName: Test\n    email: ${key}@example.com\n${extra}`;

describe('org files', () => {
  test('loads people and teams; team membership comes from either side', () => {
    write('teams.yaml', 'teams:\n  - key: eng\n    displayName: Engineering\n    members: [bob]\n');
    write('people.yaml', `people:\n${person('ada', '    teams: [eng]\n    title: Engineer\n')}${person('bob', '    manager: ada\n')}`);
    const d = load();
    expect(d.people.map((p) => p.key)).toEqual(['ada', 'bob']);
    expect(d.team('eng')!.members.map((p) => p.key)).toEqual(['ada', 'bob']);
    expect(d.person('bob')!.manager?.key).toBe('ada');
    expect(d.person('ada')!.userName).toBe('ada@example.com');
    expect(d.person('ada')!.title).toBe('Engineer');
  });

  test('JSON files work too', () => {
    write('people.json', JSON.stringify({ people: [{ key: 'ada', givenName: 'Ada', familyName: 'L', email: 'ada@example.com' }] }));
    expect(load().people).toHaveLength(1);
  });

  test('an invalid email names file, index, field and line', () => {
    write('people.yaml', `people:\n${person('a')}${person('b')}${person('c')}  - key: d\n    givenName: D\n    familyName: D\n    email: not-an-email\n`);
    expect(problems()).toEqual([`${base(dir)}/people.yaml: people[3].email: invalid email — e.g. \`email: ada@example.com\` (line 17)`]);
  });

  test('every problem is reported at once: unknown fields, bad keys, missing names, leaver without date', () => {
    write('people.yaml', 'people:\n  - key: Ada\n    givenName: Ada\n    familyName: ""\n    email: ada@example.com\n    titel: Engineer\n    status: leaver\n');
    const p = problems().map((m) => m.replace(/ \(line \d+\)$/, ''));
    const f = `${base(dir)}/people.yaml`;
    expect(p).toEqual(
      expect.arrayContaining([
        `${f}: people[0].key: invalid person key: use lower-case letters, digits, "-" and "_", starting with a letter or digit — e.g. \`key: ada\``,
        `${f}: people[0].familyName: must not be empty — e.g. \`familyName: Lovelace\``,
        `${f}: people[0]: unknown field "titel" — did you mean "title"?`,
        `${f}: people[0].leaveDate: a leaver needs a leaveDate (YYYY-MM-DD) — e.g. \`leaveDate: 2025-01-31\``,
      ]),
    );
  });

  test('each problem comes with a hint of the fix: did you mean, a missing field, the expected shape with an example line', () => {
    write('teams.yaml', 'teams:\n  - key: eng\n    name: Engineering\n    members: ada\n');
    write('people.yaml', 'people:\n  - key: Ada Lovelace\n    givenName: Ada\n    familyName: Lovelace\n    emial: ada@example.com\n    teams: eng\n    attributes: contractor\n    shoeSize: 42\n');
    const p = problems().map((m) => m.replace(/^.*?(people|teams)\.yaml: /, ''));
    expect(p).toEqual(
      expect.arrayContaining([
        'teams[0].displayName: is missing — add `displayName: Engineering` to this entry (line 2)',
        'teams[0]: unknown field "name" — did you mean "displayName"? (line 2)',
        'teams[0].members: must be a list — write it as `members: [ada, grace]` (line 4)',
        'people[0].key: invalid person key: use lower-case letters, digits, "-" and "_", starting with a letter or digit — e.g. `key: ada-lovelace` (line 2)',
        'people[0].email: is missing — add `email: ada@example.com` to this entry (line 2)',
        'people[0]: unknown field "emial" — did you mean "email"?; unknown field "shoeSize" — the fields are key, userName, givenName, familyName, middleName, displayName, email, emails, phone, title, department, manager, employeeNumber, costCenter, division, organization, teams, status, leaveDate, attributes; free-form values go under `attributes: { shoeSize: … }` (line 2)',
        'people[0].teams: must be a list — write it as `teams: [engineering, sales]` (line 6)',
        'people[0].attributes: must be a mapping — write it as `attributes: { contractor: true }` (line 7)',
      ]),
    );
  });

  test('a file without its top-level list says how the file starts', () => {
    write('people.yaml', 'persons:\n  - key: ada\n');
    write('teams.yaml', 'teams:\n  key: eng\n');
    const f = base(dir);
    expect(problems()).toEqual([
      `${f}/people.yaml: people: is missing — the file starts with \`people:\` followed by one \`- key: ada\` entry per person, indented`,
      `${f}/people.yaml: unknown top-level field "persons" — the file holds only \`people:\``,
      `${f}/teams.yaml: teams: must be a list — write \`teams:\` followed by one \`- key: engineering\` entry per team, indented (each entry starts with "- ")`,
    ]);
  });

  test('invalid dates are rejected', () => {
    write('people.yaml', `people:\n${person('ada', '    status: leaver\n    leaveDate: "2025-02-30"\n')}`);
    expect(problems()[0]).toMatch(/people\[0\]\.leaveDate: invalid date: use YYYY-MM-DD/);
  });

  test('references: unknown manager, unknown team, unknown member, manager cycle, duplicate key', () => {
    write('teams.yaml', 'teams:\n  - key: eng\n    displayName: Engineering\n    members: [zoe]\n');
    write(
      'people.yaml',
      `people:\n${person('ada', '    manager: bob\n    teams: [eng, ops]\n')}${person('bob', '    manager: ada\n')}${person('cy', '    manager: nobody\n')}${person('cy')}`,
    );
    const f = `${base(dir)}/people.yaml`;
    const p = problems();
    expect(p).toContain(`${f}: people[3].key: duplicate person key "cy" (also ${f}: people[2])`);
    // reference problems are checked once every entry is valid
    write(
      'people.yaml',
      `people:\n${person('ada', '    manager: bob\n    teams: [eng, ops]\n')}${person('bob', '    manager: ada\n')}${person('cy', '    manager: nobody\n')}`,
    );
    expect(problems()).toEqual([
      `${f}: people[0].teams[1]: unknown team "ops" (add it to ${base(dir)}/teams.yaml or fix the key)`,
      `${f}: people[2].manager: unknown person "nobody" (add them to ${f} or fix the key)`,
      `${base(dir)}/teams.yaml: teams[0].members[0]: unknown person "zoe" (add them to ${f} or fix the key)`,
      `${f}: people[0].manager: managers form a cycle (ada → bob → ada); break it in ${f}`,
    ]);
  });

  test('YAML syntax errors name the line and column', () => {
    write('people.yaml', 'people:\n  - key: ada\n   givenName: [unclosed\n');
    expect(problems()[0]).toMatch(new RegExp(`^${base(dir)}/people.yaml:\\d+:\\d+: invalid YAML: `));
  });

  test('a YAML mistake shows the offending line and how to fix it; follow-on errors are summarised', () => {
    write('people.yaml', `people:\n${person('ada', '    title: Engineer\n    title: Manager\n')}`);
    expect(problems()).toEqual([
      `${base(dir)}/people.yaml:7:5: invalid YAML: Map keys must be unique (\`title: Manager\`) — this key appears twice in the same entry: keep one of them`,
    ]);
    write('people.yaml', `people:\n${person('ada')}\tgivenName: Ada\n    title: a\n\ttitle: b\n  - key: x\n\t\tfoo: [\n`);
    const p = problems();
    expect(p[0]).toBe(`${base(dir)}/people.yaml:6:1: invalid YAML: Tabs are not allowed as indentation (\`givenName: Ada\`) — indent with spaces, not tabs`);
    expect(p.length).toBeLessThanOrEqual(4);
    expect(p[p.length - 1]).toMatch(/more YAML error\(s\) after these, probably caused by the first; fix it and run again$/);
  });

  test('a missing people file says where it looked and how to point elsewhere', () => {
    expect(problems()[0]).toBe(
      `${base(dir)}/people.yaml: not found. Create it (see the README) or set SCIMFORM_ORG_DIR to the folder holding people.yaml`,
    );
  });

  test('people declared in code are validated the same way', () => {
    const d = new Directory(Testing.app(), 'Org');
    expect(() => d.addPerson({ key: 'ada', givenName: 'Ada', familyName: 'L', email: 'nope' })).toThrow(
      'Org: person "ada".email: invalid email',
    );
    d.addPerson({ key: 'ada', givenName: 'Ada', familyName: 'L', email: 'ada@example.com', manager: 'ghost' });
    expect(() => d.assertValid()).toThrow('Org: person "ada".manager: unknown person "ghost"');
  });
});
