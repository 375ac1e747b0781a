// The import id ScimApp gives a pushed group that already exists (found by `scimform import`): the group's SCIM id
// plus, as JSON, the person key of each member whose account is pinned to a SCIM id too, so that the provider
// imports the group with `member_ids` already keyed (empty for a group without members) and the first plan is a
// plain import, not an import plus an update moving the members from the set form to the map. The provider reads
// it in providers/scim/resources/group-member-map.ts (parseGroupImportId).

/** `{"id":groupId,"member_ids":{key: accountId}}` for the members whose account id is pinned. */
export function groupImportId(groupId: string, pinnedMembers: ReadonlyArray<readonly [key: string, accountId: string | undefined]>): string {
  const keyed = pinnedMembers.filter((m): m is readonly [string, string] => typeof m[1] === 'string' && m[1] !== '');
  return JSON.stringify({ id: groupId, member_ids: Object.fromEntries(keyed) });
}
