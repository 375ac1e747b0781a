// Per-person overrides that make an imported app plan no change: what the app's mappings give for a person
// (the profile's defaults, applied with the same code synth uses) compared with what the app holds; every
// attribute that differs is pinned to the app's value, or to null (not sent, so not managed) when the app
// holds none.
import { applyMappings, appProfiles, type Directory, type MappedUser, type Person, type ProfileName } from '../../lib';
import { ENTERPRISE_USER } from '../../providers/scim/client/scim-urns';
import type { ScimUser } from '../../providers/scim/client';

type MultiValue = { value: string; type?: string; primary?: boolean };

/** Canonical form of one attribute, keyed by its mapping name (`givenName`, `emails`, `manager`, …). */
type Canonical = Record<string, string | MultiValue[] | string[] | undefined>;

const SCALARS = ['userName', 'externalId', 'displayName', 'nickName', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone'] as const;
const NAME_PARTS = { givenName: 'givenName', familyName: 'familyName', middleName: 'middleName', formattedName: 'formatted' } as const;
const ENTERPRISE = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'] as const;

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const multi = (list: { value?: string; type?: string; primary?: boolean }[] | undefined): MultiValue[] | undefined => {
  const out = (list ?? [])
    .filter((e) => str(e.value))
    .map((e) => ({ value: e.value!, ...(e.type ? { type: e.type } : {}), ...(e.primary ? { primary: true } : {}) }));
  return out.length ? out : undefined;
};

function fromMapped(u: MappedUser, provisioned: ReadonlySet<string>): Canonical {
  const c: Canonical = {};
  for (const k of SCALARS) c[k] = str(u[k]);
  for (const [k, scim] of Object.entries(NAME_PARTS)) c[k] = str(u.name?.[scim as keyof NonNullable<MappedUser['name']>]);
  c.emails = multi(u.emails);
  c.phoneNumbers = multi(u.phoneNumbers);
  c.roles = u.roles?.length ? [...u.roles].sort() : undefined;
  for (const k of ENTERPRISE) c[k] = str(u[k]);
  // A manager who is not provisioned in the app is not referenced (ScimApp leaves manager_id unset).
  c.manager = u.managerKey && provisioned.has(u.managerKey) ? u.managerKey : undefined;
  return c;
}

function fromRemote(u: ScimUser, keyOfId: (id: string) => string | undefined): Canonical {
  const c: Canonical = {};
  for (const k of SCALARS) c[k] = str(u[k]);
  for (const [k, scim] of Object.entries(NAME_PARTS)) c[k] = str(u.name?.[scim as keyof NonNullable<ScimUser['name']>]);
  c.emails = multi(u.emails);
  c.phoneNumbers = multi(u.phoneNumbers);
  const roles = (u.roles ?? []).map((r) => r.value).filter((v): v is string => !!str(v));
  c.roles = roles.length ? [...new Set(roles)].sort() : undefined;
  const e = u[ENTERPRISE_USER];
  for (const k of ENTERPRISE) c[k] = str(e?.[k]);
  const managerId = str(e?.manager?.value);
  // A manager id that names no imported account cannot be expressed: leave it unmanaged.
  c.manager = managerId ? (keyOfId(managerId) ?? '\u0000unknown') : undefined;
  return c;
}

const canonicalJson = (v: unknown) =>
  JSON.stringify(Array.isArray(v) ? [...v].map((x) => JSON.stringify(x)).sort() : v ?? null);

export interface OverrideContext {
  app: string;
  profile: ProfileName;
  directory: Directory;
  /** Roles of the person's assignments to the app. */
  roles: string[];
  /** Person keys provisioned in this app (managers are referenced only among them). */
  provisioned: ReadonlySet<string>;
  keyOfId: (id: string) => string | undefined;
}

/**
 * The attributes to pin for one account: mapping name → the app's value, or null (not sent). Only
 * attributes the profile maps can differ; any other attribute is not managed and never shows in a plan.
 */
export function accountOverrides(person: Person, remote: ScimUser, ctx: OverrideContext): Record<string, unknown> {
  const mappings = appProfiles[ctx.profile].userMappings;
  const mapped = fromMapped(
    applyMappings(person, mappings, { app: ctx.app, profile: ctx.profile, roles: ctx.roles, viaTeams: [], directory: ctx.directory }),
    ctx.provisioned,
  );
  const held = fromRemote(remote, ctx.keyOfId);
  const out: Record<string, unknown> = {};
  for (const attr of Object.keys(mapped)) {
    if (!(attr in mappings)) continue; // not mapped: not managed, never in a plan
    if (canonicalJson(mapped[attr]) === canonicalJson(held[attr])) continue;
    const value = held[attr];
    out[attr] = value === undefined || value === '\u0000unknown' ? null : value;
  }
  return out;
}
