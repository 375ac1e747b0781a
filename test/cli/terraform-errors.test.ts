// Terraform prints one error block per resource when one cause (an unreachable app, a bad credential)
// fails them all; the CLI shows each kind of error once and names the other resources it hit.
import { condenseTerraformErrors } from '../../cli/terraform-errors';

const block = (id: string, who: string, extra = '') => `
Error: Cannot read SCIM user ${id} (${who}@example.com)

  with scim_user.user_${who},
  on cdk.tf.json line 213, in resource.scim_user.user_${who}:
 213:       },

GET
http://127.0.0.1:41409/promapp/api/scim/Users/${id}
failed: endpoint unreachable (ECONNREFUSED); check the endpoint URL and
network (after 6 attempts)
${extra}`;

test('the same error for several resources is shown once, naming the others', () => {
  const text = [
    block('cdb439f7-1cc1-4bfe-9483-29cf98f40787', 'ada'),
    block('aa04f194-0347-426b-b1f8-f5c1a3b0633d', 'alan'),
    block('00ad37ad-df63-4dfe-bc90-6372623c1fa5', 'annie'),
    '\nError: Invalid provider configuration\n\n  with provider["registry.terraform.io/scimform/scim"],\nendpoint is not a URL\n',
  ].join('');
  const out = condenseTerraformErrors(text);
  expect(out.match(/Error: Cannot read SCIM user/g)).toHaveLength(1);
  expect(out).toContain('Error: Cannot read SCIM user cdb439f7-1cc1-4bfe-9483-29cf98f40787 (ada@example.com)');
  expect(out).toContain('failed: endpoint unreachable (ECONNREFUSED)');
  expect(out).toContain('(the same error for 2 more resources: scim_user.user_alan, scim_user.user_annie)');
  expect(out).toContain('Error: Invalid provider configuration');
});

test('long lists are cut; distinct errors are left as they are', () => {
  const many = Array.from({ length: 9 }, (_, i) => block(`00000000-0000-4000-8000-00000000000${i}`, `u${i}`)).join('');
  expect(condenseTerraformErrors(many)).toContain('(the same error for 8 more resources: scim_user.user_u1, scim_user.user_u2, scim_user.user_u3, scim_user.user_u4, scim_user.user_u5, … (8 in all))');
  const distinct = '\nError: one thing\n\nError: another thing\n';
  expect(condenseTerraformErrors(distinct)).toBe(distinct);
});

test('a Terraform older than 1.10 is told which version to install', () => {
  const text = [
    'Error: Unsupported Terraform Core version',
    '',
    '  on cdk.tf.json line 12, in terraform:',
    '  12:     "required_version": ">= 1.10",',
    '',
    'This configuration does not support Terraform version 1.9.8.',
  ].join('\n');
  expect(condenseTerraformErrors(text)).toContain('scimform needs Terraform ≥ 1.10 (tested with 1.11): credentials reach the provider as ephemeral input variables');
  expect(condenseTerraformErrors('Error: Invalid provider configuration')).not.toContain('scimform needs');
});
