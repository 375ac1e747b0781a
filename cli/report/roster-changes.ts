// The one adapter between `scim_roster` and the rest of the CLI: it explodes each roster of a Terraform JSON
// plan or state (`terraform show -json`) into one `scim_user`-shaped resource per entry, at the pseudo-address
// `scim_roster.NAME.entries["KEY"]`, so that the report, the guard, the fingerprint, drift, the access matrix
// and the reviewed reactivations read a roster entry exactly as they read a `scim_user` resource. An entry's
// value is its `entries[KEY]` object plus `id`, `existing_id`, `existing_active` (from `accounts[KEY]`) and
// the roster's `on_destroy`; a roster given as `entries_json` reads the same (roster-entry-values.ts). Per
// entry: a new key is a create (the report makes it an adoption from the provider's warning,
// plan-diagnostics.ts, or a planned `existing_id`), a changed entry an update, a removed key a delete (the
// report makes it a deactivation or a deletion from `on_destroy`), an unchanged one a no-op; a forgotten roster
// (`removed`, destroy = false) forgets each entry. The roster's own import is not a change anyone sees; nor are
// entries written anew with the same meaning (in the other form, `entries` ↔ `entries_json`, or as other JSON
// text), which stay in the plan as the roster's change, to be applied.
import { entryAddressIn } from '../../lib/roster-slices';
import { jsonEqual } from './attribute-diff';
import { canonicalJson } from './report-fingerprint';
import { entriesMarks, entriesUnknown, EVERY_ENTRY_ATTRIBUTE, rosterEntries, SET_ATTRIBUTES, usesEntriesJson } from './roster-entry-values';
import {
  isObject,
  JsonChange,
  JsonPlan,
  JsonResourceChange,
  JsonState,
  JsonStateModule,
  JsonStateResource,
  JsonValue,
  parsePlanJson,
  ValueMarks,
} from './plan-json';

export const ROSTER_TYPE = 'scim_roster';

type Obj = { [key: string]: JsonValue };
type MarkObj = { [key: string]: ValueMarks };

/** `scim_roster.accounts_03.entries["E1001"]`: the address the CLI gives an entry of a roster (lib's format). */
export const entryAddress = entryAddressIn;

const ENTRY_ADDRESS = /^(.*\bscim_roster\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?)\.entries(?:_json)?\[("(?:[^"\\]|\\.)*")\]$/;

/**
 * The roster address and person key of an entry's pseudo-address (or of Terraform's `…entries_json["KEY"]`, the
 * same entry); undefined for any other address.
 */
export function parseEntryAddress(address: string): { roster: string; key: string } | undefined {
  const m = ENTRY_ADDRESS.exec(address);
  if (!m) return undefined;
  try {
    return { roster: m[1], key: JSON.parse(m[2]) as string };
  } catch {
    return undefined;
  }
}

const obj = (v: JsonValue | undefined): Obj => (isObject(v) ? v : {});
/** Own keys only: a person key such as `constructor` is not inherited. */
export const hasKey = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const markAt = (m: ValueMarks | undefined, key: string): ValueMarks | undefined =>
  m === true ? true : isObject(m as JsonValue) && hasKey(m as object, key) ? (m as MarkObj)[key] : undefined;

type Entries = { [key: string]: Obj };

/**
 * The pseudo scim_user value of one entry of `entries` (the roster's, read once): its attributes, its account's ids
 * and the roster's on_destroy. An entry known only after apply has no attributes (its marks say they are unknown).
 */
function entryValue(roster: Obj, entries: Entries, key: string, unknown = false): Obj | null {
  const entry = hasKey(entries, key) ? entries[key] : undefined;
  if (!entry && !unknown) return null;
  const accounts = obj(roster.accounts);
  const account = hasKey(accounts, key) ? obj(accounts[key]) : {};
  return {
    ...entry,
    id: account.id ?? null,
    existing_id: account.existing_id ?? null,
    existing_active: account.existing_active ?? null,
    on_destroy: roster.on_destroy ?? null,
  };
}

/**
 * The marks (sensitive or unknown) of one entry's pseudo value, from the marks of the roster value `roster`. An entry
 * marked as a whole (an `entries_json` string always is) has each of its attributes marked; its account's are its own.
 */
