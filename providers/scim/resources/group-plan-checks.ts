// Membership diagnostics of a scim_group: member ids the server does not know (plan-time errors), the plan
// warning naming the members apply removes when `members` takes over a membership it did not manage before,
// and the apply warning when adopting a group (perhaps created after the plan) removed members.
import type { Diagnostic, Value } from '../plugin/provider-definition';
import type { ScimClient } from '../client';
import { memberDiff } from './group-changes';

/** Member ids (from `ids`) that the server does not know, checked through the client's read cache. */
export async function unknownUsers(client: ScimClient, ids: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const id of ids) if (!(await client.getUser(id))) missing.push(id);
  return missing;
}

export function unknownMemberDiagnostics(ids: string[]): Diagnostic[] {
  return ids.map((id) => ({
    severity: 'error' as const,
    summary: `Unknown group member ${id}`,
    detail: `members contains "${id}", but the server has no user with that id. Use the id of an existing user (for example scim_user.<name>.id).`,
    path: ['members'],
  }));
}

/** Warning listing the current members that apply will remove when `members` takes over an existing group. */
export async function takeoverWarning(client: ScimClient, groupId: string, declared: Value[], name: string): Promise<Diagnostic | undefined> {
  const current = await client.getGroup(groupId);
  if (!current) return undefined;
  const known = declared.filter((m): m is string => typeof m === 'string');
  const pending = declared.length - known.length;
  const leaving = memberDiff((current.members ?? []).map((m) => m.value), known).remove;
  if (!leaving.length) return undefined;
  const label = new Map((current.members ?? []).map((m) => [m.value, m.display ? `${m.value} (${m.display})` : m.value]));
  const shown = leaving.slice(0, 20).map((id) => label.get(id) ?? id).join(', ') + (leaving.length > 20 ? `, … (${leaving.length - 20} more)` : '');
  return {
    severity: 'warning',
    summary: `apply will remove ${leaving.length} current member(s) from group "${name}"`,
    detail:
      `members now declares the complete membership of group ${groupId}, which this resource did not manage before, so ` +
      `the plan cannot show who leaves. Members not in the configuration will be removed: ${shown}.` +
      (pending ? ` (${pending} declared member id(s) are known only after apply; a member among them stays.)` : '') +
      ' Add them to members to keep them, or leave members unset and use scim_group_member.',
    path: ['members'],
  };
}

/** Apply-time warning: adopting a group (perhaps created in the app after the plan) removed its other members. */
export function adoptionRemovals(name: string, id: string, removed: string[]): Diagnostic[] {
  if (!removed.length) return [];
  const shown = removed.slice(0, 20).join(', ') + (removed.length > 20 ? `, … (${removed.length - 20} more)` : '');
  return [{
    severity: 'warning',
    summary: `scim_group "${name}" adopted existing group ${id} and removed ${removed.length} member(s)`,
    detail: `members declares the complete membership, so the members the existing group had beyond it were removed: ${shown}. Add them to members to keep them.`,
    path: ['members'],
  }];
}
