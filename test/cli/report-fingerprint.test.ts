// The reviewed-plan fingerprint covers what a new account is planned with: a create (scim_user or roster entry)
// whose planned attribute values change changes the fingerprint; masked values (sensitive) never enter it.
import { buildAppReport } from '../../cli/report/build-report';
import type { JsonPlan, JsonResourceChange } from '../../cli/report/plan-json';
import { assembleReport } from '../../cli/report/report-model';
import { explodeRosterPlan } from '../../cli/report/roster-changes';

const userCreate = (title: string, sensitive = false): JsonResourceChange => ({
  address: 'scim_user.user_ada',
  mode: 'managed',
  type: 'scim_user',
  name: 'user_ada',
  change: {
    actions: ['create'],
    before: null,
    after: { user_name: 'ada@x', title, id: null },
    after_unknown: { id: true },
    after_sensitive: sensitive ? { title: true } : {},
  },
});
const rosterAdd = (title: string): JsonResourceChange => ({
  address: 'scim_roster.accounts_00',
  mode: 'managed',
  type: 'scim_roster',
  name: 'accounts_00',
  change: {
    actions: ['update'],
    before: { id: 'roster', on_destroy: 'deactivate', entries: {}, accounts: {} },
    after: { id: 'roster', on_destroy: 'deactivate', entries: { ada: { user_name: 'ada@x', title } }, accounts: {} },
    after_unknown: { accounts: { ada: true } },
  },
});
const fingerprint = (rc: JsonResourceChange) => {
  const plan: JsonPlan = explodeRosterPlan({ format_version: '1.2', resource_changes: [rc] });
  return assembleReport([buildAppReport('wiki', plan)]).fingerprint;
};

test('a created account planned with another value is another plan', () => {
  expect(fingerprint(userCreate('Engineer'))).toBe(fingerprint(userCreate('Engineer')));
  expect(fingerprint(userCreate('Engineer'))).not.toBe(fingerprint(userCreate('CTO')));
  expect(fingerprint(rosterAdd('Engineer'))).not.toBe(fingerprint(rosterAdd('CTO')));
});

test('a sensitive planned value is masked before the digest: it never enters the fingerprint', () => {
  expect(fingerprint(userCreate('Secret-One', true))).toBe(fingerprint(userCreate('Secret-Two', true)));
  const report = assembleReport([buildAppReport('wiki', { format_version: '1.2', resource_changes: [userCreate('Secret-One', true)] })]);
  expect(JSON.stringify(report)).not.toContain('Secret-One');
});
