// The report's ADOPT/REACTIVATE lines come from the provider's plan-time warnings (captured from
// `terraform plan -json` beside the saved plan), not from planned values: a create whose existing_id and
// existing_active are unknown in the plan is still reported as adopting, or reactivating, the account.
import { buildAppReport } from '../../cli/report/build-report';
import { adoptionsFromWarnings, parsePlanJsonStream, renderDiagnostics } from '../../cli/report/plan-diagnostics';
import type { JsonPlan, JsonValue } from '../../cli/report/plan-json';

const line = (o: object) => JSON.stringify({ '@level': 'warn', '@module': 'terraform.ui', ...o });

// What Terraform 1.11 writes with `plan -json` (snippets left in: they must never be rendered).
const stdout = [
  line({ type: 'version', terraform: '1.11.4' }),
  line({
    type: 'diagnostic',
    diagnostic: {
      severity: 'warning',
      summary: 'scim_user will adopt existing account 11111111-aaaa-4bbb-8ccc-000000000001 (userName "ada@example.com")',
      detail: 'An account matching this user already exists on https://app.example.com/scim/v2 (userName "ada@example.com", active). Apply will adopt it and bring it to the declared state instead of creating a duplicate.',
      address: 'scim_user.user_ada',
      snippet: { code: '"token": "literal-secret-in-source"' },
    },
  }),
  line({
    type: 'diagnostic',
    diagnostic: {
      severity: 'warning',
      summary: 'scim_user will adopt existing account 22222222-aaaa-4bbb-8ccc-000000000002 (userName "bob@example.com")',
      detail: 'An account matching this user already exists on https://app.example.com/scim/v2 (userName "bob@example.com", inactive). Apply will adopt it and bring it to the declared state, reactivating it, instead of creating a duplicate.',
      address: 'scim_user.user_bob',
    },
  }),
  line({
    type: 'diagnostic',
    diagnostic: { severity: 'warning', summary: 'scim_group "Engineering" will adopt existing group g-77', detail: 'A group named Engineering exists.', address: 'scim_group.group_eng' },
  }),
  line({ type: 'change_summary', '@message': 'Plan: 4 to add, 0 to change, 0 to destroy.', changes: { add: 4, change: 0, import: 0, remove: 0, operation: 'plan' } }),
].join('\n');

const create = (address: string, type: string, after: { [key: string]: JsonValue }) => ({
  address,
  mode: 'managed' as const,
  type,
  name: address.split('.')[1],
  change: { actions: ['create' as const], before: null, after, after_unknown: { id: true, existing_id: true, existing_active: true } },
});

const plan: JsonPlan = {
  format_version: '1.2',
  resource_changes: [
    create('scim_user.user_ada', 'scim_user', { user_name: 'ada@example.com', active: true }),
    create('scim_user.user_bob', 'scim_user', { user_name: 'bob@example.com', active: true }),
    create('scim_user.user_cy', 'scim_user', { user_name: 'cy@example.com', active: true }),
    create('scim_group.group_eng', 'scim_group', { display_name: 'Engineering' }),
  ],
};

test('plan -json: warnings with their address and the change summary; rendered without source lines', () => {
  const stream = parsePlanJsonStream(stdout);
  expect(stream.summary).toBe('Plan: 4 to add, 0 to change, 0 to destroy.');
  expect(stream.counts).toEqual({ add: 4, change: 0, destroy: 0 });
  expect(stream.diagnostics.map((d) => d.address)).toEqual(['scim_user.user_ada', 'scim_user.user_bob', 'scim_group.group_eng']);
  const text = renderDiagnostics(stream.diagnostics);
  expect(text).toContain('Warning: scim_user will adopt existing account 11111111');
  expect(text).toContain('  with scim_user.user_ada,');
  expect(text).not.toContain('literal-secret-in-source');
});

test('with existing_id unknown in the plan, the warnings alone give ADOPT and REACTIVATE', () => {
  const adoptions = adoptionsFromWarnings(parsePlanJsonStream(stdout).diagnostics);
  const report = buildAppReport('wiki', plan, { adoptions });
  expect(report.users.adopt.map((u) => [u.userName, u.id])).toEqual([['ada@example.com', '11111111-aaaa-4bbb-8ccc-000000000001']]);
  expect(report.users.reactivate.map((u) => [u.userName, u.id])).toEqual([['bob@example.com', '22222222-aaaa-4bbb-8ccc-000000000002']]);
  expect(report.users.create.map((u) => u.userName)).toEqual(['cy@example.com']);
  expect(report.groups.adopt.map((g) => [g.displayName, g.id])).toEqual([['Engineering', 'g-77']]);
  // Without the warnings the same plan only creates.
  const bare = buildAppReport('wiki', plan);
  expect(bare.users.create).toHaveLength(3);
  expect(bare.users.adopt).toHaveLength(0);
});
