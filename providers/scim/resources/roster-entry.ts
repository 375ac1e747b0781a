// One `scim_roster` entry as a `scim_user` value, so that the roster shares scim_user's mapping, comparison and
// update rules: the entry's account attributes plus `manager_id` (the manager's SCIM id, resolved from the
// person key in `manager` or from `manager_user_name`); and the read of an entry from the server (the app's value
// for every attribute the entry manages, with scim_user's case-aware reconciliation; unmanaged ones stay null).
import type { ObjectValue, Value } from '../plugin/provider-definition';
import { isObjectValue as isObj, isUnknown } from '../plugin/provider-definition';
import type { ConnectorProfile, ScimUser } from '../client';
import { ENTERPRISE_USER } from '../client/scim-urns';
import { reconcile } from './user-mapping';
import { NAME_PARTS, USER_DATA_ATTRS } from './user-schema';

export type EntryMap = Record<string, ObjectValue>;

/** An account's facts in `accounts`. */
export interface AccountFacts {
  id: string;
  existing_id: string | null;
  existing_active: boolean | null;
}

/** The entries of a roster value (known object entries only). */
export function entriesOf(v: Value | undefined): EntryMap {
  const out: EntryMap = {};
  if (!isObj(v)) return out;
  for (const [k, e] of Object.entries(v)) if (isObj(e)) out[k] = e;
  return out;
}

/** The accounts of a roster value, by key. */
export function accountsOf(v: Value | undefined): Record<string, AccountFacts> {
  const out: Record<string, AccountFacts> = {};
  if (!isObj(v)) return out;
  for (const [k, a] of Object.entries(v)) {
    if (!isObj(a) || typeof a.id !== 'string') continue;
    out[k] = {
      id: a.id,
      existing_id: typeof a.existing_id === 'string' ? a.existing_id : null,
      existing_active: typeof a.existing_active === 'boolean' ? a.existing_active : null,
    };
  }
  return out;
}

export const str = (v: Value | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Whether the entry manages its manager (by key or by user name). */
export const managesManager = (entry: ObjectValue): boolean => str(entry.manager) !== undefined || str(entry.manager_user_name) !== undefined;

/**
 * The entry as a scim_user Terraform value. `managerId`: the resolved manager id; null when the entry does not
 * manage its manager (or it cannot be resolved yet: then the manager is left as it is on the server).
 */
export function entryAsUser(entry: ObjectValue, managerId: string | null): ObjectValue {
  const u: ObjectValue = {};
  for (const k of USER_DATA_ATTRS) u[k] = k === 'manager_id' ? managerId : (entry[k] ?? null);
  if (u.active === null || isUnknown(u.active as Value)) u.active = true;
  return u;
}

/** The manager's SCIM id as the account has it. */
export function serverManagerId(user: ScimUser): string | null {
  return user[ENTERPRISE_USER]?.manager?.value ?? null;
}

/**
 * The entry as read from the server: every attribute the entry manages takes the app's value (the entry's own
 * representation kept where it means the same, by scim_user's rules), unmanaged attributes stay null, `active`
 * is always the app's. The manager is compared as a resolved id by the caller (see readManager).
 */
export function readEntry(entry: ObjectValue, remote: ScimUser, profile: ConnectorProfile): ObjectValue {
  const r = reconcile(entryAsUser(entry, null), remote, profile);
  const out: ObjectValue = { ...entry };
  for (const k of USER_DATA_ATTRS) {
    if (k === 'manager_id') continue;
    if (k === 'active') {
      out.active = r.active ?? true;
      continue;
    }
    const p = entry[k];
    if (p === null || p === undefined) continue;
    if (k === 'name' && isObj(p)) {
      const rn = isObj(r.name) ? r.name : {};
      out.name = Object.fromEntries(NAME_PARTS.map((n) => [n.tf, p[n.tf] === null || p[n.tf] === undefined ? null : (rn[n.tf] ?? null)]));
      continue;
    }
    out[k] = r[k] ?? null;
  }
  return out;
}

/** Canonical text of a value; arrays (all sets in entries) order-insensitive. Linear in the value's size. */
export function canon(v: Value | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (isUnknown(v)) return '<unknown>';
  if (Array.isArray(v)) return `[${v.map(canon).sort().join(',')}]`;
  if (typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${k}:${canon(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** Whether two entries differ (what the plan shows as a change of this key). */
export const entryChanged = (a: ObjectValue, b: ObjectValue): boolean => canon(a) !== canon(b);
