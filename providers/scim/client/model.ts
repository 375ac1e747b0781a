// The SCIM 2.0 resource model (RFC 7643, camelCase JSON) and its lenient zod parsers: real servers send
// boolean strings ("True"), numbers as strings, capitalised keys and no `schemas`; we accept them all.
import { NEVER, record, string, unknown } from 'zod';
import { ENTERPRISE_USER } from './scim-urns';

// Only the zod functions used here (named imports let the bundler leave the rest of zod out).
const z = { NEVER, record, string, unknown };

export { ENTERPRISE_USER, CORE_USER, CORE_GROUP, LIST_RESPONSE, PATCH_OP, ERROR_SCHEMA } from './scim-urns';

export interface MultiValue {
  value: string;
  type?: string;
  primary?: boolean;
  display?: string;
}

export interface ScimMeta {
  resourceType?: string;
  created?: string;
  lastModified?: string;
  version?: string;
  location?: string;
}

export interface EnterpriseUser {
  employeeNumber?: string;
  costCenter?: string;
  organization?: string;
  division?: string;
  department?: string;
  manager?: { value?: string; displayName?: string; $ref?: string };
}

export interface ScimName {
  givenName?: string;
  familyName?: string;
  middleName?: string;
  formatted?: string;
  honorificPrefix?: string;
  honorificSuffix?: string;
}

export interface ScimUser {
  schemas?: string[];
  id?: string;
  externalId?: string;
  userName: string;
  displayName?: string;
  name?: ScimName;
  nickName?: string;
  title?: string;
  userType?: string;
  preferredLanguage?: string;
  locale?: string;
  timezone?: string;
  active?: boolean;
  emails?: MultiValue[];
  phoneNumbers?: MultiValue[];
  roles?: MultiValue[];
  [ENTERPRISE_USER]?: EnterpriseUser;
  meta?: ScimMeta;
}

export interface GroupMember {
  value: string;
  display?: string;
  type?: string;
  $ref?: string;
}

export interface ScimGroup {
  schemas?: string[];
  id?: string;
  externalId?: string;
  displayName: string;
  members?: GroupMember[];
  meta?: ScimMeta;
}

export interface ScimListResponse<T> {
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  resources: T[];
}

// ---------------------------------------------------------------------------------------------------
// Lenient parsing helpers

/** Keys compared case-insensitively (SCIM attribute names are case-insensitive, RFC 7643 §2.1). */
function pick(obj: Record<string, unknown>, key: string): unknown {
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "True"/"false"/1/0 → boolean; anything else → undefined. */
export function looseBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  if (v === 1) return true;
  if (v === 0) return false;
  return undefined;
}

/** Numbers or numeric strings → number; otherwise undefined. */
export function looseNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

const looseString = z.unknown().transform((v): string | undefined => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
});
const looseBool = z.unknown().transform(looseBoolean);

const multiValueSchema = z.unknown().transform((v): MultiValue | undefined => {
  if (typeof v === 'string') return { value: v };
  if (!isRecord(v)) return undefined;
  const value = looseString.parse(pick(v, 'value'));
  if (value === undefined) return undefined;
  const out: MultiValue = { value };
  const type = looseString.parse(pick(v, 'type'));
  if (type !== undefined) out.type = type;
  const primary = looseBool.parse(pick(v, 'primary'));
  if (primary !== undefined) out.primary = primary;
  const display = looseString.parse(pick(v, 'display'));
  if (display !== undefined) out.display = display;
  return out;
});

const multiValues = z.unknown().transform((v): MultiValue[] | undefined => {
  if (v === undefined || v === null) return undefined;
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((x) => multiValueSchema.parse(x)).filter((x): x is MultiValue => x !== undefined);
});

function strings<K extends string>(src: Record<string, unknown>, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const s = looseString.parse(pick(src, k));
    if (s !== undefined) out[k] = s;
  }
  return out;
}

function parseMeta(v: unknown): ScimMeta | undefined {
  if (!isRecord(v)) return undefined;
  return strings(v, ['resourceType', 'created', 'lastModified', 'version', 'location'] as const);
}

function parseSchemas(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter((s): s is string => typeof s === 'string');
}

/** Copies keys of `src` not case-insensitively among `known` (kept so a PUT does not drop them). */
function keepUnknown(src: Record<string, unknown>, known: readonly string[], into: object): void {
  const lower = new Set(known.map((k) => k.toLowerCase()));
  const out = into as Record<string, unknown>;
  for (const k of Object.keys(src)) if (!lower.has(k.toLowerCase()) && !(k in out)) out[k] = src[k];
}

const ENTERPRISE_STRINGS = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'] as const;

/** Finds the enterprise extension block whatever the case of its URN key. */
function parseEnterprise(obj: Record<string, unknown>): EnterpriseUser | undefined {
  const raw = pick(obj, ENTERPRISE_USER);
  if (!isRecord(raw)) return undefined;
  const out: EnterpriseUser = strings(raw, ENTERPRISE_STRINGS);
  keepUnknown(raw, [...ENTERPRISE_STRINGS, 'manager'], out);
  const mgr = pick(raw, 'manager');
  if (typeof mgr === 'string') out.manager = { value: mgr };
  else if (isRecord(mgr)) {
    const m = strings(mgr, ['value', 'displayName', '$ref'] as const);
    if (Object.keys(m).length) out.manager = m;
  }
  return out;
}

