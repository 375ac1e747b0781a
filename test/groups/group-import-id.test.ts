// The keyed import id of a pushed group: what ScimApp writes (lib/group-import-id.ts) is what the provider reads
// (parseGroupImportId), and a malformed JSON id is a diagnostic that names the expected shape.
import { groupImportId } from '../../lib/group-import-id';
import { parseGroupImportId } from '../../providers/scim/resources/group-member-map';

test('members with a pinned account id are keyed; the others are left to the plan', () => {
  const id = groupImportId('g-1', [['ada', 'u-1'], ['grace', undefined], ['linus', 'u-3']]);
  expect(parseGroupImportId(id)).toEqual({ id: 'g-1', memberKeys: { ada: 'u-1', linus: 'u-3' } });
  expect(parseGroupImportId(groupImportId('g-2', []))).toEqual({ id: 'g-2', memberKeys: {} });
});

test('a plain id or display_name= is read as before', () => {
  expect(parseGroupImportId('e9e30dba')).toEqual({ id: 'e9e30dba' });
  expect(parseGroupImportId('display_name=Engineering')).toEqual({ id: 'display_name=Engineering' });
});

test('a JSON id of another shape names the expected one', () => {
  for (const bad of ['{"id":', '{"member_ids":{}}', '{"id":"g","member_ids":{"ada":1}}', '{"id":"g","member_ids":["u-1"]}']) {
    expect(() => parseGroupImportId(bad)).toThrow(/must be JSON of the form \{"id":"<group id>","member_ids":\{"<person key>":"<user id>"\}\}/);
  }
});
