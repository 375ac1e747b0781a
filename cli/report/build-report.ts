// Turns one stack's Terraform JSON plan into the app's report: Terraform actions on scim_user,
// scim_group and scim_group_member become SCIM outcomes (create, adopt, update, deactivate,
// reactivate, delete, members added/removed) following the provider's report semantics. Adoptions come
// from the provider's plan-time warnings saved beside the plan (plan-diagnostics.ts).
import { diffAttributes, maskValue } from './attribute-diff';
import { groupMembership, keptKeys, MEMBERSHIP_ATTRIBUTES } from './group-membership';
import { plannedDigest } from './report-fingerprint';
import { buildNameIndex, NameIndex } from './name-index';
import type { Adoption } from './plan-diagnostics';
import { parseEntryAddress } from './roster-changes';
import { isObject, JsonChange, JsonPlan, JsonResourceChange, JsonValue, ValueMarks } from './plan-json';
import {
  AppReport,
  countApp,
  GROUP_ACTIONS,
  GroupAction,
  GroupEntry,
  MemberEntry,
  USER_ACTIONS,
  UserAction,
  UserEntry,
} from './report-model';

/** Computed bookkeeping attributes that are never reported as changes. */
const IGNORED_ATTRIBUTES = ['id', 'meta', 'existing_id', 'existing_active'];

/** The attributes an update changes, bookkeeping and `alsoIgnored` attributes left out. */
const updatedAttributes = (change: JsonChange, alsoIgnored: readonly string[] = []) =>
  diffAttributes(
    {
      before: change.before,
      after: change.after,
      beforeSensitive: change.before_sensitive,
      afterSensitive: change.after_sensitive,
      afterUnknown: change.after_unknown,
    },
    [...IGNORED_ATTRIBUTES, ...alsoIgnored],
  );

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: JsonValue | undefined): { [key: string]: JsonValue } => (isObject(v) ? v : {});
const marksAt = (m: ValueMarks | undefined, key: string): ValueMarks | undefined =>
  isObject(m as JsonValue) ? (m as { [k: string]: ValueMarks })[key] : m === true ? true : undefined;

type Kind = 'create' | 'update' | 'delete' | 'replace' | 'import' | 'none';

function kindOf(change: JsonChange): Kind {
  const a = change.actions;
  if (a.includes('create') && a.includes('delete')) return 'replace';
  if (a.includes('create')) return 'create';
  if (a.includes('delete')) return 'delete';
  if (a.includes('update')) return 'update';
  if (change.importing) return 'import';
  return 'none';
}

/** What synth recorded about the app (cdk.tf.json `//.scimform`), used to explain removals. */
export interface AppContext {
  title?: string;
  /** Why people are not provisioned, by person key (e.g. "left on 2025-01-31"). */
  exclusions?: ReadonlyMap<string, string>;
  /** Creates that adopt (and maybe reactivate) what the app has, by address: from the provider's plan warnings. */
  adoptions?: ReadonlyMap<string, Adoption>;
}

/** Person keys → short reason, from synth's `excluded` list ("left on 2025-01-31 — not provisioned…"). */
export function exclusionsFrom(excluded: { person: string; detail: string }[] | undefined): Map<string, string> {
  return new Map((excluded ?? []).map((e) => [e.person, e.detail.split(' — ')[0]]));
}

/** Builds the report of one app from `terraform show -json <planfile>` of its stack. */
export function buildAppReport(app: string, plan: JsonPlan, context: AppContext = {}): AppReport {
  const names = buildNameIndex(plan);
  const users = Object.fromEntries(USER_ACTIONS.map((a) => [a, [] as UserEntry[]])) as Record<UserAction, UserEntry[]>;
  const groups = Object.fromEntries(GROUP_ACTIONS.map((a) => [a, [] as GroupEntry[]])) as Record<GroupAction, GroupEntry[]>;
  const members = { added: [] as MemberEntry[], removed: [] as MemberEntry[] };
  let managedUsers = 0;

  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed') continue;
    if (rc.type === 'scim_user') {
      if (rc.change.before !== null && rc.change.before !== undefined) managedUsers++;
      classifyUser(rc, names, users, context);
    } else if (rc.type === 'scim_group') {
      classifyGroup(rc, names, groups, members, context);
    } else if (rc.type === 'scim_group_member') {
      classifyMembership(rc, names, members);
    }
  }

  const byUser = (a: UserEntry, b: UserEntry) => a.userName.localeCompare(b.userName) || a.address.localeCompare(b.address);
  const byGroup = (a: GroupEntry, b: GroupEntry) => a.displayName.localeCompare(b.displayName);
  const byMember = (a: MemberEntry, b: MemberEntry) => a.group.localeCompare(b.group) || a.user.localeCompare(b.user);
  for (const k of USER_ACTIONS) users[k].sort(byUser);
  for (const k of GROUP_ACTIONS) groups[k].sort(byGroup);
  members.added.sort(byMember);
  members.removed.sort(byMember);
  const report = { app, ...(context.title ? { title: context.title } : {}), managedUsers, users, groups, members };
  return { ...report, counts: countApp(report) };
}

