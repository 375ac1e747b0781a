// Apply of a `scim_user` update: does what the plan showed and nothing else. Reads the account fresh (never
// from the listing cache), decides attribute by attribute with the three-way rule (user-three-way.ts), writes
// only the attributes to write — reactivation first, deactivation last — with If-Match where the server gives
// versions, re-reads once after a 412, and reports a conflict or a deleted account as an error that says to
// re-plan.
import type { ObjectValue } from '../plugin/provider-definition';
import { DiagnosticError } from '../plugin/provider-definition';
import type { ScimClient, ScimUser } from '../client';
import { ScimClientError } from '../client/errors';
import { desiredUser, reconcile } from './user-mapping';
import { decideUpdate, showValue, type AttributeConflict, type PlannedAttribute } from './user-three-way';

export interface UpdateTarget {
  client: ScimClient;
  endpoint: string;
  id: string;
  prior: ObjectValue;
  /** Planned state with unknowns resolved (profile-derived values included). */
  planned: ObjectValue;
  /** Attributes the prior state did not manage (scim_roster entries): see decideUpdate. */
  unmanagedInPrior?: (a: PlannedAttribute) => boolean;
  /** Names the account in messages; default `scim_user USER_NAME (SCIM id ID)`. */
  who?: string;
}

const REPLAN = 'Re-run terraform plan (or scimform plan) to review a plan made from the account as it is now, then apply that plan.';

function who(t: UpdateTarget): string {
  if (t.who) return t.who;
  return `scim_user ${String(t.planned.user_name ?? t.prior.user_name)} (SCIM id ${t.id})`;
}

/** The error for attributes changed in the app since the plan. Exported for its wording (tests, docs). */
export function conflictError(t: UpdateTarget, conflicts: AttributeConflict[], wrote: boolean): DiagnosticError {
  const lines = conflicts.map(
    (c) => `- ${c.attribute.tf}: the plan changes it from ${showValue(c.prior)} to ${showValue(c.planned)}, but the account now has ${showValue(c.current)}`,
  );
  return new DiagnosticError(
    `${who(t)} was changed in the app since the plan`,
    `${lines.join('\n')}\n\nSomeone changed ${conflicts.length === 1 ? 'this attribute' : 'these attributes'} on ${t.endpoint} after the plan was made, so applying the plan would overwrite their change. ` +
      `${wrote ? 'Apply stopped; nothing else was written to this account' : 'Apply stopped without writing anything to this account'}, and the change made in the app is kept. ${REPLAN}`,
    conflicts[0].attribute.path,
  );
}

function deletedError(t: UpdateTarget): DiagnosticError {
  return new DiagnosticError(
    `${who(t)} was deleted in the app since the plan`,
    `The account no longer exists on ${t.endpoint}, so the planned update cannot be applied and nothing was written. ${REPLAN} The new plan shows it as a create (or an adoption of a matching account).`,
  );
}

function racingError(t: UpdateTarget): DiagnosticError {
  return new DiagnosticError(
    `${who(t)} keeps changing in the app during apply`,
    `${t.endpoint} refused the write twice with 412 Precondition Failed: the account was changed between reading it and writing to it, twice. Nothing was overwritten. ${REPLAN}`,
  );
}

const isPreconditionFailed = (e: unknown) => e instanceof ScimClientError && e.status === 412;

/** Applies the planned changes; returns the account as last written (or read). Throws DiagnosticError to re-plan. */
export async function applyPlannedUpdate(t: UpdateTarget): Promise<ScimUser> {
  const { client, id } = t;
  let wrote = false;
  for (let attempt = 1; ; attempt++) {
    const fresh = await client.readUserFresh(id);
    if (!fresh) throw deletedError(t);
    const current = reconcile(t.prior, fresh.user, client.profile);
    const decision = decideUpdate(t.prior, t.planned, current, client.profile, t.unmanagedInPrior);
    if (decision.conflicts.length) throw conflictError(t, decision.conflicts, wrote);
    if (decision.write.length === 0) return fresh.user;
    try {
      let user = fresh.user;
      let version = fresh.version;
      for (const step of writeSteps(decision.write, t.planned)) {
        const desired = desiredUser(t.planned, user);
        desired.active = t.planned.active !== false;
        const res = await client.writeUserChanges(id, user, desired, step.map((a) => a.scim), { ifMatch: version });
        wrote = true;
        user = res.user;
        version = res.version;
      }
      return user;
    } catch (e) {
      if (!isPreconditionFailed(e)) throw e;
      if (attempt >= 2) throw racingError(t);
    }
  }
}

/** Reactivation before the other attributes, deactivation after them (a deactivated account may refuse edits). */
function writeSteps(write: PlannedAttribute[], planned: ObjectValue): PlannedAttribute[][] {
  const active = write.filter((a) => a.scim === 'active');
  const rest = write.filter((a) => a.scim !== 'active');
  const steps: PlannedAttribute[][] = [];
  if (active.length && planned.active !== false) steps.push(active);
  if (rest.length) steps.push(rest);
  if (active.length && planned.active === false) steps.push(active);
  return steps;
}
