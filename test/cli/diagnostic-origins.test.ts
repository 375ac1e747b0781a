// Provider errors name the app and the person/team they came from (with the org file line), not a line of
// cdk.tf.json, and name the credential variable the app really reads instead of the provider's SCIM_TOKEN.
import { describeAddress, diagnosticsFromJson, explainTerraformText, renderDiagnostic, type OriginMetadata } from '../../cli/diagnostic-origins';
import { condenseTerraformErrors } from '../../cli/terraform-errors';

const meta: OriginMetadata = {
  title: 'Wiki',
  credentials: { scim_token: { env: 'SCIMFORM_WIKI_TOKEN' } },
  users: {
    'scim_user.user_annie': { person: 'annie', userName: 'annie.easley@example.com', roles: [], via: [], declared: 'org/people.yaml:57' },
    'scim_user.user_grace': { person: 'grace', userName: 'grace.hopper@example.com', roles: [], via: [], declared: 'org/people.yaml:3' },
  },
  groups: { 'scim_group.group_engineering': { team: 'engineering', members: [], declared: 'org/teams.yaml:2' } },
};

// Terraform's text (plan -no-color) when the token is wrong: one block per user.
const block = (who: string, email: string, line: number) => `
Error: Cannot check whether ${email} already exists

  with scim_user.user_${who},
  on cdk.tf.json line ${line}, in resource.scim_user.user_${who}:
 ${line}:       },

GET http://127.0.0.1:44591/generic/scim/v2/Users?startIndex=1&count=1000
failed: 401: Generic SCIM 2.0 needs the bearer token of this tenant

The server refused the credentials: check \`token\` (SCIM_TOKEN) or
\`username\`/\`password\` (SCIM_USERNAME / SCIM_PASSWORD) in the provider block,
and that they are not expired.
`;

test('a provider error names the app, the person and the org file line, not cdk.tf.json', () => {
  const out = explainTerraformText(block('annie', 'annie.easley@example.com', 280), meta);
  expect(out).toContain('  for Wiki, person "annie" (org/people.yaml:57) — scim_user.user_annie\n');
  expect(out).not.toContain('cdk.tf.json');
  expect(out).not.toMatch(/^\s*280:/m);
  expect(out).toContain('check `token` (environment variable SCIMFORM_WIKI_TOKEN, passed as TF_VAR_scim_token) or');
  expect(out).not.toContain('SCIM_TOKEN');
});

test('the same error for many people is shown once, naming the people', () => {
  const text = block('annie', 'annie.easley@example.com', 280) + block('grace', 'grace.hopper@example.com', 345);
  const out = explainTerraformText(condenseTerraformErrors(text), meta);
  expect(out.match(/Error: Cannot check/g)).toHaveLength(1);
  expect(out).toContain('(the same error for 1 more: person "grace" (org/people.yaml:3))');
});

test('colored output (│ prefixes) and groups; unknown addresses stay as they are', () => {
  const colored = [
    '│ Error: Cannot create group Engineering',
    '│ ',
    '│   with scim_group.group_engineering,',
    '│   on cdk.tf.json line 12, in resource.scim_group.group_engineering:',
    '│   12:       "display_name": "Engineering",',
    '│ ',
    '│ 409 conflict',
  ].join('\n');
  const out = explainTerraformText(colored, meta);
  expect(out).toContain('│   for Wiki, team "engineering" (org/teams.yaml:2) — scim_group.group_engineering');
  expect(out).not.toContain('cdk.tf.json');
  expect(describeAddress('scim_group_member.m', meta)).toBe('Wiki — scim_group_member.m');
  const provider = explainTerraformText('Error: No credentials\n\n  with provider["registry.terraform.io/scimform/scim"],\n  on cdk.tf.json line 20, in provider.scim:\n  20:       },\n', meta);
  expect(provider).toContain('  for the provider settings of Wiki (endpoint, credentials; ScimApp props in main.ts)\n');
  expect(provider).not.toContain('cdk.tf.json');
  const unnamed = '  (the same error for 1 more resource: scim_user.bob)';
  expect(explainTerraformText(unnamed, meta)).toBe(unnamed);
  expect(explainTerraformText('Error: x\n  with scim_user.user_a,', undefined)).toBe('Error: x\n  with scim_user.user_a,');
});

