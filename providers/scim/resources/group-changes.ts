// What apply of a planned scim_group change writes, decided against a fresh read of the group: only the
// attributes the plan changes (prior → planned), each written only while the server still has the prior
// value; only the planned membership adds/removes; the conflict and "deleted since the plan" errors; and the
// new state (planned values, with the server's values only where the plan said "known after apply").
import type { ObjectValue, Value } from '../plugin/provider-definition';
import { DiagnosticError, isObjectValue as isObject, isUnknown } from '../plugin/provider-definition';
import type { ScimGroup } from '../client';

/** The group an error is about: its configured name and SCIM id. */
export interface GroupRef {
  displayName: string;
  id: string;
}

/** The attribute writes of an update: new values of the attributes to send (externalId null = remove). */
export interface GroupAttributeWrites {
  displayName?: string;
  externalId?: string | null;
}

/** externalId "" and absent mean the same to SCIM servers (many drop the empty string). */
export const sameExternalId = (a: Value | undefined, b: Value | undefined): boolean => (a ?? '') === (b ?? '');

const shown = (v: Value | undefined): string => (v === null || v === undefined || v === '' ? '(unset)' : JSON.stringify(v));

const REPLAN = 'Re-run terraform plan (or scimform plan) to review a plan made from the group as it is now, then apply that plan.';

/** The error for a planned attribute whose server value is neither the prior nor the planned one. */
export function conflictError(group: GroupRef, attribute: string, prior: Value | undefined, planned: Value | undefined, current: Value | undefined): DiagnosticError {
  return new DiagnosticError(
    `scim_group "${group.displayName}" (SCIM id ${group.id}) was changed in the app since the plan`,
    `- ${attribute}: the plan changes it from ${shown(prior)} to ${shown(planned)}, but the group now has ${shown(current)}\n\n` +
      'Someone changed this attribute in the app after the plan was made, so applying the plan would overwrite their change. ' +
      `Apply stopped without writing anything to this group, and the change made in the app is kept. ${REPLAN}`,
    [attribute],
  );
}

/** The error for a group whose version changed again between apply's second read and its write (two 412s). */
export function keepsChangingError(group: GroupRef): DiagnosticError {
  return new DiagnosticError(
    `scim_group "${group.displayName}" (SCIM id ${group.id}) keeps changing in the app during apply`,
    'The server refused the write twice (412 Precondition Failed) because the group changed between apply reading it ' +
      `and writing it. Nothing was overwritten. ${REPLAN}`,
  );
}

/** The error for an update whose group no longer exists on the server. */
export function deletedSincePlanError(group: GroupRef): DiagnosticError {
  return new DiagnosticError(
    `scim_group "${group.displayName}" (SCIM id ${group.id}) was deleted in the app since the plan`,
    'The group no longer exists on the server: it was deleted after the plan was made, so the planned update cannot be ' +
      `applied. ${REPLAN} The new plan creates the group again (or adopts a group of the same name); remove the resource ` +
      'from the configuration to keep it deleted.',
  );
}

/**
 * The attribute writes of an update, from prior state, planned state and the server's current group. Per
 * attribute the plan changes: server has the planned value → nothing; has the prior value → write it;
 * anything else → conflictError (thrown before any write, so a conflict leaves the group untouched).
 */
export function attributeWrites(group: GroupRef, prior: ObjectValue, planned: ObjectValue, current: ScimGroup): GroupAttributeWrites {
  const writes: GroupAttributeWrites = {};
  const priorName = prior.display_name;
  const plannedName = planned.display_name;
  const lower = (v: Value | undefined) => (typeof v === 'string' ? v.toLowerCase() : v);
  // displayName is not caseExact: the server's spelling counts as the planned one unless the plan changes only the case.
  const hasPlanned = current.displayName === plannedName || (lower(plannedName) !== lower(priorName) && lower(current.displayName) === lower(plannedName));
  if (typeof plannedName === 'string' && plannedName !== priorName && !hasPlanned) {
    // The state keeps the configured spelling when the server changed only its case.
    const hasPrior = typeof priorName === 'string' && priorName.toLowerCase() === current.displayName.toLowerCase();
    if (!hasPrior) throw conflictError(group, 'display_name', priorName, plannedName, current.displayName);
    writes.displayName = plannedName;
  }
  const priorExt = prior.external_id;
  const plannedExt = planned.external_id;
  if (!isUnknown(plannedExt) && plannedExt !== null && !sameExternalId(priorExt, plannedExt) && !sameExternalId(current.externalId, plannedExt)) {
    if (!sameExternalId(current.externalId, priorExt)) throw conflictError(group, 'external_id', priorExt, plannedExt, current.externalId ?? null);
    writes.externalId = plannedExt === '' ? null : (plannedExt as string);
  }
  return writes;
}

/** The set difference that turns `current` into `desired`. */
export function memberDiff(current: string[], desired: string[]): { add: string[]; remove: string[] } {
  const cur = new Set(current);
  const want = new Set(desired);
  return { add: [...want].filter((m) => !cur.has(m)), remove: [...cur].filter((m) => !want.has(m)) };
}

/**
 * The membership writes of an update. `prior`/`planned` are the member sets of the two states (null =
 * not managed). Managed before and after: only the planned adds and removes, minus what the server already
 * shows (so a member added or removed out of band that the plan does not touch stays as it is). Taken over
 * now (prior null): everything that makes the server's membership equal the planned set (the plan warned).
 */
export function memberWrites(prior: string[] | null, planned: string[] | null, current: string[]): { add: string[]; remove: string[] } {
  if (planned === null) return { add: [], remove: [] };
  const cur = new Set(current);
  const want = new Set(planned);
  if (prior === null) return { add: [...want].filter((m) => !cur.has(m)), remove: [...cur].filter((m) => !want.has(m)) };
  const had = new Set(prior);
  return {
    add: [...want].filter((m) => !had.has(m) && !cur.has(m)),
    remove: [...had].filter((m) => !want.has(m) && cur.has(m)),
  };
}

/** The new state: every known planned value as planned (Terraform requires it); the server's value where the
 * plan had "known after apply" (nested objects such as meta merged the same way). */
export function settledState(planned: ObjectValue, server: ObjectValue): ObjectValue {
  const out: ObjectValue = {};
  for (const key of new Set([...Object.keys(planned), ...Object.keys(server)])) {
    const p = planned[key];
    const s = server[key] ?? null;
    if (p === undefined || isUnknown(p)) out[key] = s;
    else if (isObject(p) && isObject(s)) out[key] = settledState(p, s);
    else out[key] = p;
  }
  return out;
}

/** The group with the attribute writes applied (externalId null removes it). */
export function withWrites(current: ScimGroup, writes: GroupAttributeWrites): ScimGroup {
  const desired: ScimGroup = { ...current, ...(writes.displayName !== undefined ? { displayName: writes.displayName } : {}) };
  if (writes.externalId === null) delete desired.externalId;
  else if (writes.externalId !== undefined) desired.externalId = writes.externalId;
  return desired;
}
