// Attribute mappings: how a person becomes a SCIM user in one app (and a team a SCIM group). Each target
// attribute is a TypeScript function of the person; profiles supply defaults and every app can override or
// drop any of them. Like Entra, empty values are never sent.
import type { Directory } from './directory';
import type { EmailAddress, Person, Team } from './org-entities';

export interface PhoneNumber {
  value: string;
  type?: string;
  primary?: boolean;
}

/** What a mapping function sees besides the person. */
export interface MappingContext {
  /** The app's title, e.g. "Proxyclick". */
  readonly app: string;
  /** The connector profile name, e.g. "proxyclick". */
  readonly profile: string;
  /** Roles from this person's assignments to the app ("Default Access" excluded), sorted. */
  readonly roles: readonly string[];
  /** Teams through which the person is assigned to the app. */
  readonly viaTeams: readonly Team[];
  readonly directory: Directory;
}

export type Mapping<T> = (person: Person, ctx: MappingContext) => T | null | undefined;

/** Target attributes of a SCIM user (RFC 7643 core + enterprise extension), each computed by a mapping. */
export interface UserMappings {
  userName: Mapping<string>;
  externalId?: Mapping<string>;
  displayName?: Mapping<string>;
  givenName?: Mapping<string>;
  familyName?: Mapping<string>;
  middleName?: Mapping<string>;
  formattedName?: Mapping<string>;
  nickName?: Mapping<string>;
  title?: Mapping<string>;
  userType?: Mapping<string>;
  preferredLanguage?: Mapping<string>;
  locale?: Mapping<string>;
  timezone?: Mapping<string>;
  emails?: Mapping<EmailAddress[]>;
  phoneNumbers?: Mapping<PhoneNumber[]>;
  roles?: Mapping<string[]>;
  employeeNumber?: Mapping<string>;
  costCenter?: Mapping<string>;
  organization?: Mapping<string>;
  division?: Mapping<string>;
  department?: Mapping<string>;
  /** Returns the *person key* of the manager; it becomes a reference to the manager's account in the same
   * app, or nothing when the manager is not provisioned there. */
  manager?: Mapping<string>;
}

export type UserAttribute = keyof UserMappings;

/** Per-app overrides: a function replaces the default, `null` drops the attribute. */
export type UserMappingOverrides = { [K in UserAttribute]?: UserMappings[K] | null };

export interface GroupMappings {
  displayName: (team: Team) => string;
  externalId?: (team: Team) => string | undefined;
}
export type GroupMappingOverrides = { displayName?: GroupMappings['displayName']; externalId?: GroupMappings['externalId'] | null };

/** Ready-made mapping functions (the usual Entra/Okta sources). */
export const map = {
  userName: ((p) => p.userName) as Mapping<string>,
  /** userName and email from one source value (Proxyclick). */
  email: ((p) => p.email) as Mapping<string>,
  key: ((p) => p.key) as Mapping<string>,
  displayName: ((p) => p.displayName) as Mapping<string>,
  givenName: ((p) => p.givenName) as Mapping<string>,
  familyName: ((p) => p.familyName) as Mapping<string>,
  middleName: ((p) => p.middleName) as Mapping<string>,
  title: ((p) => p.title) as Mapping<string>,
  department: ((p) => p.department) as Mapping<string>,
  employeeNumber: ((p) => p.employeeNumber) as Mapping<string>,
  costCenter: ((p) => p.costCenter) as Mapping<string>,
  division: ((p) => p.division) as Mapping<string>,
  organization: ((p) => p.organization) as Mapping<string>,
  manager: ((p) => p.managerKey) as Mapping<string>,
  allEmails: ((p) => p.emails) as Mapping<EmailAddress[]>,
  primaryEmail: ((p) => [{ value: p.email, type: 'work', primary: true }]) as Mapping<EmailAddress[]>,
  workPhone: ((p) => (p.phone ? [{ value: p.phone, type: 'work', primary: true }] : undefined)) as Mapping<PhoneNumber[]>,
  assignedRoles: ((_p, ctx) => (ctx.roles.length ? [...ctx.roles] : undefined)) as Mapping<string[]>,
  /** A constant value for every person. */
  constant:
    <T>(value: T): Mapping<T> =>
    () =>
      value,
} as const;

