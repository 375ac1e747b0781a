// Plan-time twin check of scim_group (best effort): two resources of one configuration that address the
// same group — display_name equal case-insensitively, or the same external_id (case-exact) — would silently
// share it and flap on every apply. Terraform plans each resource instance once per provider process and
// without its address, so the check remembers, per configured provider, what each plan claimed.
import type { Diagnostic } from '../plugin/provider-definition';

/** What one planned scim_group claims. */
export interface GroupClaim {
  displayName?: string;
  externalId?: string;
}

const keysOf = (c: GroupClaim): { key: string; what: string }[] => [
  ...(c.displayName !== undefined ? [{ key: `name:${c.displayName.toLowerCase()}`, what: `display_name "${c.displayName}"` }] : []),
  ...(c.externalId ? [{ key: `ext:${c.externalId}`, what: `external_id "${c.externalId}"` }] : []),
];

export class GroupClaims {
  private readonly byKey = new Map<string, GroupClaim>();

  /** Records a claim; returns the earlier claim it collides with, and on what, when there is one. */
  claim(c: GroupClaim): { other: GroupClaim; on: string } | undefined {
    const keys = keysOf(c);
    for (const { key, what } of keys) {
      const other = this.byKey.get(key);
      if (other) return { other, on: what };
    }
    for (const { key } of keys) this.byKey.set(key, c);
    return undefined;
  }
}

const registries = new WeakMap<object, GroupClaims>();

/** The claims of one configured provider (keyed by its provider data). */
export function groupClaims(providerData: object): GroupClaims {
  let r = registries.get(providerData);
  if (!r) registries.set(providerData, (r = new GroupClaims()));
  return r;
}

/** The twin error's summary and detail. */
export function twinMessage(c: GroupClaim, twin: { other: GroupClaim; on: string }): { summary: string; detail: string } {
  const name = (g: GroupClaim) => `"${g.displayName ?? '(unknown)'}"${g.externalId ? ` (external_id "${g.externalId}")` : ''}`;
  return {
    summary: `Two scim_group resources address the same group: ${name(c)} and ${name(twin.other)}`,
    detail:
      `Both resources of this configuration have ${twin.on} (display names are compared case-insensitively, external ids ` +
      'exactly), so they would manage one group on the server and undo each other on every apply. Keep one resource ' +
      'for the group, or give each group its own display_name and external_id.',
  };
}

/** The plan-time error when this planned group (display_name, external_id) collides with one planned before. */
export function twinCheck(providerData: object | undefined, displayName: unknown, externalId: unknown): Diagnostic | undefined {
  if (!providerData) return undefined;
  const claim: GroupClaim = {
    ...(typeof displayName === 'string' ? { displayName } : {}),
    ...(typeof externalId === 'string' && externalId !== '' ? { externalId } : {}),
  };
  const twin = groupClaims(providerData).claim(claim);
  if (!twin) return undefined;
  return { severity: 'error', ...twinMessage(claim, twin), path: ['display_name'] };
}
