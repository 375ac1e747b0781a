// A scim_group's membership as the CLI reads it from a Terraform JSON plan or state, in either form the provider
// accepts: `members` (a set of SCIM ids) or `member_ids` (a map: person key → SCIM id, what ScimApp emits). The
// one place that knows which attributes carry a group's membership and how its "known after apply" elements
// are counted; the report, drift and anything else reading groups go through it.
import { isObject, JsonValue, ValueMarks } from './plan-json';

/**
 * The keys of `after` whose id is only known after apply while `before` holds them with a known id: the same
 * person stays a member (their account is being adopted, e.g. while an app moves to rosters), neither added nor
 * removed. Empty for `members` or a group not read from the server.
 */
export function keptKeys(before: GroupMembership, after: GroupMembership): string[] {
  return after.unknownKeys.filter((k) => own(before.byKey, k));
}

/** The attributes that hold a group's membership; never reported as attribute changes of the group. */
export const MEMBERSHIP_ATTRIBUTES = ['members', 'member_ids'] as const;

export interface GroupMembership {
  /** Member SCIM ids known now. */
  ids: string[];
  /** Members whose id is only known after apply; -1 when the whole membership is unknown. */
  unknown: number;
  /** Keys (`member_ids`) whose id is only known after apply; empty for `members`. */
  unknownKeys: string[];
  /** Key → known id (`member_ids`); empty for `members`. */
  byKey: { [key: string]: string };
  /** Whether the group manages its membership at all (either attribute set). */
  managed: boolean;
  /** The attribute carrying it (configuration references are read from it). */
  attribute: (typeof MEMBERSHIP_ATTRIBUTES)[number];
}

const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);
const marksAt = (m: ValueMarks | undefined, key: string): ValueMarks | undefined =>
  m === true ? true : isObject(m as JsonValue) && own(m as object, key) ? (m as { [k: string]: ValueMarks })[key] : undefined;

/**
 * The membership of a group value (`before`, `after` or a state's values); `unknownMarks` is the change's
 * `after_unknown` (whole object) when reading `after`.
 */
export function groupMembership(values: JsonValue | undefined, unknownMarks?: ValueMarks): GroupMembership {
  const v = isObject(values) ? values : {};
  const keyedMarks = marksAt(unknownMarks, 'member_ids');
  const keyed = v.member_ids;
  if (keyedMarks === true) return { ids: [], unknown: -1, unknownKeys: [], byKey: {}, managed: true, attribute: 'member_ids' };
  if (isObject(keyed) || (keyedMarks !== undefined && keyedMarks !== false)) {
    const map = isObject(keyed) ? keyed : {};
    const marks = isObject(keyedMarks as JsonValue) ? (keyedMarks as { [k: string]: ValueMarks }) : {};
    const ids: string[] = [];
    const unknownKeys: string[] = [];
    const byKey: { [key: string]: string } = {};
    for (const key of new Set([...Object.keys(map), ...Object.keys(marks)])) {
      const id = own(map, key) ? map[key] : undefined;
      if ((own(marks, key) && marks[key] === true) || typeof id !== 'string') unknownKeys.push(key);
      else {
        ids.push(id);
        byKey[key] = id;
      }
    }
    unknownKeys.sort();
    return { ids, unknown: unknownKeys.length, unknownKeys, byKey, managed: true, attribute: 'member_ids' };
  }
  const setMarks = marksAt(unknownMarks, 'members');
  if (setMarks === true) return { ids: [], unknown: -1, unknownKeys: [], byKey: {}, managed: true, attribute: 'members' };
  const set = v.members;
  if (!Array.isArray(set)) return { ids: [], unknown: 0, unknownKeys: [], byKey: {}, managed: false, attribute: 'members' };
  const ids: string[] = [];
  let unknown = 0;
  set.forEach((x, i) => {
    const u = Array.isArray(setMarks) ? setMarks[i] === true : false;
    if (u || typeof x !== 'string') unknown++;
    else ids.push(x);
  });
  return { ids, unknown, unknownKeys: [], byKey: {}, managed: true, attribute: 'members' };
}