export const defaultGroupMappings: GroupMappings = {
  displayName: (t) => t.displayName,
  externalId: (t) => t.externalId ?? t.key,
};

/** Defaults with overrides applied (`null` removes a mapping). */
export function mergeMappings<M extends object>(defaults: M, overrides: Partial<Record<keyof M, unknown>> | undefined): M {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(overrides ?? {})) {
    if (v === null) delete out[k];
    else if (v !== undefined) out[k] = v;
  }
  return out as M;
}

/** The mapped user, before it becomes a scim_user resource. */
export interface MappedUser {
  userName: string;
  externalId?: string;
  displayName?: string;
  name?: { givenName?: string; familyName?: string; middleName?: string; formatted?: string };
  nickName?: string;
  title?: string;
  userType?: string;
  preferredLanguage?: string;
  locale?: string;
  timezone?: string;
  emails?: EmailAddress[];
  phoneNumbers?: PhoneNumber[];
  roles?: string[];
  employeeNumber?: string;
  costCenter?: string;
  organization?: string;
  division?: string;
  department?: string;
  /** Person key of the manager (resolved to an account reference by the app). */
  managerKey?: string;
}

/** Mapping attributes that are one SCIM string each (the others: userName, the name parts, the lists, manager). */
export const SCALAR_ATTRIBUTES = [
  'externalId',
  'displayName',
  'nickName',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'employeeNumber',
  'costCenter',
  'organization',
  'division',
  'department',
] as const;

/** Thrown when a mapping function throws or returns the wrong kind of value. */
export class MappingError extends Error {
  constructor(
    readonly attribute: string,
    message: string,
  ) {
    super(message);
  }
}

const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Applies the mappings to one person; empty results are left out. Throws MappingError. */
export function applyMappings(person: Person, mappings: UserMappings, ctx: MappingContext): MappedUser {
  const run = <T>(attribute: string, fn: Mapping<T> | undefined): T | undefined => {
    if (!fn) return undefined;
    let v: T | null | undefined;
    try {
      v = fn(person, ctx);
    } catch (err) {
      throw new MappingError(attribute, err instanceof Error ? err.message : String(err));
    }
    return blank(v) ? undefined : (v as T);
  };
  const str = (attribute: string, fn: Mapping<string> | undefined): string | undefined => {
    const v = run<unknown>(attribute, fn as Mapping<unknown>);
    if (v === undefined) return undefined;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (typeof v !== 'string') throw new MappingError(attribute, `returned ${typeof v}, expected text`);
    return v;
  };
  const out: MappedUser = { userName: str('userName', mappings.userName) ?? '' };
  for (const k of SCALAR_ATTRIBUTES) {
    const v = str(k, mappings[k]);
    if (v !== undefined) out[k] = v;
  }
  const name = {
    givenName: str('givenName', mappings.givenName),
    familyName: str('familyName', mappings.familyName),
    middleName: str('middleName', mappings.middleName),
    formatted: str('formattedName', mappings.formattedName),
  };
  const definedName = Object.fromEntries(Object.entries(name).filter(([, v]) => v !== undefined));
  if (Object.keys(definedName).length) out.name = definedName;
  const list = <T extends { value: string }>(attribute: string, fn: Mapping<T[]> | undefined): T[] | undefined => {
    const v = run<unknown>(attribute, fn as Mapping<unknown>);
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || v.some((e) => !e || typeof e.value !== 'string')) {
      throw new MappingError(attribute, 'expected a list of { value, type?, primary? }');
    }
    const seen = new Set<string>();
    const items = (v as T[]).filter((e) => !blank(e.value) && !seen.has(e.value.toLowerCase()) && seen.add(e.value.toLowerCase()));
    return items.length ? items : undefined;
  };
  out.emails = list('emails', mappings.emails);
  out.phoneNumbers = list('phoneNumbers', mappings.phoneNumbers);
  const roles = run<unknown>('roles', mappings.roles as Mapping<unknown>);
  if (roles !== undefined) {
    if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) throw new MappingError('roles', 'expected a list of text');
    const uniq = [...new Set(roles as string[])].filter((r) => r.trim() !== '').sort();
    if (uniq.length) out.roles = uniq;
  }
  out.managerKey = str('manager', mappings.manager);
  for (const k of Object.keys(out) as (keyof MappedUser)[]) if (out[k] === undefined) delete out[k];
  return out;
}
