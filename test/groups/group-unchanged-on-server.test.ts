// The decision that lets apply of a scim_group update send no request: nothing the server holds changes
// (moving `members` → `member_ids` with the same ids, as ScimApp stacks do once), every planned value known.
import { Unknown } from '../../providers/scim/plugin/provider-definition';
import { unchangedOnServer } from '../../providers/scim/resources/group-member-map';

const prior = { id: 'g1', display_name: 'Eng', external_id: 'eng', members: ['u2', 'u1'], member_ids: null, existing_id: null, meta: null };
const keyed = (ids: Record<string, unknown>) => ({ ...prior, members: null, member_ids: ids as Record<string, string> });

test('members → member_ids with the same ids changes nothing on the server', () => {
  expect(unchangedOnServer(prior, keyed({ ada: 'u1', grace: 'u2' }))).toBe(true);
});

test('a different member, name or external id, an unknown id, or releasing the membership is a real update', () => {
  expect(unchangedOnServer(prior, keyed({ ada: 'u1', ken: 'u3' }))).toBe(false);
  expect(unchangedOnServer(prior, keyed({ ada: 'u1', grace: 'u2', ken: Unknown }))).toBe(false);
  expect(unchangedOnServer(prior, { ...keyed({ ada: 'u1', grace: 'u2' }), display_name: 'Engineering' })).toBe(false);
  expect(unchangedOnServer(prior, { ...keyed({ ada: 'u1', grace: 'u2' }), external_id: null })).toBe(false);
  expect(unchangedOnServer(prior, { ...prior, members: null })).toBe(false);
});
