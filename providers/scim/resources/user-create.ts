// Apply of a new account (shared by `scim_user` create and new `scim_roster` entries): create it, or adopt the
// account found on the server (by the caller's fresh lookup, or by the client when the POST answers 409), and
// bring an adopted account to the declared attributes — never reactivating it (see REACTIVATION_LATER).
import type { ObjectValue } from '../plugin/provider-definition';
import type { ScimClient, ScimUser } from '../client';
import { loadScimClient } from '../client-loader';
import { desiredUser, managedAttributes } from './user-mapping';

/** What apply did so far; filled in as it goes, so a caller catching an error still knows the account. */
export interface NewAccountProgress {
  user?: ScimUser;
  adopted: boolean;
  /** Whether the adopted account was active when found; null when created. */
  foundActive: boolean | null;
  /** An adopted account is inactive and was not reactivated: the next plan shows active false -> true. */
  reactivationLeft: boolean;
}

/** Some servers answer writes with a partial body; keep what we knew. */
export function mergeUser(before: ScimUser, after: ScimUser | undefined): ScimUser {
  return after && after.id ? after : { ...before, ...(after ?? {}), id: before.id };
}

/**
 * Brings an account apply adopts to the declared attributes (and deactivates it when declared inactive). It never
 * reactivates it: the plan this apply runs cannot have shown that; `reactivationLeft` tells the caller to warn.
 */
export async function bringAdoptedToDeclared(client: ScimClient, current: ScimUser, planned: ObjectValue): Promise<{ user: ScimUser; reactivationLeft: boolean }> {
  const id = current.id as string;
  const wantActive = planned.active !== false;
  let user = current;
  const desired = desiredUser(planned, user);
  const managed = managedAttributes(planned);
  if (loadScimClient().userChanges(user, desired, client.profile, managed).length > 0) user = mergeUser(user, await client.updateUser(id, user, desired, { managed }));
  if (!wantActive && user.active !== false) user = mergeUser(user, await client.setUserActive(id, false));
  return { user, reactivationLeft: wantActive && user.active === false };
}

/**
 * Creates the account `planned` declares, or adopts `existing` (found by the caller on the server at apply).
 * `confirmedAbsent`: the caller's lookup of `existing` was a fresh filter query on the server (not the listing
 * cache), so the client skips its own before the POST. `progress` records the account as soon as it exists;
 * errors (ScimClientError) propagate to the caller.
 */
export async function createOrAdopt(
  client: ScimClient,
  planned: ObjectValue,
  existing: ScimUser | undefined,
  progress: NewAccountProgress,
  onAdopt?: (id: string) => void,
  opts: { confirmedAbsent?: boolean } = {},
): Promise<ScimUser> {
  progress.user = existing;
  progress.adopted = existing !== undefined;
  progress.foundActive = existing ? existing.active !== false : null;
  let converged: { user: ScimUser; reactivationLeft: boolean } | undefined;
  if (!existing) {
    const res = await client.createUser(desiredUser(planned), { confirmedAbsent: opts.confirmedAbsent === true });
    progress.user = res.user;
    progress.adopted = res.adopted;
    if (res.adopted) {
      onAdopt?.(String(res.user.id));
      progress.foundActive = res.user.active !== false;
    }
    if (res.adopted || (planned.active === false && res.user.active !== false)) converged = await bringAdoptedToDeclared(client, res.user, planned);
  } else {
    onAdopt?.(String(existing.id));
    converged = await bringAdoptedToDeclared(client, existing, planned);
  }
  if (converged) {
    progress.user = converged.user;
    progress.reactivationLeft = converged.reactivationLeft;
  }
  return progress.user as ScimUser;
}
