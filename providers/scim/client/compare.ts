// Comparison of current vs desired SCIM users without noise: caseExact-aware, multi-valued attributes as
// sets (order-insensitive, primary=false ≡ absent), undefined ≡ null ≡ ''. Driven by the attribute
// characteristics table in user-attributes.ts, never by per-attribute if-chains.
import type { ScimUser } from './model';
import type { ConnectorProfile } from './profiles';
import { USER_ATTRIBUTES, attributesNamed, findUserAttribute, readAttribute, type UserAttribute } from './user-attributes';
import { looseBoolean } from './model';

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

function foldString(v: unknown, caseExact: boolean): string | undefined {
  if (isEmpty(v)) return undefined;
  const s = typeof v === 'string' ? v : String(v);
  return caseExact ? s : s.toLowerCase();
}

/** A canonical string for a multi-valued attribute: its members as a sorted, de-duplicated set. */
function canonicalMulti(v: unknown, a: UserAttribute, profile: ConnectorProfile): string | undefined {
  if (isEmpty(v)) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  const valueExact = (a.valueCaseExact ?? true) && !(a.top === 'emails' && profile.emailCaseFolding === 'lower');
  const items = new Set<string>();
  for (const item of arr) {
    const o: Record<string, unknown> = typeof item === 'object' && item !== null ? (item as Record<string, unknown>) : { value: item };
    const value = foldString(o.value, valueExact) ?? '';
    const type = foldString(o.type, false) ?? '';
    const primary = looseBoolean(o.primary) === true;
    items.add(JSON.stringify([value, type, primary]));
  }
  return [...items].sort().join('\n');
}

function canonical(a: UserAttribute, v: unknown, profile: ConnectorProfile): unknown {
  switch (a.kind) {
    case 'string':
      return foldString(v, a.caseExact);
    case 'boolean':
      return isEmpty(v) ? undefined : looseBoolean(v);
    case 'multi':
      return canonicalMulti(v, a, profile);
    case 'reference': {
      const value = typeof v === 'object' && v !== null ? (v as Record<string, unknown>).value : v;
      return foldString(value, a.caseExact);
    }
  }
}

function deepCanonical(v: unknown): unknown {
  if (isEmpty(v)) return undefined;
  if (Array.isArray(v)) return v.map(deepCanonical);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const c = deepCanonical((v as Record<string, unknown>)[k]);
      if (c !== undefined) out[k] = c;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return v;
}

function sameLeaf(a: UserAttribute, x: unknown, y: unknown, profile: ConnectorProfile): boolean {
  return canonical(a, x, profile) === canonical(a, y, profile);
}

/**
 * Whether two values of one user attribute are the same for SCIM. `attr` is a top-level attribute
 * ('userName', 'emails', 'name', the enterprise URN) or a leaf ('name.givenName', 'urn:…:User.department').
 * For a top-level complex attribute (`name`, the enterprise URN) a and b are the complex values.
 */
export function sameUserAttribute(attr: string, a: unknown, b: unknown, profile: ConnectorProfile): boolean {
  const leaf = findUserAttribute(attr);
  if (leaf) return sameLeaf(leaf, a, b, profile);
  const subs = attributesNamed(attr);
  if (subs.length) {
    const pick = (v: unknown, s: UserAttribute) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[s.sub!] : undefined);
    return subs.every((s) => sameLeaf(s, pick(a, s), pick(b, s), profile));
  }
  return JSON.stringify(deepCanonical(a)) === JSON.stringify(deepCanonical(b));
}

/** Which attributes `managed` covers; without it, those the desired user sets (not undefined/null). */
export function managedAttributes(desired: ScimUser, managed?: string[]): UserAttribute[] {
  if (managed) {
    const set = new Set<UserAttribute>();
    for (const m of managed) for (const a of attributesNamed(m)) set.add(a);
    return USER_ATTRIBUTES.filter((a) => set.has(a));
  }
  return USER_ATTRIBUTES.filter((a) => {
    const v = readAttribute(desired, a);
    return v !== undefined && v !== null;
  });
}

/**
 * Attribute names (leaf paths as in USER_ATTRIBUTES: 'displayName', 'name.givenName', 'emails',
 * 'urn:…:enterprise:2.0:User.department') whose desired value differs from the current one. Only managed
 * attributes are compared: those named in `managed` (a leaf or a top-level name such as 'name'), or, without
 * `managed`, those the desired user sets. A managed attribute that desired leaves empty counts as a change
 * (it will be removed), except booleans, which are left alone when unset.
 */
export function userChanges(current: ScimUser, desired: ScimUser, profile: ConnectorProfile, managed?: string[]): string[] {
  const out: string[] = [];
  for (const a of managedAttributes(desired, managed)) {
    const want = readAttribute(desired, a);
    if (a.kind === 'boolean' && isEmpty(want)) continue;
    if (!sameLeaf(a, readAttribute(current, a), want, profile)) out.push(a.path);
  }
  return out;
}
