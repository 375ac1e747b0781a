// Group membership changes: PATCH bodies of at most the batch size, each with both the add and the remove
// operations, or one PUT of the whole member list when the server has no PATCH; a `400 noTarget` (a member
// to remove is already gone) is not a failure; a member id the server refuses is named in the error. A change
// of several batches writes `group-progress` lines to the provisioning log (members done / total), which
// `scimform deploy|apply` show on the terminal.
import { checkAborted, requireGroups, type ClientContext } from './client-context';
import { ScimClientError, unknownMemberError } from './errors';
import { resourcePath } from './filter';
import { memberPatchBatches, type PatchOperation } from './patch-builder';
import { getGroupById } from './server-reads';
import { groupPutBody } from './wire';

export async function updateGroupMembers(c: ClientContext, id: string, add: string[], remove: string[], afterNoTarget = false): Promise<void> {
  checkAborted(c);
  requireGroups(c, 'changing group members');
  const addSet = new Set(add);
  const removeSet = new Set(remove.filter((r) => !addSet.has(r)));
  for (const r of remove) if (addSet.has(r)) addSet.delete(r);
  if (addSet.size === 0 && removeSet.size === 0) return;
  const path = resourcePath('/Groups', id);
  try {
    if (await c.patchSupported()) {
      const batch = c.memberBatchSize ?? c.profile.memberPatchBatchSize;
      const bodies = memberPatchBatches([...addSet], [...removeSet], c.profile, batch);
      const progress = bodies.length > 1 ? batchProgress(c, path, addSet.size + removeSet.size) : undefined;
      for (const [i, body] of bodies.entries()) {
        checkAborted(c);
        try {
          await c.http.request({ method: 'PATCH', path, body, contentType: c.profile.patchContentType, action: `update-group-members` });
          progress?.(membersIn(body.Operations), i === bodies.length - 1);
        } catch (e) {
          if (!afterNoTarget && e instanceof ScimClientError && e.status === 400 && e.scimType?.toLowerCase() === 'notarget') {
            return await membersStillNeeded(c, id, path, [...addSet], [...removeSet]);
          }
          throw memberError(c, e, id, path, body.Operations, i);
        }
      }
    } else {
      const base = await getGroupById(c, id, false);
      if (!base) throw new ScimClientError('SCIM_NOT_FOUND', `cannot change members of group ${id}: ${c.http.endpoint}${path} does not exist`, { status: 404 });
      const members = new Set((base.members ?? []).map((m) => m.value));
      for (const r of removeSet) members.delete(r);
      for (const a of addSet) members.add(a);
      try {
        await c.http.request({ method: 'PUT', path, body: groupPutBody(base, {}, [...members]), action: 'update-group-members' });
      } catch (e) {
        throw memberError(c, e, id, path, [{ op: 'add', value: [...addSet].map((value) => ({ value })) }], 0);
      }
    }
  } finally {
    c.caches.groupsFull.invalidate(id);
  }
}

/** Members an operation list adds or removes (values, or one `members[value eq …]` path each). */
const membersIn = (ops: PatchOperation[]): number => ops.reduce((n, op) => n + (Array.isArray(op.value) ? op.value.length : op.path?.includes('value eq') ? 1 : 0), 0);

/** Progress of one membership change: a line at the start, then at most one a second, and the last one. */
function batchProgress(c: ClientContext, path: string, total: number): (members: number, last: boolean) => void {
  const started = Date.now();
  let done = 0;
  let shown = started;
  const note = () =>
    c.http.note({ method: '-', path, durationMs: Date.now() - started, action: 'group-progress', done, total, failed: 0, detail: `scim_group: ${done}/${total} members changed` });
  note();
  return (members, last) => {
    done = last ? total : Math.min(total, done + members);
    if (!last && Date.now() - shown < 1000) return;
    shown = Date.now();
    note();
  };
}

/** After a noTarget: reads the group and sends only the adds and removes it still needs. */
async function membersStillNeeded(c: ClientContext, id: string, path: string, add: string[], remove: string[]): Promise<void> {
  const now = await getGroupById(c, id, false);
  if (!now) throw new ScimClientError('SCIM_NOT_FOUND', `cannot change members of group ${id}: ${c.http.endpoint}${path} does not exist`, { status: 404 });
  const present = new Set((now.members ?? []).map((m) => m.value));
  const gone = remove.filter((r) => !present.has(r));
  c.http.note({ method: 'PATCH', path, durationMs: 0, action: 'update-group-members', detail: `noTarget: ${gone.length} member(s) to remove already gone (${gone.slice(0, 5).join(', ')}); sending only what is still needed` });
  await updateGroupMembers(c, id, add.filter((a) => !present.has(a)), remove.filter((r) => present.has(r)), true);
}

/** Names the member a 400/404/422 refers to, when the server's detail mentions one of this batch's ids. */
function memberError(c: ClientContext, e: unknown, groupId: string, path: string, ops: PatchOperation[], batchIndex: number): unknown {
  if (!(e instanceof ScimClientError) || e.status === undefined || ![400, 404, 409, 422].includes(e.status)) return e;
  const ids: string[] = [];
  for (const op of ops) {
    if (Array.isArray(op.value)) for (const v of op.value as { value: string }[]) ids.push(v.value);
    const m = op.path?.match(/value eq "((?:[^"\\]|\\.)*)"/);
    if (m) ids.push(m[1].replace(/\\(.)/g, '$1'));
  }
  const text = `${e.detail ?? ''} ${e.message}`;
  const named = ids.find((id) => text.includes(id));
  if (named) return unknownMemberError(e.method ?? 'PATCH', e.url ?? `${c.http.endpoint}${path}`, groupId, named, e.status, e.detail);
  return new ScimClientError(e.code, `${e.message} (membership batch ${batchIndex + 1} of group ${groupId})`, e);
}
