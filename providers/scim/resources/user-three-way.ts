// The three-way decision of a `scim_user` update: which attributes the plan changes (prior state → planned
// state), and for each, what the account has now: already the planned value (skip), still the prior value
// (write it) or something else (a conflict: it was changed in the app since the plan). Values are compared
// the way plan compares them (case-insensitive userName/emails where SCIM says so, sets in any order).
import type { ObjectValue, Value } from '../plugin/provider-definition';
import { isObjectValue as isObj, isUnknown } from '../plugin/provider-definition';
import type { ConnectorProfile } from '../client';
import { loadScimClient } from '../client-loader';
import { CORE_STRINGS, ENTERPRISE_STRINGS, MULTI_VALUED, NAME_PARTS, enterprisePath } from './user-schema';

/** One attribute the plan can change, as Terraform names it and as SCIM writes it. */
export interface PlannedAttribute {
  /** Terraform attribute path for messages and diagnostics, e.g. `title`, `name.given_name`. */
  tf: string;
  /** Attribute path for the SCIM client (userChanges() naming), e.g. `title`, `name.givenName`, `emails`. */
  scim: string;
  /** Diagnostic path. */
  path: string[];
  read(v: ObjectValue): Value;
  /** The value in the form sameUserAttribute() compares. */
  toScim(v: Value): unknown;
}

const asString = (v: Value): unknown => (typeof v === 'string' ? v : undefined);
const asMulti = (v: Value): unknown =>
  Array.isArray(v)
    ? v.filter(isObj).map((e) => ({ value: e.value, ...(typeof e.type === 'string' ? { type: e.type } : {}), ...(typeof e.primary === 'boolean' ? { primary: e.primary } : {}) }))
    : [];
const asRoles = (v: Value): unknown => (Array.isArray(v) ? v.map((value) => ({ value })) : []);

const top = (tf: string, scim: string, toScim: (v: Value) => unknown = asString): PlannedAttribute => ({ tf, scim, path: [tf], read: (v) => v[tf] ?? null, toScim });

/** Every account attribute of `scim_user`, in the order writes are made. */
export const PLANNED_ATTRIBUTES: readonly PlannedAttribute[] = [
  top('user_name', 'userName'),
  ...CORE_STRINGS.map((a) => top(a.tf, a.scim)),
  ...NAME_PARTS.map((p): PlannedAttribute => ({
    tf: `name.${p.tf}`,
    scim: `name.${p.scim}`,
    path: ['name', p.tf],
    read: (v) => (isObj(v.name) ? (v.name[p.tf] ?? null) : null),
    toScim: asString,
  })),
  ...MULTI_VALUED.map((m) => top(m.tf, m.scim, asMulti)),
  top('roles', 'roles', asRoles),
  ...ENTERPRISE_STRINGS.map((a) => top(a.tf, enterprisePath(a.scim))),
  top('active', 'active', (v) => (typeof v === 'boolean' ? v : true)),
];

/** Whether two Terraform values of one attribute mean the same for SCIM (under the profile's rules). */
export function sameValue(a: PlannedAttribute, x: Value, y: Value, profile: ConnectorProfile): boolean {
  if (isUnknown(x) || isUnknown(y)) return false;
  return loadScimClient().sameUserAttribute(a.scim, a.toScim(x), a.toScim(y), profile);
}

export interface AttributeConflict {
  attribute: PlannedAttribute;
  prior: Value;
  planned: Value;
  current: Value;
}

export interface ThreeWayDecision {
  /** Attributes to write (the account still has the prior value). */
  write: PlannedAttribute[];
  /** Attributes the plan changes that the account already has as planned. */
  already: PlannedAttribute[];
  /** Attributes changed in the app since the plan, to something neither prior nor planned. */
  conflicts: AttributeConflict[];
}

/**
 * Decides an update from the prior state (what the plan was made from), the planned state and the account as
 * read now (as Terraform values, reconciled against the prior state so that equal-meaning values keep the
 * prior representation). Attributes the plan does not change are never written, whatever the account has.
 * `unmanagedInPrior` names attributes the prior state left unmanaged: they are written unless already as planned.
 */
export function decideUpdate(prior: ObjectValue, planned: ObjectValue, current: ObjectValue, profile: ConnectorProfile, unmanagedInPrior?: (a: PlannedAttribute) => boolean): ThreeWayDecision {
  const out: ThreeWayDecision = { write: [], already: [], conflicts: [] };
  for (const a of PLANNED_ATTRIBUTES) {
    // An attribute the prior state did not manage (a roster entry starting to set it): the plan showed no prior
    // value to protect, so the account's current value stands for it.
    const p = unmanagedInPrior?.(a) ? a.read(current) : a.read(prior);
    const n = a.read(planned);
    if (sameValue(a, p, n, profile)) continue;
    const c = a.read(current);
    if (sameValue(a, c, n, profile)) out.already.push(a);
    else if (sameValue(a, c, p, profile)) out.write.push(a);
    else out.conflicts.push({ attribute: a, prior: p, planned: n, current: c });
  }
  return out;
}

/** A Terraform value as a short text for messages: strings quoted, sets as their values, null as (unset). */
export function showValue(v: Value): string {
  if (v === null || v === undefined) return '(unset)';
  if (isUnknown(v)) return '(unknown)';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) {
    return `[${v
      .map((e) => {
        if (!isObj(e)) return showValue(e);
        const extras = [typeof e.type === 'string' ? e.type : undefined, e.primary === true ? 'primary' : undefined].filter(Boolean);
        return `${showValue(e.value)}${extras.length ? ` (${extras.join(', ')})` : ''}`;
      })
      .join(', ')}]`;
  }
  if (isObj(v)) return JSON.stringify(v);
  return String(v);
}
