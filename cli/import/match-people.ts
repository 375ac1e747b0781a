// Who is who across apps: one Human per person, matched by email/userName (case-insensitive), then by
// externalId, in the order of the apps; and each Human's people.yaml entry, every value taken from the first
// app that holds one (later apps that disagree get per-app overrides, see account-overrides.ts).
import { personSpecSchema, type PersonSpec } from '../../lib';
import { ENTERPRISE_USER } from '../../providers/scim/client/scim-urns';
import type { ScimUser } from '../../providers/scim/client';
import type { AppSnapshot, Human } from './import-model';

const lower = (s: string) => s.trim().toLowerCase();
const present = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

/** Lower-cased userName and email values of an account. */
export function identities(u: ScimUser): string[] {
  return [...new Set([u.userName, ...(u.emails ?? []).map((e) => e.value)].filter(present).map(lower))];
}

/** The account's primary email: the primary one, else the first, else an email-like userName. */
export function primaryEmail(u: ScimUser): string | undefined {
  const emails = (u.emails ?? []).filter((e) => present(e.value));
  return (emails.find((e) => e.primary) ?? emails[0])?.value ?? (u.userName.includes('@') ? u.userName : undefined);
}

/** A person key from an email or userName: `Ada.Lovelace@x.com` → `ada-lovelace`. */
export function keyFrom(text: string, taken: Set<string>): string {
  const base = lower(text.split('@')[0]).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'person';
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}-${i}`;
  taken.add(key);
  return key;
}

/** Matches every account of every app to a Human (apps in order; one account per app per human). Indexed: linear in accounts. */
export function matchHumans(apps: AppSnapshot[]): Human[] {
  const humans: Human[] = [];
  const byIdentity = new Map<string, Human[]>();
  const byExternalId = new Map<string, Human[]>();
  const index = (m: Map<string, Human[]>, k: string, h: Human) => {
    const list = m.get(k) ?? [];
    if (!list.includes(h)) list.push(h);
    m.set(k, list);
  };
  const taken = new Set<string>();
  for (const app of apps) {
    for (const u of app.users) {
      const ids = identities(u);
      const free = (list: Human[] | undefined) => list?.find((x) => !x.accounts.has(app.key));
      let h = ids.map((i) => free(byIdentity.get(i))).find((x) => x) ?? (present(u.externalId) ? free(byExternalId.get(u.externalId)) : undefined);
      if (!h) {
        // An externalId that is a valid, free person key is kept as the key (the default externalId mapping).
        const ext = present(u.externalId) && /^[a-z0-9][a-z0-9_-]*$/.test(u.externalId) && !taken.has(u.externalId) ? u.externalId : undefined;
        if (ext) taken.add(ext);
        h = { key: ext ?? keyFrom(primaryEmail(u) ?? u.userName, taken), accounts: new Map<string, ScimUser>() };
        humans.push(h);
      }
      h.accounts.set(app.key, u);
      for (const i of ids) index(byIdentity, i, h);
      if (present(u.externalId)) index(byExternalId, u.externalId, h);
    }
  }
  return humans;
}

/** The first non-empty value over the human's accounts, in app order. */
function first<T>(h: Human, apps: AppSnapshot[], get: (u: ScimUser) => T | undefined): T | undefined {
  for (const a of apps) {
    const u = h.accounts.get(a.key);
    const v = u ? get(u) : undefined;
    if (v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '')) return v;
  }
  return undefined;
}

const ent = (u: ScimUser, k: 'employeeNumber' | 'costCenter' | 'organization' | 'division' | 'department') => u[ENTERPRISE_USER]?.[k];

/**
 * The people.yaml entry of a human (without status, teams and manager, which need every app). Returns
 * a problem instead when no valid entry can be made (e.g. no email anywhere).
 */
export function personSpec(h: Human, apps: AppSnapshot[]): { spec: PersonSpec; derived: string[] } | { problem: string } {
  const derived: string[] = [];
  const email = first(h, apps, primaryEmail);
  if (!email) return { problem: `no email and no email-like userName in any app` };
  const displayName = first(h, apps, (u) => u.displayName);
  const words = (displayName ?? email.split('@')[0].replace(/[._-]+/g, ' ')).trim().split(/\s+/);
  let givenName = first(h, apps, (u) => u.name?.givenName);
  let familyName = first(h, apps, (u) => u.name?.familyName);
  if (!givenName) (givenName = words[0]), derived.push('givenName');
  if (!familyName) (familyName = words.length > 1 ? words.slice(1).join(' ') : words[0]), derived.push('familyName');
  const userName = first(h, apps, (u) => u.userName)!;
  const otherEmails = first(h, apps, (u) => {
    const rest = (u.emails ?? []).filter((e) => present(e.value) && lower(e.value) !== lower(email));
    return rest.length ? rest.map((e) => ({ value: e.value, ...(e.type ? { type: e.type } : {}) })) : undefined;
  });
  const phone = first(h, apps, (u) => {
    const p = (u.phoneNumbers ?? []).filter((x) => present(x.value));
    return (p.find((x) => x.primary) ?? p[0])?.value;
  });
  const spec: PersonSpec = {
    key: h.key,
    givenName,
    familyName,
    ...(first(h, apps, (u) => u.name?.middleName) ? { middleName: first(h, apps, (u) => u.name?.middleName) } : {}),
    ...(displayName && displayName !== `${givenName} ${familyName}` ? { displayName } : {}),
    email,
    ...(userName !== email ? { userName } : {}),
    ...(otherEmails ? { emails: otherEmails } : {}),
    ...(phone ? { phone } : {}),
  };
  for (const k of ['title'] as const) {
    const v = first(h, apps, (u) => u[k]);
    if (v) spec[k] = v;
  }
  for (const k of ['employeeNumber', 'costCenter', 'organization', 'division', 'department'] as const) {
    const v = first(h, apps, (u) => ent(u, k));
    if (v) spec[k] = v;
  }
  const checked = personSpecSchema.safeParse(spec);
  if (!checked.success) {
    return { problem: checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  }
  return { spec, derived };
}

/** The manager's person key: the first app where the account has a manager that is an imported human. */
export function managerKey(h: Human, apps: AppSnapshot[], keyOfId: (app: string, id: string) => string | undefined): string | undefined {
  for (const a of apps) {
    const id = h.accounts.get(a.key)?.[ENTERPRISE_USER]?.manager?.value;
    const k = id ? keyOfId(a.key, id) : undefined;
    if (k && k !== h.key) return k;
  }
  return undefined;
}
