// Attribute mappings: each profile's defaults produce the scim_user attributes that app expects, and
// every mapping can be replaced by a TypeScript function or dropped.
import { Testing } from 'cdktf';
import { User } from '../../lib/generated/scim/user';
import { Credential, map } from '../../lib';
import { directory, scimApp, synth, synthJson, testApp, users } from './fixtures';

Testing.setupJest();

describe('default mappings per profile', () => {
  test('generic: core and enterprise attributes, roles, and the manager as a reference to their account', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app));
    wiki.assignPerson('grace');
    wiki.assignPerson('ada', { role: 'Editor' });
    const u = users(synthJson(wiki));
    expect(u.user_ada).toEqual(
      expect.objectContaining({
        user_name: 'Ada.Lovelace@example.com',
        external_id: 'ada',
        display_name: 'Ada Lovelace',
        name: { given_name: 'Ada', family_name: 'Lovelace' },
        emails: [{ value: 'Ada.Lovelace@example.com', type: 'work', primary: true }],
        title: 'Engineer',
        department: 'Engineering',
        employee_number: '1002',
        roles: ['Editor'],
        manager_id: '${scim_user.user_grace.id}',
        active: true,
      }),
    );
    expect(u.user_grace.manager_id).toBeUndefined();
    expect(u.user_grace.roles).toBeUndefined(); // no role assigned: nothing sent
  });

  test('a manager who is not provisioned in the app is left out (nothing to point at)', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app));
    wiki.assignPerson('ada');
    expect(users(synthJson(wiki)).user_ada.manager_id).toBeUndefined();
  });

  test('proxyclick: userName and email come from one value; no enterprise attributes', () => {
    const app = testApp();
    const pc = scimApp(app, directory(app), { profile: 'proxyclick' }, 'proxyclick');
    pc.assignPerson('ada');
    const ada = users(synthJson(pc)).user_ada;
    expect(ada.user_name).toBe('Ada.Lovelace@example.com');
    expect(ada.emails).toEqual([{ value: 'Ada.Lovelace@example.com', type: 'work', primary: true }]);
    expect(ada.department).toBeUndefined();
    expect(ada.manager_id).toBeUndefined();
    expect(ada.title).toBe('Engineer');
  });

  test('promapp: names, email, title; proxy: adds department', () => {
    const app = testApp();
    const dir = directory(app);
    const pm = scimApp(app, dir, { profile: 'promapp' }, 'promapp');
    pm.assignPerson('mary');
    const px = scimApp(app, dir, { profile: 'proxy', credentials: { username: Credential.env('U'), password: Credential.env('P') } }, 'proxy');
    px.assignPerson('mary');
    expect(Object.keys(users(synthJson(pm)).user_mary).filter((k) => k !== '//').sort()).toEqual(
      ['active', 'emails', 'external_id', 'name', 'on_destroy', 'provider', 'title', 'user_name'],
    );
    expect(users(synthJson(px)).user_mary).toMatchObject({ department: 'Sales', display_name: 'Mary Jackson' });
  });
});

describe('overrides', () => {
  test('a function replaces a default; null drops it; new attributes can be mapped', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), {
      mappings: {
        userName: (p) => p.email.toLowerCase(),
        title: (p) => (p.title ? p.title.toUpperCase() : undefined),
        department: null,
        userType: map.constant('Employee'),
        costCenter: (p) => (p.department === 'Engineering' ? 'CC-100' : undefined),
      },
    });
    wiki.assignPerson('ada');
    expect(synth(wiki)).toHaveResourceWithProperties(User, {
      user_name: 'ada.lovelace@example.com',
      title: 'ENGINEER',
      user_type: 'Employee',
      cost_center: 'CC-100',
    });
    expect(users(synthJson(wiki)).user_ada.department).toBeUndefined();
  });

  test('mapping functions see the roles and the teams that gave the app', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), {
      mappings: { userType: (_p, ctx) => `${ctx.app}:${ctx.viaTeams.map((t) => t.key).join(',')}:${ctx.roles.join(',')}` },
    });
    wiki.assignTeam('eng', { role: 'Editor' });
    expect(users(synthJson(wiki)).user_ada.user_type).toBe('wiki:eng:Editor');
  });

  test('empty values are never sent', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { mappings: { title: () => '  ', nickName: () => null } });
    wiki.assignPerson('ada');
    const ada = users(synthJson(wiki)).user_ada;
    expect(ada.title).toBeUndefined();
    expect(ada.nick_name).toBeUndefined();
  });
});