const USER_STRINGS = ['id', 'externalId', 'displayName', 'nickName', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone'] as const;
const USER_KNOWN = [...USER_STRINGS, 'userName', 'schemas', 'name', 'active', 'emails', 'phoneNumbers', 'roles', ENTERPRISE_USER, 'meta'];
const GROUP_KNOWN = ['id', 'externalId', 'displayName', 'schemas', 'members', 'meta'];
const NAME_STRINGS = ['givenName', 'familyName', 'middleName', 'formatted', 'honorificPrefix', 'honorificSuffix'] as const;

/**
 * Zod schema turning any server's user JSON into a ScimUser (throws on missing userName). Known attributes
 * are matched case-insensitively and normalised; unknown ones are kept as sent (so a PUT preserves them).
 */
export const scimUserSchema = z
  .record(z.string(), z.unknown())
  .transform((obj, ctx): ScimUser => {
    const userName = looseString.parse(pick(obj, 'userName'));
    if (userName === undefined) {
      ctx.addIssue({ code: 'custom', message: 'user has no userName' });
      return z.NEVER;
    }
    const user: ScimUser = { userName, ...strings(obj, USER_STRINGS) };
    const schemas = parseSchemas(pick(obj, 'schemas'));
    if (schemas) user.schemas = schemas;
    const name = pick(obj, 'name');
    if (isRecord(name)) {
      user.name = strings(name, NAME_STRINGS);
      keepUnknown(name, NAME_STRINGS, user.name);
    }
    const active = looseBool.parse(pick(obj, 'active'));
    if (active !== undefined) user.active = active;
    for (const k of ['emails', 'phoneNumbers', 'roles'] as const) {
      const mv = multiValues.parse(pick(obj, k));
      if (mv !== undefined) user[k] = mv;
    }
    const ent = parseEnterprise(obj);
    if (ent) user[ENTERPRISE_USER] = ent;
    const meta = parseMeta(pick(obj, 'meta'));
    if (meta) user.meta = meta;
    keepUnknown(obj, USER_KNOWN, user);
    return user;
  });

/** Zod schema turning any server's group JSON into a ScimGroup (throws on missing displayName). */
export const scimGroupSchema = z
  .record(z.string(), z.unknown())
  .transform((obj, ctx): ScimGroup => {
    const displayName = looseString.parse(pick(obj, 'displayName'));
    if (displayName === undefined) {
      ctx.addIssue({ code: 'custom', message: 'group has no displayName' });
      return z.NEVER;
    }
    const group: ScimGroup = { displayName, ...strings(obj, ['id', 'externalId'] as const) };
    const schemas = parseSchemas(pick(obj, 'schemas'));
    if (schemas) group.schemas = schemas;
    const members = pick(obj, 'members');
    if (Array.isArray(members)) {
      group.members = members
        .map((m) => (isRecord(m) ? strings(m, ['value', 'display', 'type', '$ref'] as const) : typeof m === 'string' ? { value: m } : {}))
        .filter((m): m is GroupMember => typeof m.value === 'string');
    }
    const meta = parseMeta(pick(obj, 'meta'));
    if (meta) group.meta = meta;
    keepUnknown(obj, GROUP_KNOWN, group);
    return group;
  });

/** Parses a ListResponse page leniently: `Resources`/`resources`, numbers as strings, missing fields. */
export function parseListResponse(body: unknown): { totalResults?: number; startIndex?: number; itemsPerPage?: number; resources: unknown[] } {
  if (Array.isArray(body)) return { resources: body };
  if (!isRecord(body)) throw new Error('list response is not a JSON object');
  const res = pick(body, 'Resources');
  return {
    totalResults: looseNumber(pick(body, 'totalResults')),
    startIndex: looseNumber(pick(body, 'startIndex')),
    itemsPerPage: looseNumber(pick(body, 'itemsPerPage')),
    resources: Array.isArray(res) ? res : [],
  };
}

export function parseUser(body: unknown): ScimUser {
  return scimUserSchema.parse(body);
}

export function parseGroup(body: unknown): ScimGroup {
  return scimGroupSchema.parse(body);
}

/** Reads the SCIM error body fields (status may be a string; scimType/detail optional). */
export function parseErrorBody(body: unknown): { status?: number; scimType?: string; detail?: string } {
  if (!isRecord(body)) return {};
  const out: { status?: number; scimType?: string; detail?: string } = {};
  const status = looseNumber(pick(body, 'status'));
  if (status !== undefined) out.status = status;
  const scimType = pick(body, 'scimType');
  if (typeof scimType === 'string') out.scimType = scimType;
  const detail = pick(body, 'detail') ?? pick(body, 'message') ?? pick(body, 'error_description');
  if (typeof detail === 'string') out.detail = detail;
  return out;
}

export { pick as pickCaseInsensitive, isRecord };
