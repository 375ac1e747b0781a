// Mapping between `scim_user` Terraform values (snake_case) and SCIM user JSON (RFC 7643 camelCase), and the
// read-time reconciliation that keeps the configured representation when the server's value means the same
// (letter case of userName/emails, set order, server-added labels), so plans show no noise.
import type { ObjectValue, Value } from '../plugin/provider-definition';
import { cloneJson } from '../client/json-clone';
import { isObjectValue as isObj, isUnknown } from '../plugin/provider-definition';
import type { ConnectorProfile, EnterpriseUser, MultiValue, ScimMeta, ScimName, ScimUser } from '../client';
import { CORE_USER, ENTERPRISE_USER } from '../client/scim-urns';
import { loadScimClient } from '../client-loader';
import { CORE_STRINGS, ENTERPRISE_STRINGS, MULTI_VALUED, NAME_PARTS, enterprisePath } from './user-schema';

// ---------------------------------------------------------------------------------------------------
// Value helpers


/** A known string, or undefined for null/unknown/''. */
function str(v: Value | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

const tfStr = (s: string | undefined): Value => (s === undefined ? null : s);

/** Known, non-null. */
export const isSet = (v: Value | undefined): boolean => v !== undefined && v !== null && !isUnknown(v);

// ---------------------------------------------------------------------------------------------------
// Terraform → SCIM

function multiFromTf(v: Value | undefined): MultiValue[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: MultiValue[] = [];
  for (const e of v) {
    if (!isObj(e) || typeof e.value !== 'string') continue;
    const m: MultiValue = { value: e.value };
    if (typeof e.type === 'string' && e.type !== '') m.type = e.type;
    if (typeof e.primary === 'boolean') m.primary = e.primary;
    out.push(m);
  }
  return out;
}

function rolesFromTf(v: Value | undefined): MultiValue[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((r): r is string => typeof r === 'string').map((value) => ({ value }));
}

function nameFromTf(v: Value | undefined, base: ScimName | undefined): ScimName | undefined {
  if (!isObj(v)) return base;
  const out: ScimName = { ...(base ?? {}) };
  for (const p of NAME_PARTS) {
    const part = v[p.tf];
    if (part === null || part === undefined || isUnknown(part)) continue; // unmanaged part: keep the server's
    const s = str(part);
    const key = p.scim as keyof ScimName;
    if (s === undefined) delete out[key];
    else out[key] = s;
  }
  return Object.keys(out).length ? out : undefined;
}

function enterpriseFromTf(tf: ObjectValue, base: EnterpriseUser | undefined): EnterpriseUser | undefined {
  const out: EnterpriseUser = { ...(base ?? {}) };
  for (const a of ENTERPRISE_STRINGS) {
    const v = tf[a.tf];
    if (!isSet(v)) continue;
    const s = str(v);
    if (a.scim === 'manager') {
      if (s === undefined) delete out.manager;
      else out.manager = { value: s };
    } else {
      const key = a.scim as Exclude<keyof EnterpriseUser, 'manager'>;
      if (s === undefined) delete out[key];
      else out[key] = s;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

/** SCIM top-level attributes the Terraform value manages (set in it), `active` excluded. */
export function managedAttributes(tf: ObjectValue): string[] {
  const managed = ['userName'];
  for (const a of CORE_STRINGS) if (isSet(tf[a.tf])) managed.push(a.scim);
  if (isSet(tf.name)) managed.push('name');
  for (const m of MULTI_VALUED) if (isSet(tf[m.tf])) managed.push(m.scim);
  if (isSet(tf.roles)) managed.push('roles');
  if (ENTERPRISE_STRINGS.some((a) => isSet(tf[a.tf]))) managed.push(ENTERPRISE_USER);
  return managed;
}

/**
 * The SCIM user a Terraform value declares. With `current` (an existing account), attributes the value does not
 * set keep the server's values, so the result is also a complete body for PUT; `active` then stays as on the
 * server (the resource changes it separately). Without `current`, only the declared attributes are sent.
 */
export function desiredUser(tf: ObjectValue, current?: ScimUser): ScimUser {
  const user: ScimUser = current ? cloneJson(current) : { userName: '' };
  delete user.id;
  delete user.meta;
  user.userName = typeof tf.user_name === 'string' ? tf.user_name : (current?.userName ?? '');
  const u = user as unknown as Record<string, unknown>;
  for (const a of CORE_STRINGS) {
    const v = tf[a.tf];
    if (!isSet(v)) continue;
    const s = str(v);
    if (s === undefined) delete u[a.scim];
    else u[a.scim] = s;
  }
  if (isSet(tf.name)) {
    const name = nameFromTf(tf.name, current?.name);
    if (name) user.name = name;
    else delete user.name;
  }
  for (const m of MULTI_VALUED) {
    const v = tf[m.tf];
    if (!isSet(v)) continue;
    const list = multiFromTf(v) ?? [];
    if (list.length) user[m.scim] = list;
    else delete user[m.scim];
  }
  if (isSet(tf.roles)) {
    const roles = rolesFromTf(tf.roles) ?? [];
    if (roles.length) user.roles = roles;
    else delete user.roles;
  }
  const ent = enterpriseFromTf(tf, current?.[ENTERPRISE_USER]);
  if (ent) user[ENTERPRISE_USER] = ent;
  else delete user[ENTERPRISE_USER];
  if (!current) user.active = tf.active === false ? false : true;
  const schemas = new Set(user.schemas ?? []);
  schemas.add(CORE_USER);
  if (user[ENTERPRISE_USER]) schemas.add(ENTERPRISE_USER);
  user.schemas = [...schemas];
  return user;
}

// ---------------------------------------------------------------------------------------------------
// SCIM → Terraform

function multiToTf(list: MultiValue[] | undefined): Value {
  if (!list) return null;
  return list.map((m) => ({ value: m.value, type: tfStr(m.type), primary: m.primary === undefined ? null : m.primary }));
}

export function nameToTf(name: ScimName | undefined): Value {
  if (!name) return null;
  const out: ObjectValue = {};
  let any = false;
  for (const p of NAME_PARTS) {
    const s = name[p.scim as keyof ScimName];
    out[p.tf] = tfStr(s);
    if (s !== undefined) any = true;
  }
  return any ? out : null;
}

export function metaToTf(meta: ScimMeta | undefined): ObjectValue {
  return {
    resource_type: tfStr(meta?.resourceType),
    created: tfStr(meta?.created),
    last_modified: tfStr(meta?.lastModified),
    version: tfStr(meta?.version),
    location: tfStr(meta?.location),
  };
}

/** Every account attribute of a SCIM user as Terraform values (plus `id` and `meta`; no bookkeeping). */
export function userToTf(user: ScimUser): ObjectValue {
  const out: ObjectValue = { id: tfStr(user.id), user_name: user.userName };
  const u = user as unknown as Record<string, unknown>;
  for (const a of CORE_STRINGS) out[a.tf] = tfStr(typeof u[a.scim] === 'string' ? (u[a.scim] as string) : undefined);
  out.name = nameToTf(user.name);
  for (const m of MULTI_VALUED) out[m.tf] = multiToTf(user[m.scim]);
  out.roles = user.roles ? user.roles.map((r) => r.value) : null;
  out.active = user.active ?? true;
  const ent = user[ENTERPRISE_USER];
  for (const a of ENTERPRISE_STRINGS) {
    out[a.tf] = a.scim === 'manager' ? tfStr(ent?.manager?.value) : tfStr(ent?.[a.scim as Exclude<keyof EnterpriseUser, 'manager'>]);
  }
  out.meta = metaToTf(user.meta);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Reconciliation: the state to keep after reading the server

/**
 * Matches remote elements of a multi-valued attribute to prior ones (same value by the attribute's rules) and
 * hides the sub-attributes the prior element leaves unset (type/primary = null means "not managed").
 */
function projectMulti(attr: string, prior: Value, remote: Value, profile: ConnectorProfile): Value {
  if (!Array.isArray(remote)) return remote;
  const priorEls = Array.isArray(prior) ? prior.filter(isObj) : [];
  const used = new Set<number>();
  return remote.map((r) => {
    if (!isObj(r)) return r;
    const i = priorEls.findIndex((p, idx) => !used.has(idx) && loadScimClient().sameUserAttribute(attr, [{ value: p.value }], [{ value: r.value }], profile));
    if (i < 0) return r;
    used.add(i);
    const p = priorEls[i];
    const valueSame = loadScimClient().sameUserAttribute(attr, [{ value: p.value }], [{ value: r.value }], profile);
    return {
      value: valueSame ? p.value : r.value,
      type: p.type === null ? null : r.type,
      primary: p.primary === null ? null : r.primary,
    };
  });
}

const asScimMulti = (v: Value): MultiValue[] | undefined => multiFromTf(v);

/**
 * The state to store after reading `remote`: each account attribute takes the server's value, except where the
 * prior state's value means the same thing for SCIM (case-insensitive userName/emails, sets in any order,
 * '' ≡ absent), in which case the prior representation is kept. Bookkeeping attributes (`on_destroy`,
 * `adopt_existing`, `existing_id`, `existing_active`) are carried over from the prior state.
 */
export function reconcile(prior: ObjectValue, remote: ScimUser, profile: ConnectorProfile): ObjectValue {
  const r = userToTf(remote);
  const out: ObjectValue = { ...prior, id: r.id, meta: r.meta };
  const keep = (attr: string, p: Value | undefined, rv: Value, toScim: (v: Value) => unknown = (v) => (typeof v === 'string' ? v : undefined)): Value => {
    if (p === undefined || p === null || isUnknown(p)) return rv;
    return loadScimClient().sameUserAttribute(attr, toScim(p), toScim(rv), profile) ? p : rv;
  };

  out.user_name = keep('userName', prior.user_name, r.user_name);
  for (const a of CORE_STRINGS) out[a.tf] = keep(a.scim, prior[a.tf], r[a.tf]);

  // name: part by part, so a server-computed `formatted` does not disturb the declared parts.
  const pn = isObj(prior.name) ? prior.name : undefined;
  const rn = isObj(r.name) ? r.name : undefined;
  if (!pn) out.name = r.name;
  else {
    const name: ObjectValue = {};
    for (const p of NAME_PARTS) name[p.tf] = keep(`name.${p.scim}`, pn[p.tf], rn ? rn[p.tf] : null);
    out.name = Object.values(name).some((v) => v !== null) || pn ? name : null;
  }

  for (const m of MULTI_VALUED) {
    const projected = projectMulti(m.scim, prior[m.tf] ?? null, r[m.tf], profile);
    out[m.tf] = keep(m.scim, prior[m.tf], projected === null && isSet(prior[m.tf]) ? [] : projected, (v) => asScimMulti(v) ?? []);
    if (Array.isArray(out[m.tf]) && (out[m.tf] as Value[]).length === 0 && !isSet(prior[m.tf])) out[m.tf] = null;
  }
  out.roles = keep('roles', prior.roles, r.roles === null && isSet(prior.roles) ? [] : r.roles, (v) => (Array.isArray(v) ? v.map((value) => ({ value })) : []));

  out.active = remote.active === undefined && typeof prior.active === 'boolean' ? prior.active : r.active;

  for (const a of ENTERPRISE_STRINGS) {
    if (a.scim === 'manager') {
      const p = prior[a.tf];
      out[a.tf] = typeof p === 'string' && (str(p) ?? null) === (str(r[a.tf]) ?? null) ? p : r[a.tf];
    } else out[a.tf] = keep(enterprisePath(a.scim), prior[a.tf], r[a.tf]);
  }
  return out;
}

/**
 * Bookkeeping and computed attributes set to null: the base of a state built from a server read (import).
 * `userNameKey` (import by `user_name=…`) is the letter case the configuration uses: the server's userName, and
 * every email equal to it case-insensitively, are stored in that case (the provider compares them
 * case-insensitively, so the first plan after the import shows no case-only change).
 */
export function importedState(remote: ScimUser, onDestroy: string, userNameKey?: string): ObjectValue {
  const state: ObjectValue = { ...userToTf(remote), on_destroy: onDestroy, adopt_existing: null, existing_id: null, existing_active: null };
  if (userNameKey === undefined || remote.userName.toLowerCase() !== userNameKey.toLowerCase()) return state;
  const same = (v: Value | undefined) => typeof v === 'string' && v.toLowerCase() === userNameKey.toLowerCase();
  state.user_name = userNameKey;
  if (Array.isArray(state.emails)) state.emails = state.emails.map((e) => (isObj(e) && same(e.value) ? { ...e, value: userNameKey } : e));
  return state;
}