/** An app whose plan failed: reported with its error and no changes. */
export function failedAppReport(app: string, error: string): AppReport {
  const r = buildAppReport(app, { format_version: '1.2' });
  return { ...r, error };
}

function userName(rc: JsonResourceChange, names: NameIndex): string {
  return str(obj(rc.change.after).user_name) ?? str(obj(rc.change.before).user_name) ?? names.byAddress.get(rc.address) ?? rc.address;
}

/** Why an account leaves the configuration: the exclusion synth recorded for that person, if any. */
function removalNote(rc: JsonResourceChange, context: AppContext): string {
  const before = obj(rc.change.before);
  const key = str(before.external_id) ?? '';
  const byAddress = /^scim_user\.user_(.+)$/.exec(rc.address)?.[1] ?? parseEntryAddress(rc.address)?.key ?? '';
  return context.exclusions?.get(key) ?? context.exclusions?.get(byAddress) ?? 'removed from configuration';
}

/** Digest of what a new account is planned with: its attributes (bookkeeping left out), sensitive ones masked. */
function plannedOf(change: JsonChange): string {
  const after = Object.fromEntries(Object.entries(obj(change.after)).filter(([k]) => !IGNORED_ATTRIBUTES.includes(k)));
  return plannedDigest(maskValue(after, change.after_sensitive, change.after_unknown));
}

function removal(rc: JsonResourceChange, name: string, note: string): [UserAction, UserEntry] {
  const before = obj(rc.change.before);
  const action: UserAction = str(before.on_destroy) === 'delete' ? 'delete' : 'deactivate';
  const entry: UserEntry = { address: rc.address, userName: name, id: str(before.id), changes: [], note };
  if (before.active === false && action === 'deactivate') {
    entry.alreadyInactive = true;
    entry.note = `${note}; already inactive`;
  }
  return [action, entry];
}

function classifyUser(rc: JsonResourceChange, names: NameIndex, out: Record<UserAction, UserEntry[]>, context: AppContext): void {
  const { change } = rc;
  const before = obj(change.before);
  const after = obj(change.after);
  const name = userName(rc, names);
  const kind = kindOf(change);
  switch (kind) {
    case 'create': {
      // The provider's adoption warning is what the plan looked up; a planned existing_id (older providers) too.
      const adoption = context.adoptions?.get(rc.address);
      const existing = adoption?.id ?? str(after.existing_id);
      const inactive = adoption ? adoption.reactivates : after.existing_active === false;
      const entry: UserEntry = { address: rc.address, userName: name, changes: [], planned: plannedOf(change) };
      if (existing && inactive && after.active !== false) out.reactivate.push({ ...entry, id: existing, note: 'deactivated account adopted and reactivated' });
      else if (existing) out.adopt.push({ ...entry, id: existing, note: after.active === false ? 'existing account taken over, kept inactive' : 'existing account taken over' });
      else out.create.push(after.active === false ? { ...entry, note: 'created inactive' } : entry);
      return;
    }
    case 'import':
      out.adopt.push({ address: rc.address, userName: name, id: change.importing?.id, changes: [], note: 'imported' });
      return;
    case 'update': {
      const changes = updatedAttributes(change);
      const entry: UserEntry = { address: rc.address, userName: name, id: str(before.id), changes };
      const activeKnown = marksAt(change.after_unknown, 'active') !== true;
      if (activeKnown && before.active === true && after.active === false) out.deactivate.push(entry);
      else if (activeKnown && before.active === false && after.active === true) out.reactivate.push(entry);
      else out.update.push(entry);
      return;
    }
    case 'delete': {
      const [action, entry] = removal(rc, name, removalNote(rc, context));
      out[action].push(entry);
      return;
    }
    case 'replace': {
      const oldName = str(before.user_name) ?? name;
      const [action, entry] = removal(rc, oldName, 'replaced by a new account');
      out[action].push(entry);
      const existing = context.adoptions?.get(rc.address)?.id ?? str(after.existing_id);
      const created: UserEntry = { address: rc.address, userName: name, changes: [], note: 'replaces the previous account', planned: plannedOf(change) };
      if (existing) out.adopt.push({ ...created, id: existing });
      else out.create.push(created);
      return;
    }
    default:
      return;
  }
}