function entryMarks(roster: JsonValue, marks: ValueMarks | undefined, key: string): ValueMarks | undefined {
  if (marks === undefined || marks === false) return undefined;
  if (marks === true) return true;
  const entry = markAt(entriesMarks(roster, marks), key);
  const account = markAt(markAt(marks, 'accounts'), key);
  const out: MarkObj = entry === true ? { ...EVERY_ENTRY_ATTRIBUTE } : isObject(entry as JsonValue) ? { ...(entry as MarkObj) } : {};
  for (const k of ['id', 'existing_id', 'existing_active']) {
    const m = markAt(account, k);
    if (m !== undefined) out[k] = m;
  }
  const onDestroy = markAt(marks, 'on_destroy');
  if (onDestroy !== undefined) out.on_destroy = onDestroy;
  return out;
}

const anyTrue = (m: ValueMarks | undefined): boolean =>
  m === true || (Array.isArray(m) ? m.some(anyTrue) : isObject(m as JsonValue) ? Object.values(m as MarkObj).some(anyTrue) : false);


/**
 * The after value with each set attribute (emails, phone_numbers, roles) that holds the same elements as before in
 * before's order: Terraform orders a typed set its own way and an `entries_json` string keeps its own, so the same set
 * would read as a change. Not where the after marks are per element (they follow the after order).
 */
function inBeforeSetOrder(b: Obj, a: Obj, afterMarks: (ValueMarks | undefined)[]): Obj {
  let out = a;
  for (const k of SET_ATTRIBUTES) {
    const x = b[k];
    const y = a[k];
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length || jsonEqual(x, y)) continue;
    if (afterMarks.some((m) => Array.isArray(markAt(m, k)))) continue;
    const texts = (list: JsonValue[]) => list.map(canonicalJson).sort().join('\n');
    if (texts(x) === texts(y)) out = { ...out, [k]: x };
  }
  return out;
}

/** The per-entry changes of one roster change, sorted by key; entries the change does not touch are no-ops. */
export function entryChanges(rc: JsonResourceChange): JsonResourceChange[] {
  const { change } = rc;
  const before = isObject(change.before) ? change.before : null;
  const after = isObject(change.after) ? change.after : null;
  const replace = change.actions.includes('create') && change.actions.includes('delete');
  // A roster left by a `removed { lifecycle { destroy = false } }` block: its entries are forgotten, no account changes.
  const forget = change.actions.includes('forget') && !change.actions.includes('delete');
  const beforeEntries = rosterEntries(before) ?? {};
  const afterEntries = rosterEntries(after) ?? {};
  // Entries known only after apply (an `entries_json` string with an unknown part is unknown whole).
  const unknownMarks = after ? entriesMarks(after, change.after_unknown) : undefined;
  const unknownKeys = new Set(isObject(unknownMarks as JsonValue) ? Object.keys(unknownMarks as MarkObj).filter((k) => (unknownMarks as MarkObj)[k] === true) : []);
  const keys = new Set([...Object.keys(beforeEntries), ...Object.keys(afterEntries), ...unknownKeys]);
  const out: JsonResourceChange[] = [];
  for (const key of [...keys].sort()) {
    const b = before ? entryValue(before, beforeEntries, key) : null;
    const afterUnknown = after ? entryMarks(after, change.after_unknown, key) : undefined;
    const afterSensitive = after ? entryMarks(after, change.after_sensitive, key) : undefined;
    let a = after ? entryValue(after, afterEntries, key, unknownKeys.has(key)) : null;
    if (a && b) a = inBeforeSetOrder(b, a, [afterUnknown, afterSensitive]);
    let actions: JsonChange['actions'];
    if (forget) actions = ['forget'];
    else if (b && a) actions = replace ? ['delete', 'create'] : anyTrue(afterUnknown) || !jsonEqual(b, a) ? ['update'] : ['no-op'];
    else if (a) actions = ['create'];
    else actions = ['delete'];
    out.push({
      address: entryAddress(rc.address, key),
      mode: 'managed',
      type: 'scim_user',
      name: rc.name,
      ...(rc.provider_name ? { provider_name: rc.provider_name } : {}),
      change: {
        actions,
        before: b,
        after: a,
        ...(a && afterUnknown !== undefined ? { after_unknown: afterUnknown } : {}),
        ...(b ? { before_sensitive: entryMarks(before, change.before_sensitive, key) ?? false } : {}),
        ...(a ? { after_sensitive: afterSensitive ?? false } : {}),
      },
    });
  }
  return out;
}

