// Extracts scim_user accounts (and scim_roster entries, read as scim_user at `scim_roster.NAME.entries["KEY"]`
// through roster-changes.ts) from a stack's state (`terraform show -json`) and from its synthesized
// configuration (cdk.tf.json, including synth's `//.scimform` metadata: the person behind each account
// and who is excluded). Interpolations (`${...}`) in config are not resolved: such values are left out.
// Sensitive state values are never read. Roles are the ones the account carries; for apps whose profile
// does not send roles (Promapp, Proxy, Proxyclick), the roles of the person's assignments that synth recorded.
import { isObject, JsonState, JsonValue, stateResources, ValueMarks } from '../report/plan-json';
import { entryAddress, explodeRosterState, parseEntryAddress, ROSTER_TYPE } from '../report/roster-changes';
import { rosterEntries } from '../report/roster-entry-values';
import { AccountRecord } from './access-model';

const literal = (v: JsonValue | undefined): string | undefined =>
  typeof v === 'string' && v !== '' && !v.includes('${') ? v : undefined;

const sensitiveAt = (marks: ValueMarks | undefined, key: string): boolean =>
  marks === true || (isObject(marks as JsonValue) && (marks as { [k: string]: ValueMarks })[key] === true);

function record(app: string, address: string, source: 'state' | 'config', v: { [key: string]: JsonValue }, marks?: ValueMarks): AccountRecord | undefined {
  const pick = (key: string) => (sensitiveAt(marks, key) ? undefined : v[key]);
  const userName = literal(pick('user_name'));
  if (!userName) return undefined;
  const emailsRaw = pick('emails');
  const emails: string[] = [];
  let primaryEmail: string | undefined;
  if (Array.isArray(emailsRaw)) {
    for (const e of emailsRaw) {
      if (!isObject(e)) continue;
      const value = literal(e.value);
      if (!value) continue;
      emails.push(value);
      if (e.primary === true && !primaryEmail) primaryEmail = value;
    }
  }
  const name = pick('name');
  const formatted = isObject(name) ? literal(name.formatted) : undefined;
  const given = isObject(name) ? literal(name.given_name) : undefined;
  const family = isObject(name) ? literal(name.family_name) : undefined;
  const rolesRaw = pick('roles');
  const active = pick('active');
  return {
    app,
    address,
    source,
    userName,
    externalId: literal(pick('external_id')),
    displayName: literal(pick('display_name')) ?? formatted ?? ([given, family].filter(Boolean).join(' ') || undefined),
    emails,
    primaryEmail: primaryEmail ?? emails[0],
    active: active !== false && active !== 'false',
    roles: Array.isArray(rolesRaw) ? rolesRaw.map(literal).filter((r): r is string => !!r).sort() : [],
    ...(literal(pick('on_destroy')) ? { onDestroy: literal(pick('on_destroy')) } : {}),
  };
}

/** One person synth's access decision excluded (lib/access-decision.ts), as recorded in `//.scimform`. */
export interface SynthExclusion {
  person: string;
  reason: string;
  detail: string;
  /** What the apply does to an account they had: "deactivated", "deleted" or "none" (absent in older metadata). */
  existingAccount?: string;
  name?: string;
  email?: string;
}

/** What synth recorded in cdk.tf.json `//.scimform`: person key per resource address, and exclusions. */
export interface SynthPeople {
  personByAddress: Map<string, string>;
  /** Roles of the assignments behind each resource address ("Default Access" excluded). */
  rolesByAddress: Map<string, string[]>;
  excluded: SynthExclusion[];
}

export function synthPeople(config: unknown): SynthPeople {
  const meta = isObject(config as JsonValue) ? (config as { '//'?: { scimform?: unknown } })['//']?.scimform : undefined;
  const users = isObject(meta as JsonValue) ? (meta as { users?: unknown }).users : undefined;
  const personByAddress = new Map<string, string>();
  const rolesByAddress = new Map<string, string[]>();
  if (isObject(users as JsonValue)) {
    for (const [address, u] of Object.entries(users as Record<string, unknown>)) {
      const person = isObject(u as JsonValue) ? (u as { person?: unknown }).person : undefined;
      if (typeof person === 'string') personByAddress.set(address, person);
      const roles = isObject(u as JsonValue) ? (u as { roles?: unknown }).roles : undefined;
      if (Array.isArray(roles)) rolesByAddress.set(address, roles.filter((r): r is string => typeof r === 'string' && r !== '').sort());
    }
  }
  const raw = isObject(meta as JsonValue) ? (meta as { excluded?: unknown }).excluded : undefined;
  const excluded = Array.isArray(raw)
    ? raw.filter((e): e is SynthExclusion => isObject(e) && typeof e.person === 'string')
    : [];
  return { personByAddress, rolesByAddress, excluded };
}

const withPerson = (records: AccountRecord[], people?: SynthPeople): AccountRecord[] =>
  records.map((r) => {
    // A roster is keyed by person key: an entry without metadata is still that person's account.
    const personKey = people?.personByAddress.get(r.address) ?? parseEntryAddress(r.address)?.key;
    const assigned = r.roles.length === 0 ? people?.rolesByAddress.get(r.address) : undefined;
    return { ...r, ...(personKey ? { personKey } : {}), ...(assigned?.length ? { roles: assigned } : {}) };
  });

export function accountsFromState(app: string, state: JsonState, people?: SynthPeople): AccountRecord[] {
  return withPerson(stateResources(explodeRosterState(state).values?.root_module)
    .filter((r) => r.mode === 'managed' && r.type === 'scim_user' && isObject(r.values as JsonValue))
    .map((r) => record(app, r.address, 'state', r.values!, r.sensitive_values))
    .filter((r): r is AccountRecord => !!r), people);
}

/** The configured entries of every roster: `{ "scim_roster": { "<name>": { "entries": { "<key>": {...} } } } }` (or `entries_json`). */
function configEntries(resources: JsonValue | undefined): [string, JsonValue][] {
  const rosters = isObject(resources) ? resources[ROSTER_TYPE] : undefined;
  if (!isObject(rosters)) return [];
  return Object.entries(rosters).flatMap(([name, v]) => {
    const entries = isObject(v) && !('count' in v) && !('for_each' in v) ? rosterEntries(v) : undefined;
    if (!entries) return [];
    return Object.entries(entries).map(([key, e]): [string, JsonValue] => [entryAddress(`${ROSTER_TYPE}.${name}`, key), e]);
  });
}

/** cdk.tf.json: `{ "resource": { "scim_user": { "<name>": { ...attributes } } } }`, and the entries of rosters. */
export function accountsFromConfig(app: string, config: unknown): AccountRecord[] {
  if (!isObject(config as JsonValue)) return [];
  const resources = (config as { resource?: JsonValue }).resource;
  const users = isObject(resources) ? resources.scim_user : undefined;
  const single = isObject(users)
    ? Object.entries(users)
        .filter(([, v]) => isObject(v) && !('count' in v) && !('for_each' in v))
        .map(([name, v]): [string, JsonValue] => [`scim_user.${name}`, v])
    : [];
  return withPerson(
    [...single, ...configEntries(resources)]
      .filter(([, v]) => isObject(v))
      .map(([address, v]) => record(app, address, 'config', v as { [key: string]: JsonValue }))
      .filter((r): r is AccountRecord => !!r),
    synthPeople(config),
  );
}