test('a warning in a coloured plan is told by person too', () => {
  const G = '\x1b[33m│\x1b[0m ';
  const plan = [
    'Plan: 1 to add, 0 to change, 0 to destroy.',
    `\x1b[33m╷\x1b[0m`,
    `${G}\x1b[33m\x1b[1mWarning: \x1b[0m\x1b[0m\x1b[1mPromapp cannot delete accounts\x1b[0m`,
    `${G}`,
    `${G}\x1b[0m  with scim_user.user_grace,`,
    `${G}  on cdk.tf.json line 30, in resource.scim_user.user_grace:`,
    `${G}  30:         "on_destroy": "delete",\x1b[0m`,
    `${G}`,
    `${G}on_destroy = "delete": Promapp answers DELETE by deactivating the account`,
  ].join('\n');
  const out = explainTerraformText(plan, meta);
  expect(out).toContain('│   for Wiki, person "grace" (org/people.yaml:3) — scim_user.user_grace');
  expect(out).not.toContain('cdk.tf.json');
  expect(out).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
  expect(out).toContain(`${G}on_destroy = "delete": Promapp answers DELETE`);
});

test('terraform -json diagnostics carry the address; rendered with the person and the app variable', () => {
  const stream = [
    '{"@level":"info","@message":"Terraform 1.11.0","type":"version"}',
    JSON.stringify({
      '@level': 'error',
      '@message': 'Error: Cannot check whether grace.hopper@example.com already exists',
      type: 'diagnostic',
      diagnostic: {
        severity: 'error',
        summary: 'Cannot check whether grace.hopper@example.com already exists',
        detail: 'The server refused the credentials: check `token` (SCIM_TOKEN).',
        address: 'scim_user.user_grace',
        range: { filename: 'cdk.tf.json', start: { line: 345 } },
      },
    }),
  ].join('\n');
  const [d] = diagnosticsFromJson(stream);
  expect(d.address).toBe('scim_user.user_grace');
  expect(renderDiagnostic(d, meta)).toBe(
    'Error: Cannot check whether grace.hopper@example.com already exists\n' +
      '  for Wiki, person "grace" (org/people.yaml:3) — scim_user.user_grace\n\n' +
      'The server refused the credentials: check `token` (environment variable SCIMFORM_WIKI_TOKEN, passed as TF_VAR_scim_token).',
  );
});

test('a roster entry error names the person of that entry (the key is in the summary), not the whole roster', () => {
  const rosterMeta: OriginMetadata = {
    ...meta,
    users: { 'scim_roster.accounts_03.entries["annie"]': { person: 'annie', userName: 'annie.easley@example.com', roles: [], via: [], declared: 'org/people.yaml:57' } },
  };
  const text = [
    'Error: scim_roster entry "annie" (annie.easley@example.com): cannot create the account',
    '',
    '  with scim_roster.accounts_03,',
    '  on cdk.tf.json line 12, in resource.scim_roster.accounts_03:',
    '  12:       "entries": {"annie": {…}, "bob": {…}}',
    '',
    'POST /Users failed: 409',
  ].join('\n');
  const out = explainTerraformText(text, rosterMeta);
  expect(out).toContain('  for Wiki, person "annie" (org/people.yaml:57) — scim_roster.accounts_03.entries["annie"]\n');
  expect(out).not.toContain('cdk.tf.json');
  const json = renderDiagnostic({ severity: 'error', summary: 'scim_roster entry "annie" emails: Invalid email address', address: 'scim_roster.accounts_03' }, rosterMeta);
  expect(json).toContain('for Wiki, person "annie" (org/people.yaml:57) — scim_roster.accounts_03.entries["annie"]');
  // Terraform's address of an entry of a roster given as entries_json is that entry too.
  expect(describeAddress('scim_roster.accounts_03.entries_json["annie"]', rosterMeta)).toBe('Wiki, person "annie" (org/people.yaml:57) — scim_roster.accounts_03.entries_json["annie"]');
  expect(explainTerraformText('Error: Invalid value\n\n  with scim_roster.accounts_03.entries_json["annie"],\n', rosterMeta)).toContain(
    'for Wiki, person "annie" (org/people.yaml:57) — scim_roster.accounts_03.entries["annie"]',
  );
  expect(renderDiagnostic({ severity: 'error', summary: 'scim_roster entry "annie" in entries_json: title: must be a string, not number 3', address: 'scim_roster.accounts_03' }, rosterMeta)).toContain(
    'for Wiki, person "annie" (org/people.yaml:57) — scim_roster.accounts_03.entries["annie"]',
  );
  // Another diagnostic of the roster (no entry named) keeps the roster's address.
  expect(explainTerraformText('Error: Cannot list the users\n\n  with scim_roster.accounts_03,\n', rosterMeta)).toContain('for Wiki — scim_roster.accounts_03');
});