function classifyGroup(
  rc: JsonResourceChange,
  names: NameIndex,
  out: Record<GroupAction, GroupEntry[]>,
  members: { added: MemberEntry[]; removed: MemberEntry[] },
  context: AppContext,
): void {
  const { change } = rc;
  const before = obj(change.before);
  const after = obj(change.after);
  const name = str(after.display_name) ?? str(before.display_name) ?? names.byAddress.get(rc.address) ?? rc.address;
  const kind = kindOf(change);
  if (kind === 'none') return;
  const userLabel = (id: string) => names.byId.get(id) ?? id;
  const bm = groupMembership(before);
  const am = groupMembership(after, change.after_unknown);

  if (kind === 'delete' || kind === 'replace') {
    const count = bm.ids.length;
    out.delete.push({
      address: rc.address,
      displayName: str(before.display_name) ?? name,
      id: str(before.id),
      changes: [],
      note: kind === 'replace' ? 'replaced by a new group' : count > 0 ? `${count} member${count === 1 ? '' : 's'} lose the group` : undefined,
    });
  }
  if (kind === 'create' || kind === 'replace' || kind === 'import') {
    const existing = kind === 'import' ? (str(before.id) ?? change.importing?.id) : (context.adoptions?.get(rc.address)?.id ?? str(after.existing_id));
    const entry: GroupEntry = { address: rc.address, displayName: name, changes: [] };
    if (existing) out.adopt.push({ ...entry, id: existing, note: kind === 'import' ? 'imported' : 'existing group taken over' });
    else out.create.push(entry);
  }
  if (kind === 'update') {
    const changes = updatedAttributes(change, MEMBERSHIP_ATTRIBUTES);
    // Imported and updated in one plan (e.g. its members moving to `member_ids`): still the group taken over.
    if (change.importing) out.adopt.push({ address: rc.address, displayName: name, id: str(before.id) ?? change.importing.id, changes, note: 'imported' });
    else if (changes.length > 0) out.update.push({ address: rc.address, displayName: name, id: str(before.id), changes });
  }

  // Memberships: compare member ids; those only known after apply are named from the configuration.
  if (!am.managed) return;
  // An imported group starts with the members read from the app (`before` is the imported state).
  const fromServer = kind === 'update' || kind === 'import';
  const startIds = fromServer ? new Set(bm.ids) : new Set<string>();
  for (const id of am.ids) if (!startIds.has(id)) members.added.push({ group: name, user: userLabel(id), address: rc.address });
  // A key kept whose id is only known after apply is the same person staying (keyed membership, account adopted).
  const kept = fromServer ? keptKeys(bm, am) : [];
  const keptIds = new Set(kept.map((k) => bm.byKey[k]));
  if (fromServer) {
    // Other ids only known after apply belong to accounts being created, never to a current member.
    const afterIds = new Set(am.ids);
    for (const id of bm.ids) if (!afterIds.has(id) && !keptIds.has(id)) members.removed.push({ group: name, user: userLabel(id), address: rc.address });
  }
  if (am.unknown !== 0) {
    const newKeys = am.unknownKeys.filter((k) => !kept.includes(k));
    const keyOf = (r: string) => parseEntryAddress(r)?.key ?? /^scim_user\.user_(.+)$/.exec(r)?.[1] ?? '';
    const refs = unresolvedRefs(rc.address, am.attribute, names, new Set([...startIds, ...am.ids])).filter((r) => !kept.includes(keyOf(r)));
    const expected = am.unknown < 0 ? refs.length : am.unknown - kept.length;
    if (refs.length === expected) {
      for (const r of refs) members.added.push({ group: name, user: names.byAddress.get(r) ?? r, address: rc.address });
    } else {
      for (let i = 0; i < expected; i++) {
        const key = newKeys[i];
        members.added.push({ group: name, user: key !== undefined ? `${key} (account known after apply)` : '(user known after apply)', address: rc.address });
      }
    }
  }
}

/** Users referenced by a group's membership attribute whose ids are not already among `known`. */
function unresolvedRefs(address: string, attribute: string, names: NameIndex, known: Set<string>): string[] {
  return names
    .references(address, attribute)
    .filter((r) => r.startsWith('scim_user.') || parseEntryAddress(r) !== undefined)
    .filter((r) => {
      const id = names.idByAddress.get(r);
      return !id || !known.has(id);
    })
    .sort();
}

function classifyMembership(
  rc: JsonResourceChange,
  names: NameIndex,
  members: { added: MemberEntry[]; removed: MemberEntry[] },
): void {
  const { change } = rc;
  const kind = kindOf(change);
  const label = (values: JsonValue, attr: 'group_id' | 'user_id'): string => {
    const id = str(obj(values)[attr]);
    if (id && names.byId.has(id)) return names.byId.get(id)!;
    const ref = names
      .references(rc.address, attr)
      .find((r) => (attr === 'group_id' ? r.startsWith('scim_group.') : r.startsWith('scim_user.') || parseEntryAddress(r) !== undefined));
    if (ref && names.byAddress.has(ref)) return names.byAddress.get(ref)!;
    return id ?? ref ?? '(known after apply)';
  };
  if (kind === 'delete' || kind === 'replace') {
    members.removed.push({ group: label(change.before, 'group_id'), user: label(change.before, 'user_id'), address: rc.address });
  }
  if (kind === 'create' || kind === 'replace') {
    members.added.push({ group: label(change.after, 'group_id'), user: label(change.after, 'user_id'), address: rc.address });
  }
}
