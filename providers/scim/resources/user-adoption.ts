// Adoption of an existing account by a new `scim_user`, as the plan announces it: the plan-time lookup that
// raises the adoption warning (summary `scim_user will adopt existing account …`, `reactivating it` in the detail
// for an inactive account) or the adopt_existing = false error, and the wording shared with apply.
import type { Diagnostic, ObjectValue, Value } from '../plugin/provider-definition';
import { isUnknown } from '../plugin/provider-definition';
import type { ScimUser } from '../client';
import type { ScimProviderData } from '../provider-config';
import { scimFailure } from './scim-diagnostics';

/** One line about an account for messages. */
export function describeAccount(u: ScimUser): string {
  return `userName "${u.userName}"${u.externalId ? `, externalId "${u.externalId}"` : ''}, ${u.active === false ? 'inactive' : 'active'}`;
}

/** Looks up the account a new resource would adopt, to say so in the plan (warning) or refuse it (adopt_existing = false). */
export async function planAdoption(planned: ObjectValue, data: ScimProviderData, diagnostics: Diagnostic[]): Promise<void> {
  const userName = planned.user_name;
  const externalId = planned.external_id;
  if (typeof userName !== 'string' || isUnknown(externalId as Value)) return;
  let found: ScimUser | undefined;
  try {
    found = await data.client.findUser(typeof externalId === 'string' && externalId !== '' ? { userName, externalId } : { userName });
  } catch (e) {
    diagnostics.push(scimFailure(`Cannot check whether ${userName} already exists`, e));
    return;
  }
  if (!found || !found.id) return;
  if (planned.adopt_existing === false) {
    diagnostics.push({
      severity: 'error',
      summary: `An account for ${userName} already exists (id ${found.id})`,
      detail:
        `The endpoint ${data.endpoint} already has an account matching this user (${describeAccount(found)}), and adopt_existing = false forbids adopting it. ` +
        `Remove adopt_existing (or set it to true) to adopt it, or import it with: terraform import <address> ${found.id}`,
      path: ['user_name'],
    });
    return;
  }
  const reactivate = found.active === false && planned.active !== false;
  diagnostics.push({
    severity: 'warning',
    summary: `scim_user will adopt existing account ${found.id} (userName "${found.userName}")`,
    detail:
      `An account matching this user already exists on ${data.endpoint} (${describeAccount(found)}). Apply will adopt it and bring it to ` +
      `the declared state instead of creating a duplicate${reactivate ? `; ${REACTIVATION_LATER}` : ''}. Set adopt_existing = false to make this an error instead.`,
    path: ['user_name'],
  });
}

/** Why an adopted inactive account is not reactivated by the apply that adopts it. */
export const REACTIVATION_LATER =
  'reactivating it takes a second plan and apply: apply never reactivates an account it adopts (a saved plan cannot tell apply whether ' +
  'the account was inactive when the plan was reviewed), so after this apply the next plan shows active: false -> true for review';
