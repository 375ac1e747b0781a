// The keyed form of a scim_group's membership, `member_ids` (a map: person key → SCIM id), beside the set form
// `members`: Terraform checks a large set attribute pairwise at apply (quadratic; minutes at 7,000 members),
// a map key by key. Both forms mean the same membership (the set of ids); this file owns turning either into
// that set, the validation of the map, the state map rebuilt from the server's members, and recognising an
// update that changes nothing on the server (moving between the two forms, as ScimApp's stacks did).
// It also reads the keyed import id (the group id plus its members' keys).
import type { Diagnostic, ObjectValue, Value } from '../plugin/provider-definition';
import { DiagnosticError, containsUnknown, isObjectValue, isUnknown } from '../plugin/provider-definition';

/**
 * The membership of a configuration, plan or state as a set-like value: the map's values when `member_ids` is set,
 * else `members`; null when neither is set (membership not managed); Unknown when the map itself is unknown.
 */
export function membershipValue(obj: ObjectValue): Value {
  const keyed = obj.member_ids;
  if (keyed !== null && keyed !== undefined) return isUnknown(keyed) ? keyed : isObjectValue(keyed) ? Object.values(keyed) : null;
  return obj.members ?? null;
}

const sorted = (v: Value | undefined): Value | undefined =>
  Array.isArray(v) ? ([...v].map((x) => (isUnknown(x) ? '\u0000unknown' : x)).sort() as Value) : v;

/** Whether two membership values (membershipValue) are the same set of ids; an unknown element equals no id. */
export const sameMembership = (a: Value | undefined, b: Value | undefined): boolean => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/**
 * Whether an update changes nothing the server holds, so apply sends no request and records the plan: the same
 * display_name and external_id, the same known member ids (in either form, e.g. `members` → `member_ids` with the
 * same ids), every planned value known. Moving an existing stack's groups to `member_ids` is then no SCIM call.
 */
export function unchangedOnServer(prior: ObjectValue, planned: ObjectValue): boolean {
  if (prior.display_name !== planned.display_name || prior.external_id !== planned.external_id) return false;
  const was = membershipValue(prior), will = membershipValue(planned);
  return Array.isArray(was) && Array.isArray(will) && sameMembership(was, will) && !containsUnknown(planned);
}

/** The map of a state: key → id, when `member_ids` manages the membership; undefined otherwise. */
export const memberKeysOf = (obj: ObjectValue): ObjectValue | undefined => (isObjectValue(obj.member_ids) ? obj.member_ids : undefined);

/** Configuration errors of the two forms: both set, an empty id, one id under two keys (named). */
export function memberMapDiagnostics(config: ObjectValue): Diagnostic[] {
  const keyed = config.member_ids;
  if (keyed === null || keyed === undefined) return [];
  if (config.members !== null && config.members !== undefined) {
    return [{
      severity: 'error',
      summary: 'Set members or member_ids, not both',
      detail: 'members (a set of SCIM ids) and member_ids (a map of person key to SCIM id) both declare the complete membership. Keep one: member_ids for large groups (Terraform checks it key by key), members otherwise.',
      path: ['member_ids'],
    }];
  }
  if (!isObjectValue(keyed)) return [];
  const diags: Diagnostic[] = [];
  const keyOf = new Map<string, string>();
  for (const [key, id] of Object.entries(keyed)) {
    if (typeof id !== 'string') continue;
    if (!id.trim()) {
      diags.push({ severity: 'error', summary: `Empty member id under key "${key}"`, detail: `member_ids["${key}"] is empty; use the SCIM id of an existing user.`, path: ['member_ids'] });
      continue;
    }
    const other = keyOf.get(id);
    if (other !== undefined) {
      diags.push({
        severity: 'error',
        summary: `member_ids["${key}"] and member_ids["${other}"] are the same user ${id}`,
        detail: 'Each member appears once in member_ids: two keys with the same SCIM id would make the plan show a member the group cannot hold twice. Remove one of the keys.',
        path: ['member_ids'],
      });
    } else keyOf.set(id, key);
  }
  return diags;
}

/**
 * The state map from the server's member ids: every key of `prior` whose id is still a member keeps it; a member
 * no key names (added in the app) appears under its own id as key, so the next plan shows it leaving; a key whose
 * id is no longer a member is absent, so the next plan shows it coming back.
 */
export function keyedMembers(prior: ObjectValue, serverIds: string[]): ObjectValue {
  const present = new Set(serverIds);
  const out: ObjectValue = {};
  const covered = new Set<string>();
  for (const [key, id] of Object.entries(prior)) {
    if (typeof id === 'string' && present.has(id) && !covered.has(id)) {
      out[key] = id;
      covered.add(id);
    }
  }
  for (const id of serverIds) if (!covered.has(id) && !(id in out)) out[id] = id;
  return out;
}

/** Schema of `member_ids` (scim_group). */
export const memberIdsAttribute = {
  type: { map: 'string' },
  optional: true,
  description:
    'The complete membership keyed by a stable key of your choosing (usually the person key): `{ "E1001" = ' +
    'scim_roster.wiki.accounts["E1001"].id, … }`. Means the same as `members` (the membership is the set of the ' +
    'values) and excludes it; prefer it for large groups: Terraform checks a set attribute element against element ' +
    'when it applies (minutes at several thousand members), a map key by key. A member added in the app shows up ' +
    'under its own id as key, so the plan shows it leaving.',
} as const;

/**
 * An import id that also names the members' keys: `{"id":"<group id>","member_ids":{"<key>":"<user id>",…}}`
 * (JSON; ScimApp writes it for a group that `scimform import` found, so that the imported state already holds the
 * keyed form and the first plan is a plain import, not an import plus an update). Any other id is returned as
 * `{ id }`. A JSON id of another shape is a diagnostic naming the expected one.
 */
export function parseGroupImportId(id: string): { id: string; memberKeys?: ObjectValue } {
  if (!id.trimStart().startsWith('{')) return { id };
  let parsed: unknown;
  try {
    parsed = JSON.parse(id);
  } catch {
    parsed = undefined;
  }
  const p = parsed as { id?: unknown; member_ids?: unknown } | undefined;
  const keys = p?.member_ids;
  const okKeys = keys === undefined || (isObjectValue(keys as Value) && Object.values(keys as object).every((v) => typeof v === 'string'));
  if (!p || typeof p.id !== 'string' || !p.id || !okKeys) {
    throw new DiagnosticError(
      'Cannot import scim_group',
      'An import id that starts with "{" must be JSON of the form {"id":"<group id>","member_ids":{"<person key>":"<user id>"}}; or import by "<id>" or "display_name=<name>".',
    );
  }
  return keys === undefined ? { id: p.id } : { id: p.id, memberKeys: keys as ObjectValue };
}
