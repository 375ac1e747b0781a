// From what the apps hold to the org files (buildOrg, no I/O): matching by externalId when emails differ,
// leavers only when no app could still hold the account as pending and no group holds the person, and
// 10,000 accounts in each of four apps in a few seconds.
import type { ScimUser } from '../../providers/scim/client';
import { buildOrg } from '../../cli/import/build-org';
import type { AppSnapshot } from '../../cli/import/import-model';

const user = (id: string, userName: string, extra: Partial<ScimUser> = {}): ScimUser => ({
  id,
  userName,
  name: { givenName: 'Test', familyName: userName.split('@')[0] },
  emails: [{ value: userName, type: 'work', primary: true }],
  ...extra,
});
const app = (key: string, users: ScimUser[], extra: Partial<AppSnapshot> = {}): AppSnapshot => ({
  key,
  title: key,
  profile: 'generic',
  canBePending: false,
  supportsGroups: true,
  users,
  groups: [],
  target: { envPrefix: `SCIMFORM_${key.toUpperCase()}`, sandboxTenant: 'generic' },
  ...extra,
});

test('matches by externalId when the emails differ; leavers and kept-inactive people', () => {
  const org = buildOrg(
    [
      app('hr', [user('1', 'kim@old.example.com', { externalId: 'E7' }), user('2', 'lee@example.com', { active: false }), user('3', 'sam@example.com', { active: false })]),
      app('wiki', [user('a', 'kim@new.example.com', { externalId: 'E7' }), user('b', 'sam@example.com', { active: false })], {
        groups: [{ id: 'g', displayName: 'Readers', members: [{ value: 'b' }] }],
      }),
    ],
    '2026-01-02',
  );
  expect(org.people.map((p) => [p.key, p.status ?? 'active', p.leaveDate])).toEqual([
    ['kim', 'active', undefined],
    ['lee', 'leaver', '2026-01-02'],
    ['sam', 'active', undefined],
  ]);
  expect(org.findings.matched.map((m) => m.person)).toEqual(['kim', 'sam']);
  expect(org.findings.keptInactive).toEqual([{ person: 'sam', reason: 'still a member of a group' }]);
  const wiki = org.apps.find((a) => a.key === 'wiki')!;
  // kim's wiki account keeps its own userName and emails; the externalId is not the key, so it is pinned.
  expect(wiki.accounts.kim).toMatchObject({ id: 'a', attributes: { userName: 'kim@new.example.com', externalId: 'E7' } });
  // The app holds no displayName and no externalId: the profile's mappings of them are not sent there.
  expect(wiki.accounts.sam).toEqual({ id: 'b', active: false, attributes: { displayName: null, externalId: null } });
  expect(org.apps.find((a) => a.key === 'hr')!.accounts.lee).toBeUndefined(); // a leaver has no resource
  expect(org.teams).toEqual([{ key: 'readers', displayName: 'Readers', members: ['sam'] }]);
});

test('10,000 accounts in each of four apps', () => {
  const apps = ['a', 'b', 'c', 'd'].map((k) =>
    app(k, Array.from({ length: 10_000 }, (_, i) => user(`${k}${i}`, `person${i}@example.com`, { title: `Title ${k}` }))),
  );
  const started = Date.now();
  const org = buildOrg(apps, '2026-01-02');
  expect(org.people).toHaveLength(10_000);
  expect(org.findings.disagreements).toHaveLength(30_000); // three apps hold another title for everyone
  expect(Date.now() - started).toBeLessThan(30_000);
});

test('a group whose member holds only "Default Access" (not provisioned) is left unmanaged, so its membership never changes', () => {
  const org = buildOrg(
    [app('wiki', [user('a', 'ann@example.com'), user('b', 'ben@example.com', { roles: [{ value: 'Default Access' }] })], {
      groups: [
        { id: 'g1', displayName: 'All', members: [{ value: 'a' }, { value: 'b' }] },
        { id: 'g2', displayName: 'Ann', members: [{ value: 'a' }] },
      ],
    })],
    '2026-01-02',
  );
  expect(org.teams.map((t) => t.key)).toEqual(['ann']);
  expect(org.findings.skipped).toEqual([expect.objectContaining({ app: 'wiki', what: 'group "All"' })]);
  expect(org.findings.notes).toEqual([expect.stringMatching(/^ben holds the "Default Access" role in wiki/)]);
});
