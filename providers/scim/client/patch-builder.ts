// PATCH request bodies (RFC 7644 §3.5.2) from a list of changed attributes: whole multi-valued attributes
// are replaced (never dotted sub-paths into them), cleared attributes are removed, name parts and
// enterprise attributes use their own paths (URN-prefixed for the extension), manager is sent as {value}.
// Group membership operations are batched; op names are written in the profile's case.
import { PATCH_OP, type MultiValue, type ScimUser } from './model';
import type { ConnectorProfile } from './profiles';
import { escapeFilterValue } from './filter';
import { findUserAttribute, readAttribute, type UserAttribute } from './user-attributes';

export type PatchOpName = 'add' | 'replace' | 'remove';
export interface PatchOperation {
  op: string;
  path?: string;
  value?: unknown;
}
export interface PatchBody {
  schemas: string[];
  Operations: PatchOperation[];
}

const CAPITALISED: Record<PatchOpName, string> = { add: 'Add', replace: 'Replace', remove: 'Remove' };

export function opName(op: PatchOpName, profile: ConnectorProfile): string {
  return profile.patchOpCase === 'capitalised' ? CAPITALISED[op] : op;
}

export function patchBody(operations: PatchOperation[]): PatchBody {
  return { schemas: [PATCH_OP], Operations: operations };
}

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** The value written for an attribute: multi-valued lists cleaned to value/type/primary/display, manager as {value}. */
export function wireValue(a: UserAttribute, v: unknown): unknown {
  if (a.kind === 'multi') {
    return (v as MultiValue[]).map((m) => {
      const out: MultiValue = { value: m.value };
      if (m.type !== undefined && m.type !== '') out.type = m.type;
      if (m.primary !== undefined) out.primary = m.primary;
      if (m.display !== undefined && m.display !== '') out.display = m.display;
      return out;
    });
  }
  if (a.kind === 'reference') {
    const value = typeof v === 'object' && v !== null ? (v as { value?: string }).value : v;
    return { value };
  }
  return v;
}

/** PATCH operations setting each changed attribute (paths as returned by userChanges()) to its desired value. */
export function userPatchOperations(changes: string[], desired: ScimUser, profile: ConnectorProfile): PatchOperation[] {
  const ops: PatchOperation[] = [];
  for (const name of changes) {
    const a = findUserAttribute(name);
    if (!a) continue;
    const v = readAttribute(desired, a);
    const refEmpty = a.kind === 'reference' && isEmpty(typeof v === 'object' && v !== null ? (v as { value?: unknown }).value : v);
    if (isEmpty(v) || refEmpty) ops.push({ op: opName('remove', profile), path: a.patchPath });
    else ops.push({ op: opName('replace', profile), path: a.patchPath, value: wireValue(a, v) });
  }
  return ops;
}

/** Whether PATCH may carry a change to `attr` under the profile ('name.givenName' is covered by 'name' too). */
export function isPatchable(attr: string, profile: ConnectorProfile): boolean {
  const a = findUserAttribute(attr);
  if (a?.path === 'userName' && profile.userNameChange === 'put') return false;
  if (profile.patchableUserPaths === 'all') return true;
  const allowed = profile.patchableUserPaths.map((p) => p.toLowerCase());
  const names = a ? [a.path, a.patchPath, a.top] : [attr];
  return names.some((n) => allowed.includes(n.toLowerCase()));
}

/** Membership operations split into PATCH bodies of at most `batchSize` members, adds and removes together. */
export function memberPatchBatches(add: string[], remove: string[], profile: ConnectorProfile, batchSize: number): PatchBody[] {
  const size = Math.max(1, Math.floor(batchSize));
  // Spread adds and removes evenly over the batches, so each PATCH carries both kinds while both remain
  // (a small change is a single PATCH with an add and a remove operation).
  const bodies: PatchBody[] = [];
  let ai = 0;
  let ri = 0;
  while (ai < add.length || ri < remove.length) {
    const addsLeft = add.length - ai;
    const removesLeft = remove.length - ri;
    const batchesLeft = Math.ceil((addsLeft + removesLeft) / size);
    const takeAdds = Math.min(addsLeft, Math.ceil(addsLeft / batchesLeft), size);
    const takeRemoves = Math.min(removesLeft, size - takeAdds);
    bodies.push(patchBody(memberOperations(add.slice(ai, ai + takeAdds), remove.slice(ri, ri + takeRemoves), profile)));
    ai += takeAdds;
    ri += takeRemoves;
  }
  return bodies;
}

/** One `add members` operation plus removals in the profile's form. */
export function memberOperations(add: string[], remove: string[], profile: ConnectorProfile): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (add.length) ops.push({ op: opName('add', profile), path: 'members', value: add.map((value) => ({ value })) });
  if (remove.length) {
    if (profile.memberRemoveForm === 'value-list') ops.push({ op: opName('remove', profile), path: 'members', value: remove.map((value) => ({ value })) });
    else for (const id of remove) ops.push({ op: opName('remove', profile), path: `members[value eq "${escapeFilterValue(id)}"]` });
  }
  return ops;
}
