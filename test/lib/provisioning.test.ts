// Who an app provisions: team assignments expand to members, roles add up, "Default Access" is not
// provisioned (and says so), leavers and people outside the scoping filter get no resource — so an existing
// account is deactivated (or deleted when the app's policy says so) — and nobody unassigned is provisioned.
import { Testing } from 'cdktf';
import { User } from '../../lib/generated/scim/user';
import { Group } from '../../lib/generated/scim/group';
import { ScimProvider } from '../../lib/generated/scim/provider';
import { directory, groups, scimApp, synth, synthJson, testApp, users } from './fixtures';

Testing.setupJest();

describe('assignments', () => {
  test('a team assignment provisions its current members only; unassigned people get nothing', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app));
    wiki.assignTeam('eng');
    const j = synthJson(wiki);
    expect(Object.keys(users(j)).sort()).toEqual(['user_ada', 'user_grace', 'user_linus']); // tim left, mary unassigned
    expect(synth(wiki)).toHaveResourceWithProperties(User, { user_name: 'grace@example.com', active: true });
  });

  test('roles from several assignments add up; Default Access alone is not provisioned and is annotated', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app));
    wiki.assignTeam('eng', { role: 'Editor' });
    wiki.assignPerson('ada', { role: 'Admin' });
    wiki.assignPerson('mary', { role: 'Default Access' });
    wiki.assignPerson('grace', { role: 'Default Access' }); // also Editor through the team
    const u = users(synthJson(wiki));
    expect(u.user_ada.roles).toEqual(['Admin', 'Editor']);
    expect(u.user_grace.roles).toEqual(['Editor']);
    expect(u.user_mary).toBeUndefined();
    const infos = wiki.node.metadata.filter((m) => m.type === '@cdktf/info').map((m) => m.data as string);
    expect(infos).toContain(
      'mary: assigned only with the "Default Access" role (person:mary (Default Access)), which is not provisioned — not provisioned',
    );
    expect(wiki.provisioning.excluded.map((e) => [e.person.key, e.reason])).toEqual([
      ['mary', 'default-access'],
      ['tim', 'leaver'],
    ]);
  });

  test('a leaver past their leave date gets no resource, so the provider deactivates an existing account', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app));
    wiki.assignTeam('eng');
    expect(users(synthJson(wiki)).user_tim).toBeUndefined();
    const note = wiki.node.metadata.find((m) => String(m.data).startsWith('tim:'));
    expect(note?.data).toBe('tim: left on 2020-01-31 — not provisioned; an existing account is deactivated');
  });

  test('a leaver whose date is still ahead stays provisioned until then', () => {
    const app = testApp();
    const dir = directory(app, {
      people: [{ key: 'zoe', givenName: 'Zoe', familyName: 'Z', email: 'zoe@example.com', status: 'leaver', leaveDate: '2025-12-31', teams: ['eng'] }],
    });
    const wiki = scimApp(app, dir);
    wiki.assignTeam('eng');
    expect(users(synthJson(wiki)).user_zoe).toMatchObject({ active: true, user_name: 'zoe@example.com' });
  });

  test('the on-destroy policy travels with every account: deactivate by default, delete when the app says so', () => {
    const app = testApp();
    const dir = directory(app);
    const a = scimApp(app, dir, {}, 'a');
    a.assignPerson('ada');
    const b = scimApp(app, dir, { onDestroy: 'delete' }, 'b');
    b.assignPerson('ada');
    expect(users(synthJson(a)).user_ada.on_destroy).toBe('deactivate');
    expect(users(synthJson(b)).user_ada.on_destroy).toBe('delete');
    expect(synth(b)).toHaveProviderWithProperties(ScimProvider, { on_destroy: 'delete' });
  });

  test('roles an app profile does not send are announced, not silently dropped', () => {
    const app = testApp();
    const dir = directory(app);
    const promapp = scimApp(app, dir, { profile: 'promapp' }, 'promapp');
    promapp.assignPerson('mary', { role: 'Promaster' });
    promapp.assignTeam('eng');
    const j = synthJson(promapp);
    expect(users(j).user_mary.roles).toBeUndefined();
    const infos = promapp.node.metadata.filter((m) => m.type === '@cdktf/info').map((m) => m.data as string);
    expect(infos).toContain(
      'roles are not sent to promapp (profile "promapp" has no roles mapping; add mappings.roles to send them): mary (Promaster)',
    );
    const wiki = scimApp(app, dir);
    wiki.assignPerson('mary', { role: 'Editor' });
    synth(wiki);
    expect(wiki.node.metadata.map((m) => String(m.data)).filter((d) => d.startsWith('roles are not sent'))).toEqual([]);
  });

  test('a delete policy is what leaver annotations announce', () => {
    const app = testApp();
    const b = scimApp(app, directory(app), { onDestroy: 'delete' });
    b.assignTeam('eng');
    synth(b);
    expect(b.node.metadata.map((m) => m.data)).toContain('tim: left on 2020-01-31 — not provisioned; an existing account is deleted');
  });
});

