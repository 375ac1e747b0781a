// How the CLI reads a group's membership from a Terraform JSON plan in either form (`members`, `member_ids`),
// and the report it makes of a keyed group whose members' ids are only known after apply: a key the group already
// had is the same person staying (an adopted account, as when an app moves between rosters and scim_users), a new
// key is a member added, named from the configuration's reference.
import { buildAppReport } from '../../cli/report/build-report';
import { groupMembership } from '../../cli/report/group-membership';
import type { JsonPlan } from '../../cli/report/plan-json';

test('either form gives the ids known now, the keys known after apply, or "not managed"', () => {
  expect(groupMembership({ members: ['u1', null] }, { members: [false, true] })).toMatchObject({ ids: ['u1'], unknown: 1, managed: true, attribute: 'members' });
  expect(groupMembership({ member_ids: { ada: 'u1', ken: null } }, { member_ids: { ken: true } })).toMatchObject({
    ids: ['u1'],
    unknown: 1,
    unknownKeys: ['ken'],
    byKey: { ada: 'u1' },
    attribute: 'member_ids',
  });
  expect(groupMembership({ member_ids: null }, { member_ids: true })).toMatchObject({ unknown: -1, managed: true });
  expect(groupMembership({ members: null, member_ids: null })).toMatchObject({ managed: false });
});

const userCreate = (key: string) => ({
  address: `scim_user.user_${key}`,
  mode: 'managed',
  type: 'scim_user',
  name: `user_${key}`,
  change: { actions: ['create'], before: null, after: { user_name: `${key}@example.com` }, after_unknown: { id: true } },
});

test('a keyed group whose ids are all known after apply: kept keys are no change, a new key is named', () => {
  const plan = {
    format_version: '1.2',
    resource_changes: [
      ...['ada', 'grace', 'ken'].map(userCreate),
      {
        address: 'scim_group.group_eng',
        mode: 'managed',
        type: 'scim_group',
        name: 'group_eng',
        change: {
          actions: ['update'],
          before: { id: 'g1', display_name: 'Engineering', members: null, member_ids: { ada: 'u-ada', grace: 'u-grace', bob: 'u-bob' } },
          after: { id: 'g1', display_name: 'Engineering', members: null, member_ids: { ada: null, grace: null, ken: null } },
          after_unknown: { member_ids: { ada: true, grace: true, ken: true } },
        },
      },
    ],
    prior_state: { values: { root_module: { resources: [{ address: 'scim_user.user_bob', mode: 'managed', type: 'scim_user', name: 'user_bob', values: { id: 'u-bob', user_name: 'bob@example.com' } }] } } },
    configuration: {
      root_module: {
        resources: [
          {
            address: 'scim_group.group_eng',
            expressions: { member_ids: { references: ['scim_user.user_ada.id', 'scim_user.user_ada', 'scim_user.user_grace.id', 'scim_user.user_grace', 'scim_user.user_ken.id', 'scim_user.user_ken'] } },
          },
        ],
      },
    },
  } as unknown as JsonPlan;
  const report = buildAppReport('wiki', plan);
  expect(report.members.added.map((m) => `${m.user} → ${m.group}`)).toEqual(['ken@example.com → Engineering']);
  expect(report.members.removed.map((m) => `${m.user} ✕ ${m.group}`)).toEqual(['bob@example.com ✕ Engineering']);
  expect(report.groups.update).toEqual([]);
});
