// SCIM user attribute characteristics as data (after RFC 7643 §4.1 and §4.3): which attributes exist, where
// they live in the JSON, whether they are multi-valued and caseExact, and how PATCH addresses them.
// Comparison (compare.ts) and PATCH generation (patch-builder.ts) read this table instead of if-chains.
import { ENTERPRISE_USER, type ScimUser } from './model';

export type AttributeKind = 'string' | 'boolean' | 'multi' | 'reference';

export interface UserAttribute {
  /** Name used by userChanges()/sameUserAttribute(): 'userName', 'name.givenName', 'urn:…:User.department'. */
  path: string;
  /** Path written in PATCH operations: 'userName', 'name.givenName', 'urn:…:User:department'. */
  patchPath: string;
  /** Top-level key in the JSON resource ('name', the enterprise URN, or the attribute itself). */
  top: string;
  /** Key inside `top` for sub-attributes. */
  sub?: string;
  kind: AttributeKind;
  multiValued: boolean;
  /**
   * false: a case-only difference is no change (the server may fold case). Identifiers follow RFC 7643
   * (userName, emails, locale tags). Human-readable text (displayName, name parts, title) is treated as
   * caseExact on purpose: servers keep its case, so a capitalisation fix is a real change to apply.
   */
  caseExact: boolean;
  /** For multi-valued attributes: is the sub-attribute `value` caseExact (type is never). */
  valueCaseExact?: boolean;
  mutability: 'readWrite' | 'immutable' | 'readOnly';
}

const core = (path: string, kind: AttributeKind, caseExact: boolean, extra: Partial<UserAttribute> = {}): UserAttribute => ({
  path,
  patchPath: path,
  top: path,
  kind,
  multiValued: kind === 'multi',
  caseExact,
  mutability: 'readWrite',
  ...extra,
});
const nameSub = (sub: string): UserAttribute => ({ ...core(`name.${sub}`, 'string', true), top: 'name', sub });
const ent = (sub: string, kind: AttributeKind = 'string'): UserAttribute => ({
  path: `${ENTERPRISE_USER}.${sub}`,
  patchPath: `${ENTERPRISE_USER}:${sub}`,
  top: ENTERPRISE_USER,
  sub,
  kind,
  multiValued: false,
  caseExact: true,
  mutability: 'readWrite',
});

/** Every user attribute the client manages, in the order PATCH operations are written. */
export const USER_ATTRIBUTES: readonly UserAttribute[] = [
  core('userName', 'string', false),
  core('externalId', 'string', true),
  core('displayName', 'string', true),
  nameSub('givenName'),
  nameSub('familyName'),
  nameSub('middleName'),
  nameSub('formatted'),
  nameSub('honorificPrefix'),
  nameSub('honorificSuffix'),
  core('nickName', 'string', true),
  core('title', 'string', true),
  core('userType', 'string', true),
  core('preferredLanguage', 'string', false),
  core('locale', 'string', false),
  core('timezone', 'string', true),
  core('active', 'boolean', true),
  core('emails', 'multi', false, { valueCaseExact: false }),
  core('phoneNumbers', 'multi', false, { valueCaseExact: true }),
  core('roles', 'multi', false, { valueCaseExact: true }),
  ent('employeeNumber'),
  ent('costCenter'),
  ent('organization'),
  ent('division'),
  ent('department'),
  ent('manager', 'reference'),
];

const byName = new Map<string, UserAttribute>();
for (const a of USER_ATTRIBUTES) {
  for (const n of [a.path, a.patchPath, a.top === ENTERPRISE_USER ? a.sub! : undefined]) if (n) byName.set(n.toLowerCase(), a);
}

/** The attribute for any accepted spelling ('name.givenName', 'urn:…:User:department', 'urn:…:User.department', 'department'). */
export function findUserAttribute(name: string): UserAttribute | undefined {
  return byName.get(name.toLowerCase());
}

/** The attributes a name designates: a leaf, or all leaves under a top-level key ('name', the enterprise URN). */
export function attributesNamed(name: string): UserAttribute[] {
  const leaf = findUserAttribute(name);
  if (leaf) return [leaf];
  const lower = name.toLowerCase();
  return USER_ATTRIBUTES.filter((a) => a.top.toLowerCase() === lower);
}

/** Reads an attribute's value from a user. */
export function readAttribute(user: ScimUser | undefined, a: UserAttribute): unknown {
  if (!user) return undefined;
  const top = (user as unknown as Record<string, unknown>)[a.top];
  if (a.sub === undefined) return top;
  return top && typeof top === 'object' ? (top as Record<string, unknown>)[a.sub] : undefined;
}

/** Writes (or, with undefined, deletes) an attribute's value on a user object in place. */
export function writeAttribute(user: ScimUser, a: UserAttribute, value: unknown): void {
  const rec = user as unknown as Record<string, unknown>;
  if (a.sub === undefined) {
    if (value === undefined) delete rec[a.top];
    else rec[a.top] = value;
    return;
  }
  const parent = { ...((rec[a.top] as Record<string, unknown> | undefined) ?? {}) };
  if (value === undefined) delete parent[a.sub];
  else parent[a.sub] = value;
  if (Object.keys(parent).length === 0) delete rec[a.top];
  else rec[a.top] = parent;
}