describe('scoping filters', () => {
  test('Entra-style clause groups: AND inside a group, OR across groups', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), {
      scope: [
        [
          { attribute: 'department', operator: 'EQUALS', value: 'Engineering' },
          { attribute: 'contractor', operator: 'IS NULL' },
        ],
        [{ attribute: 'title', operator: 'REGEX MATCH', value: '^Head of' }],
      ],
    });
    wiki.assignTeam('eng');
    wiki.assignTeam('sales');
    expect(Object.keys(users(synthJson(wiki))).sort()).toEqual(['user_ada', 'user_grace', 'user_mary']);
    const out = wiki.provisioning.excluded.find((e) => e.person.key === 'linus');
    expect(out?.reason).toBe('out-of-scope');
    expect(out?.detail).toBe(
      'outside the scoping filter ((department EQUALS "Engineering" AND contractor IS NULL) OR (title REGEX MATCH "^Head of"))',
    );
  });

  test.each([
    ['EQUALS', 'department', 'Engineering', ['ada', 'grace', 'linus']],
    ['EQUALS is case-sensitive', 'department', 'engineering', []],
    ['NOT EQUALS', 'department', 'Engineering', ['mary']],
    ['IS TRUE', 'contractor', undefined, ['linus']],
    ['IS FALSE', 'contractor', undefined, []],
    ['IS NULL', 'title', undefined, ['linus']],
    ['IS NOT NULL', 'employeeNumber', undefined, ['ada', 'grace', 'mary']],
    ['REGEX MATCH (case-sensitive)', 'email', '^[a-g]', ['grace']],
    ['NOT REGEX MATCH', 'email', '^[a-g]', ['ada', 'linus', 'mary']],
    ['GREATER_THAN', 'employeeNumber', 1001, ['ada', 'mary']],
    ['LESS_THAN', 'employeeNumber', 2000, ['ada', 'grace']],
  ])('%s', (label, attribute, value, expected) => {
    const operator = label.replace(/ is .*| \(.*\)$/, '') as never;
    const app = testApp();
    const wiki = scimApp(app, directory(app), { scope: [[{ attribute, operator, value }]] });
    wiki.assignTeam('eng');
    wiki.assignTeam('sales');
    const provisioned = wiki.decideAccess().provisioned.map((g) => g.person.key);
    expect(provisioned).toEqual(expected);
  });

  test('a TypeScript predicate works as a filter', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { scope: (p) => p.email.endsWith('@example.com') && p.key !== 'ada' });
    wiki.assignTeam('eng');
    expect(Object.keys(users(synthJson(wiki))).sort()).toEqual(['user_grace', 'user_linus']);
  });
});

describe('group push', () => {
  test('a pushed team becomes a group whose members are its provisioned members', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { pushGroups: ['eng'], scope: [[{ attribute: 'contractor', operator: 'IS NULL' }]] });
    wiki.assignTeam('eng');
    const j = synthJson(wiki);
    expect(groups(j).group_eng).toMatchObject({
      display_name: 'Engineering',
      external_id: 'eng',
      member_ids: { ada: '${scim_user.user_ada.id}', grace: '${scim_user.user_grace.id}' },
    });
    expect(synth(wiki)).toHaveResourceWithProperties(Group, { display_name: 'Engineering' });
  });

  test('group mappings can be overridden', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { pushGroups: ['sales'], groupMappings: { displayName: (t) => `team-${t.key}`, externalId: null } });
    wiki.assignTeam('sales');
    const g = groups(synthJson(wiki)).group_sales;
    expect(g.display_name).toBe('team-sales');
    expect(g.external_id).toBeUndefined();
  });
});
