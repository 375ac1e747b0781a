// The decision behind `--person KEY` for pushed groups (no Terraform): which groups are targeted, the override
// that keeps every other member as it is now (members added in the app included) while KEY joins or leaves,
// and the groups it names as left for the next full apply.
import type { JsonState } from '../../cli/report/plan-json';
import { overrideDocument, personGroups, withGroupChanges } from '../../cli/workflow/person-roster';

const ref = (k: string) => `\${scim_roster.accounts_00.accounts["${k}"].id}`;
const config = {
  resource: {
    scim_group: {
      group_eng: { display_name: 'Engineering', external_id: 'eng', member_ids: { ada: ref('ada'), ken: ref('ken') } },
      group_ops: { display_name: 'Operations', member_ids: { ken: ref('ken') } },
      group_hcl: { display_name: 'Legacy', members: [ref('ken')] },
    },
  },
};
const group = (name: string, values: Record<string, unknown>) => ({ address: `scim_group.${name}`, mode: 'managed' as const, type: 'scim_group', name, values });
const state: JsonState = {
  values: {
    root_module: {
      resources: [group('group_eng', { display_name: 'engineering', external_id: 'eng', member_ids: { ada: 'u-ada', grace: 'u-grace', 'u-app': 'u-app' }, members: null })] as never,
    },
  },
};

test('a joiner: the group as it is now plus their reference; a group not created yet and a members set are left, named', () => {
  const g = personGroups('ken', config, state);
  expect(g.targets).toEqual(['scim_group.group_eng']);
  expect(g.groups.group_eng).toEqual({ member_ids: { ada: 'u-ada', grace: 'u-grace', 'u-app': 'u-app', ken: ref('ken') }, display_name: 'engineering', external_id: 'eng' });
  expect(g.left).toEqual([
    'scim_group.group_ops ("Operations"): the group does not exist yet, so adding ken is left for the next full `scimform apply`, which creates it with all its members',
    'scim_group.group_hcl ("Legacy"): its members are a set (members), not keyed by person, so ken\'s membership is left for the next full `scimform apply`',
  ]);
});

test('a leaver of the group loses only their key; a member already in place targets nothing', () => {
  expect(personGroups('grace', config, state).groups.group_eng.member_ids).toEqual({ ada: 'u-ada', 'u-app': 'u-app' });
  expect(personGroups('ada', config, state)).toEqual({ targets: [], groups: {}, left: [] });
});

test('merged with the rosters: both targeted, one override file without an empty resource type', () => {
  const merged = withGroupChanges({ targets: ['scim_user.user_grace'] }, personGroups('grace', config, state))!;
  expect(merged.targets).toEqual(['scim_user.user_grace', 'scim_group.group_eng']);
  expect(Object.keys(overrideDocument(merged.override!) as { resource: object }).length).toBe(1);
  expect(Object.keys((overrideDocument(merged.override!) as { resource: object }).resource)).toEqual(['scim_group']);
  expect(withGroupChanges(undefined, { targets: [], groups: {}, left: ['x'] })).toBeUndefined();
  // Only a group left: the person's own targets, no group override, the sentence kept.
  expect(withGroupChanges({ targets: ['scim_user.user_ken'] }, { targets: [], groups: {}, left: ['x'] })).toEqual({ targets: ['scim_user.user_ken'], left: ['x'] });
});
