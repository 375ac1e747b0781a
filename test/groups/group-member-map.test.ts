// The keyed membership of scim_group (`member_ids`): the same membership as `members`, validated (not both, no
// empty id, no id under two keys), and rebuilt from the server's members so that drift shows per key.
import { Unknown } from '../../providers/scim/plugin/provider-definition';
import { keyedMembers, memberMapDiagnostics, membershipValue } from '../../providers/scim/resources/group-member-map';

test('the membership is the values of member_ids, else members; null when neither is set', () => {
  expect(membershipValue({ member_ids: { E1: 'u1', E2: 'u2' }, members: null })).toEqual(['u1', 'u2']);
  expect(membershipValue({ member_ids: null, members: ['u3'] })).toEqual(['u3']);
  expect(membershipValue({ member_ids: null, members: null })).toBeNull();
  expect(membershipValue({ display_name: 'x' })).toBeNull();
  expect(membershipValue({ member_ids: Unknown })).toBe(Unknown);
  expect(membershipValue({ member_ids: { E1: Unknown } })).toEqual([Unknown]);
});

test('configuration errors name the keys: both forms, an empty id, one user under two keys', () => {
  expect(memberMapDiagnostics({ members: ['u1'], member_ids: { E1: 'u1' } }).map((d) => d.summary)).toEqual(['Set members or member_ids, not both']);
  expect(memberMapDiagnostics({ members: null, member_ids: { E1: 'u1', E2: ' ', E3: 'u1', E4: Unknown } }).map((d) => d.summary)).toEqual([
    'Empty member id under key "E2"',
    'member_ids["E3"] and member_ids["E1"] are the same user u1',
  ]);
  expect(memberMapDiagnostics({ members: ['u1'], member_ids: null })).toEqual([]);
});

test('the state map keeps the keys of members still present, drops members gone, and shows members added in the app under their id', () => {
  expect(keyedMembers({ E1: 'u1', E2: 'u2', E3: 'u3' }, ['u3', 'u1', 'x9'])).toEqual({ E1: 'u1', E3: 'u3', x9: 'x9' });
  expect(keyedMembers({}, [])).toEqual({});
});
