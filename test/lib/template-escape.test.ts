// Template sequences in data stay literal in what Terraform reads: a header value (TF_VAR_scim_headers) and a
// roster entry (entries_json in cdk.tf.json) with `${` or `%{` in them.
import { headersVariableValue } from '../../lib/credential-variables';
import { entryJson } from '../../lib/roster-emission';
import { escapeTemplateSequences } from '../../lib/template-escape';

test('${ and %{ are doubled, everything else is kept', () => {
  expect(escapeTemplateSequences('a ${b} %{c} $d %e $${f}')).toBe('a $${b} %%{c} $d %e $$${f}');
});

test('a header value with a template sequence is escaped in the variable value', () => {
  expect(headersVariableValue({ 'X-Tag': 'team-${env}' })).toBe('{"X-Tag":"team-$${env}"}');
});

test('a roster entry: Terraform-spelled attributes, unset ones left out, template sequences escaped', () => {
  expect(entryJson({ userName: 'ada@example.com', displayName: 'Ada ${Lovelace}', emails: [{ value: 'ada@example.com', type: 'work', primary: true }] })).toBe(
    '{"display_name":"Ada $${Lovelace}","emails":[{"primary":true,"type":"work","value":"ada@example.com"}],"user_name":"ada@example.com"}',
  );
});
