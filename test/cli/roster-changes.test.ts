// The roster adapter without Terraform: the entry pseudo-address of the lib/CLI contract, and a roster whose
// entries are unknown at plan, which the report shows instead of hiding (the per-entry changes themselves are
// tested on real plans in roster-report.test.ts).
import { buildAppReport } from '../../cli/report/build-report';
import type { JsonResourceChange } from '../../cli/report/plan-json';
import { entryAddress, explodeRosterPlan, parseEntryAddress } from '../../cli/report/roster-changes';

test('entry addresses: the contract form, and back', () => {
  expect(entryAddress('scim_roster.accounts_03', 'E1001')).toBe('scim_roster.accounts_03.entries["E1001"]');
  expect(parseEntryAddress('scim_roster.accounts_03.entries["E1001"]')).toEqual({ roster: 'scim_roster.accounts_03', key: 'E1001' });
  expect(parseEntryAddress('scim_user.user_ada')).toBeUndefined();
});

test('a roster whose whole entries map is known only after apply stays visible as one update, never hidden', () => {
  const rc = (actions: JsonResourceChange['change']['actions']): JsonResourceChange => ({
    address: 'scim_roster.accounts_00',
    mode: 'managed',
    type: 'scim_roster',
    name: 'accounts_00',
    change: { actions, before: { entries: { ada: { user_name: 'ada@x' } } }, after: { entries: null }, after_unknown: { entries: true, accounts: true } },
  });
  const plan = explodeRosterPlan({ format_version: '1.2', resource_changes: [rc(['update'])] });
  const report = buildAppReport('wiki', plan);
  expect(report.users.update).toEqual([
    { address: 'scim_roster.accounts_00', userName: 'scim_roster.accounts_00', changes: [{ path: 'entries', before: { value: null }, after: { unknown: true } }] },
  ]);
});
