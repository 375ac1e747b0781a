// The harness's reading of terraform's diagnostics (test/support/diagnostics.ts): one block per "Error:" or
// "Warning:", attributed by its `with <address>,` line, on output as terraform 1.11 prints it with -no-color.
import { diagnosticBlocks, diagnosticsOf } from '../support/diagnostics';

const stdout = `
Terraform will perform the following actions:

  # scim_group.design will be created
  + resource "scim_group" "design" {
      + display_name = "DESIGN"
    }

Plan: 1 to add, 0 to change, 0 to destroy.

Warning: scim_group will adopt existing group 42

  with scim_group.design,
  on main.tf line 20, in resource "scim_group" "design":
  20: resource "scim_group" "design" {

"Design" exists on the server.
`;

const stderr = `
Error: Empty user_name

  with scim_user.x,
  on main.tf line 12, in resource "scim_user" "x":
  12:   user_name = ""

user_name must not be empty: it is the account's unique sign-in name (often
the email address).

Error: Test connection failed

  with data.scim_service_provider_config.bad_token,
  on main.tf line 30, in data "scim_service_provider_config" "bad_token":
  30: data "scim_service_provider_config" "bad_token" {

credential refused (401)
`;

const run = { code: 1, stdout, stderr };

test('one block per diagnostic, whitespace collapsed, plan text left out', () => {
  const blocks = diagnosticBlocks(run);
  expect(blocks).toHaveLength(3);
  expect(blocks[0]).toMatch(/^Warning: scim_group will adopt existing group 42 with scim_group.design, .* "Design" exists on the server\.$/);
  expect(blocks[1]).toContain('unique sign-in name (often the email address).');
  expect(blocks[1]).not.toContain('Test connection failed');
  expect(blocks.join('\n')).not.toContain('Plan: 1 to add');
});

test('diagnosticsOf picks the blocks of one address only, and throws naming what was printed when none', () => {
  expect(diagnosticsOf(run, 'scim_user.x')).toMatch(/^Error: Empty user_name .*the email address\)\.$/);
  expect(diagnosticsOf(run, 'data.scim_service_provider_config.bad_token')).toBe(
    'Error: Test connection failed with data.scim_service_provider_config.bad_token, on main.tf line 30, in data "scim_service_provider_config" "bad_token": 30: data "scim_service_provider_config" "bad_token" { credential refused (401)',
  );
  // `scim_group.design` is not `scim_group.des`: a prefix of an address is not that address.
  expect(() => diagnosticsOf(run, 'scim_group.des')).toThrow(/no diagnostic names scim_group\.des; the run printed:\nWarning: scim_group will adopt/);
});