/** The entries of one roster in a state, as scim_user-shaped state resources. */
export function entryResources(r: JsonStateResource): JsonStateResource[] {
  const values = obj(r.values as JsonValue);
  const entries = rosterEntries(values) ?? {};
  return Object.keys(entries)
    .sort()
    .map((key) => ({
      address: entryAddress(r.address, key),
      mode: 'managed' as const,
      type: 'scim_user',
      name: r.name,
      values: entryValue(values, entries, key) ?? {},
      ...(r.sensitive_values !== undefined ? { sensitive_values: entryMarks(values, r.sensitive_values, key) ?? {} } : {}),
    }));
}

const isRoster = (r: { mode: string; type: string }) => r.mode === 'managed' && r.type === ROSTER_TYPE;

/**
 * A roster whose whole `entries` (or `entries_json`) map is known only after apply (it is computed from other resources) cannot be
 * told apart per entry: it stays one change, at the roster's address, that the report shows as an update of
 * `entries` to "(known after apply)" — never hidden.
 */
function wholeRoster(rc: JsonResourceChange): JsonResourceChange {
  return {
    ...rc,
    type: 'scim_user',
    change: { actions: ['update'], before: { entries: null }, after: { entries: null }, after_unknown: { entries: true } },
  };
}

/**
 * Whether a roster update only writes its entries anew — in the other form (`entries` ↔ `entries_json`), or as
 * `entries_json` strings that say the same — while no entry changes. The roster's change then stays in the plan
 * beside its entries: the report reads no account change from it, but the plan has a change to apply, so that
 * the state takes the new text (else every later plan, and drift, would find it again).
 */
function rewritesEntries({ change }: JsonResourceChange, entries: JsonResourceChange[]): boolean {
  if (!change.actions.includes('update') || !isObject(change.before) || !isObject(change.after)) return false;
  if (!entries.every((e) => e.change.actions.every((a) => a === 'no-op'))) return false;
  const json = usesEntriesJson(change.after);
  return usesEntriesJson(change.before) !== json || (json && !jsonEqual(change.before.entries_json, change.after.entries_json));
}

const explodeChanges = (list: JsonResourceChange[] | undefined): JsonResourceChange[] | undefined =>
  list?.flatMap((rc) => {
    if (!isRoster(rc)) return [rc];
    if (entriesUnknown(rc.change.after_unknown)) return rc.change.actions.every((a) => a === 'no-op' || a === 'read') ? [] : [wholeRoster(rc)];
    const entries = entryChanges(rc);
    return rewritesEntries(rc, entries) ? [...entries, rc] : entries;
  });

function explodeModule(module: JsonStateModule | undefined): JsonStateModule | undefined {
  if (!module) return module;
  return {
    ...module,
    ...(module.resources ? { resources: module.resources.flatMap((r) => (isRoster(r) ? entryResources(r) : [r])) } : {}),
    ...(module.child_modules ? { child_modules: module.child_modules.map((m) => explodeModule(m)!) } : {}),
  };
}

/** A plan as the CLI reads it: every roster change and every roster in the prior state exploded into entries. */
export function explodeRosterPlan(plan: JsonPlan): JsonPlan {
  const prior = plan.prior_state?.values?.root_module;
  return {
    ...plan,
    ...(plan.resource_changes ? { resource_changes: explodeChanges(plan.resource_changes) } : {}),
    ...(plan.resource_drift ? { resource_drift: explodeChanges(plan.resource_drift) } : {}),
    ...(prior ? { prior_state: { ...plan.prior_state, values: { ...plan.prior_state!.values, root_module: explodeModule(prior) } } } : {}),
  };
}

/** A state as the CLI reads it: every roster exploded into scim_user-shaped entries. */
export function explodeRosterState(state: JsonState): JsonState {
  const root = state.values?.root_module;
  return root ? { ...state, values: { ...state.values, root_module: explodeModule(root) } } : state;
}

/** `terraform show -json <planfile>` output as the CLI reads it: parsed, checked, rosters exploded. */
export const readPlanJson = (text: string, source: string): JsonPlan => explodeRosterPlan(parsePlanJson(text, source));
