// One person at a time (`scimform plan|apply --person KEY`): the CLI-built configuration that changes exactly
// one person's account. Terraform's `-target` and `import` address whole resources, never a map entry, so every
// roster holding or declaring KEY is overridden (a Terraform `_override.tf.json` file beside cdk.tf.json) with
// its entries as they are now (the refreshed state), except KEY's entry, which takes its desired value from
// cdk.tf.json (or is left out: the person leaves that roster); a roster configured as `entries_json` is
// overridden as `entries_json`, each string as it is now (`${`/`%{` doubled: Terraform reads it as a template).
// The pushed groups KEY joins or leaves are overridden the same way: their `member_ids` as they are now
// (refreshed), KEY's key added with its configured reference or removed, name and external id as they are now; a
// group that cannot change this way (not created yet, or a `members` set) is named as left for the next full
// apply. Only those rosters and groups are planned (`-target`), so every other entry and member is a no-op. Pure
// decisions here; person-apply.ts runs them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliError } from '../cli-errors';
import { isObject, JsonState, JsonValue } from '../report/plan-json';
import { hasKey, ROSTER_TYPE } from '../report/roster-changes';
import { entryMap, parseEntry, usesEntriesJson } from '../report/roster-entry-values';
import { escapeTemplateSequences } from '../../lib/template-escape';

/** The override file (Terraform merges `*_override.tf.json` over the stack's configuration). */
export const PERSON_OVERRIDE_FILE = 'scimform-person_override.tf.json';
/** The plan of one person, beside (never instead of) the stack's saved plan. */
export const PERSON_PLAN_FILE = 'scimform-person.tfplan';
/** The throw-away plan whose prior state gives the rosters as they are now (refreshed). */
export const PERSON_READ_PLAN = 'scimform-person-read.tfplan';

type Entries = { [key: string]: JsonValue };

/** One roster's override: its entries in the form its configuration gives them (`entries_json`: JSON strings). */
export type RosterOverride = { entries: Entries; entries_json?: undefined } | { entries_json: Entries; entries?: undefined };

export interface PersonOverride {
  /** `-target` addresses: the rosters KEY is in (state) or declared in (configuration); in a per-user stack, KEY's
   * scim_user; and the groups whose membership of KEY changes. */
  targets: string[];
  /** The `_override.tf.json` document: `{ resource: { scim_roster: { NAME: { entries } }, scim_group: { NAME: {…} } } }`. */
  override?: { resource: { scim_roster: { [name: string]: RosterOverride }; scim_group?: { [name: string]: GroupOverride } } };
  /** Group changes of KEY this run does not make, one sentence each (said on the terminal). */
  left?: string[];
}

/** A group's override: its membership as it is now with KEY's change, and its name and external id as they are now. */
export interface GroupOverride {
  member_ids: Entries;
  display_name: JsonValue;
  external_id: JsonValue;
}

/** The roster blocks of a cdk.tf.json document that give their entries as a map (either form), by resource name. */
function configRosterBlocks(config: unknown): Map<string, Entries> {
  const resources = isObject(config as JsonValue) ? (config as { resource?: JsonValue }).resource : undefined;
  const rosters = isObject(resources) ? resources[ROSTER_TYPE] : undefined;
  const out = new Map<string, Entries>();
  if (!isObject(rosters)) return out;
  for (const [name, r] of Object.entries(rosters)) if (isObject(r) && entryMap(r)) out.set(name, r);
  return out;
}

/** The entries of each roster of a cdk.tf.json document as written (objects, or `entries_json`'s strings), by resource name. */
export function configRosters(config: unknown): Map<string, Entries> {
  return new Map([...configRosterBlocks(config)].map(([name, r]) => [name, entryMap(r)!]));
}

/** The values of each root-module roster in a state (`terraform show -json`), by resource name. */
function stateRosters(state: JsonState): Map<string, Entries> {
  const out = new Map<string, Entries>();
  for (const r of state.values?.root_module?.resources ?? []) {
    if (r.mode !== 'managed' || r.type !== ROSTER_TYPE || r.index !== undefined) continue;
    out.set(r.name, isObject(r.values as JsonValue) ? (r.values as Entries) : {});
  }
  return out;
}

/**
 * The resource that guards the slice count of a ScimApp's rosters (`terraform_data.roster_slices`, lib's
 * roster emission): planned with the rosters, so a changed count fails a person's plan as it fails any plan.
 */
export function sliceGuardTargets(config: unknown): string[] {
  const resources = isObject(config as JsonValue) ? (config as { resource?: JsonValue }).resource : undefined;
  const data = isObject(resources) ? resources.terraform_data : undefined;
  return isObject(data) && hasKey(data, 'roster_slices') ? ['terraform_data.roster_slices'] : [];
}

/** A state entry as configuration: attributes the state holds as null (nested ones too) were not set. */
const withoutNulls = (entry: JsonValue): JsonValue =>
  Array.isArray(entry) ? entry.map(withoutNulls) : isObject(entry) ? Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)])) : entry;

/** A value from the state written into configuration, whose strings Terraform reads as templates: `${`, `%{` doubled. */
const literally = (v: JsonValue): JsonValue =>
  typeof v === 'string' ? escapeTemplateSequences(v) : Array.isArray(v) ? v.map(literally) : isObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, literally(x)])) : v;

/**
 * Another entry as it is now (`now`, from a roster in the state whose form `nowJson` says), in the configuration's
 * form: an `entries_json` string as it is, a typed entry as configuration (as JSON text for `entries_json`).
 */
function entryAsNow(now: JsonValue, nowJson: boolean, json: boolean): JsonValue {
  if (json) return literally(nowJson && typeof now === 'string' ? now : JSON.stringify(withoutNulls(now)));
  return literally(withoutNulls(nowJson ? (parseEntry(now) ?? now) : now));
}

/**
 * The override that changes only `key`'s accounts in one stack, or undefined when no roster of it holds or
 * declares `key`. Throws when the person's manager (a key of the same roster) has no account yet.
 */
export function personOverride(app: string, key: string, config: unknown, state: JsonState): PersonOverride | undefined {
  const current = stateRosters(state);
  const scim_roster: { [name: string]: RosterOverride } = {};
  const result: PersonOverride = { targets: [], override: { resource: { scim_roster } } };
  for (const [name, block] of configRosterBlocks(config)) {
    const desired = entryMap(block)!;
    const json = usesEntriesJson(block);
    const nowValues = current.get(name);
    const now = entryMap(nowValues) ?? {};
    if (!hasKey(desired, key) && !hasKey(now, key)) continue;
    const nowJson = usesEntriesJson(nowValues);
    const entries: Entries = Object.fromEntries(Object.entries(now).filter(([k]) => k !== key).map(([k, v]) => [k, entryAsNow(v, nowJson, json)]));
    if (hasKey(desired, key)) {
      entries[key] = desired[key];
      const wanted = json ? parseEntry(desired[key]) : desired[key];
      const manager = isObject(wanted) ? wanted.manager : undefined;
      if (typeof manager === 'string' && manager !== key && !manager.includes('${') && !hasKey(entries, manager)) {
        throw cliError(
          'CLI_PERSON_MANAGER',
          `--person ${key}: in ${app}, ${key}'s manager "${manager}" has no account yet (not in ${ROSTER_TYPE}.${name} yet), ` +
            `so the account cannot reference it. Provision the manager first (\`scimform apply --person ${manager}\`) or run a full \`scimform plan\` and \`scimform apply\`.`,
        );
      }
    }
    result.targets.push(`${ROSTER_TYPE}.${name}`);
    scim_roster[name] = json ? { entries_json: entries } : { entries };
  }
  if (!result.targets.length) return undefined;
  result.targets.push(...sliceGuardTargets(config));
  return result;
}

/**
 * In a per-user stack (one `scim_user` per person, no roster), the person's resources: the addresses synth
 * recorded for KEY, the configured `scim_user.user_KEY`, and that address in the state (a leaver's, which
 * planning alone deactivates). Planned with `-target`, no override: Terraform targets a resource as a whole.
 */
export function personUserTargets(key: string, config: unknown, meta: { users?: Record<string, { person?: string }> } | undefined, state: JsonState): string[] {
  const conventional = `scim_user.user_${key}`;
  const resources = isObject(config as JsonValue) ? (config as { resource?: JsonValue }).resource : undefined;
  const users = isObject(resources) ? resources.scim_user : undefined;
  const inConfig = isObject(users) && hasKey(users, `user_${key}`);
  const inState = (state.values?.root_module?.resources ?? []).some((r) => r.address === conventional);
  const recorded = Object.entries(meta?.users ?? {})
    .filter(([address, u]) => u?.person === key && address.startsWith('scim_user.'))
    .map(([address]) => address);
  return [...new Set([...recorded, ...(inConfig || inState ? [conventional] : [])])].sort();
}

/** Who the stack's metadata names (provisioned or excluded) — to tell an unknown key from one in another app. */
export function metadataMentions(meta: { users?: Record<string, { person?: string }>; excluded?: { person: string; detail?: string }[] } | undefined, key: string): 'declared' | 'excluded' | undefined {
  if (Object.values(meta?.users ?? {}).some((u) => u?.person === key)) return 'declared';
  if ((meta?.excluded ?? []).some((e) => e.person === key)) return 'excluded';
  return undefined;
}

/** The error when no selected app holds or declares an account of `key`: unknown, in other apps only, or excluded. */
export function personNotFound(key: string, selected: string[], elsewhere: string[], excluded: { app: string; detail: string }[]): Error {
  const apps = selected.join(', ');
  if (elsewhere.length) {
    return cliError(
      'CLI_PERSON_NOT_IN_APP',
      `--person ${key}: the selected app(s) (${apps}) hold no account of ${key} and declare none; ${key} is in ${elsewhere.join(', ')}. ` +
        `Select that app with --stack ${elsewhere[0]} (or drop --stack).`,
    );
  }
  if (excluded.length) {
    return cliError(
      'CLI_PERSON_NOT_IN_APP',
      `--person ${key}: ${key} is not provisioned in ${excluded.map((e) => `${e.app} (${e.detail.split(' — ')[0]})`).join(', ')} ` +
        'and holds no account there: there is nothing to apply. Change the assignment in the org files, synthesize, then try again.',
    );
  }
  return cliError(
    'CLI_PERSON_UNKNOWN',
    `--person ${key}: no app among ${apps} holds or declares an account for the person key "${key}". Person keys are the keys of the ` +
      'org files (as in `scimform access`) and are case-sensitive; a person declared since the last synth needs `scimform synth` first.',
  );
}

/**
 * Refuses to plan a stack that holds a person's override: Terraform would merge it into any plan of the
 * folder, and a plan of every person would show only that one. It is there while `--person` runs, or was
 * left by an interrupted run.
 */
export function assertNoPersonOverride(stack: { name: string; dir: string }): void {
  const file = join(stack.dir, PERSON_OVERRIDE_FILE);
  if (!existsSync(file)) return;
  throw cliError(
    'CLI_PERSON_OVERRIDE_LEFT',
    `stack ${stack.name}: ${file} exists: a \`scimform plan|apply --person\` is running in this folder, or was interrupted. ` +
      'Terraform would merge it into this plan (every other person kept as they are now). Wait for that run to finish, or delete the file if no run is in progress, then plan again.',
  );
}

/** The scim_group resources of a cdk.tf.json document, by name. */
export function configGroups(config: unknown): Map<string, Entries> {
  const resources = isObject(config as JsonValue) ? (config as { resource?: JsonValue }).resource : undefined;
  const groups = isObject(resources) ? resources.scim_group : undefined;
  return new Map(isObject(groups) ? Object.entries(groups).filter((e): e is [string, Entries] => isObject(e[1])) : []);
}

/** The scim_group resources of a state's root module (their values), by name. */
function stateGroups(state: JsonState): Map<string, Entries> {
  const out = new Map<string, Entries>();
  for (const r of state.values?.root_module?.resources ?? []) {
    if (r.mode === 'managed' && r.type === 'scim_group' && r.index === undefined && isObject(r.values as JsonValue)) out.set(r.name, r.values as Entries);
  }
  return out;
}

/** A state's membership keyed as `member_ids` is (a `members` set keyed by id); undefined when not managed. */
function keyedNow(values: Entries): Entries | undefined {
  if (isObject(values.member_ids)) return values.member_ids;
  if (Array.isArray(values.members)) return Object.fromEntries(values.members.filter((v): v is string => typeof v === 'string').map((id) => [id, id]));
  return undefined;
}

/**
 * The groups whose membership of `key` changes (KEY is a key of the configured `member_ids` and not of the
 * current one, or the other way round), each overridden with every other member as it is now; and, for each
 * group that cannot be changed alone, a sentence saying it is left for the next full apply.
 */
export function personGroups(key: string, config: unknown, state: JsonState): { targets: string[]; groups: { [name: string]: GroupOverride }; left: string[] } {
  const current = stateGroups(state);
  const out = { targets: [] as string[], groups: {} as { [name: string]: GroupOverride }, left: [] as string[] };
  for (const [name, g] of configGroups(config)) {
    const label = `scim_group.${name} ("${typeof g.display_name === 'string' ? g.display_name : name}")`;
    const desired = isObject(g.member_ids) ? g.member_ids : undefined;
    if (!desired) {
      // A `members` set is not keyed by person; its references name the person's account.
      const mentions = Array.isArray(g.members) && g.members.some((m) => typeof m === 'string' && (m.includes(`accounts[${JSON.stringify(key)}]`) || m.includes(`.user_${key}.`)));
      if (mentions) out.left.push(`${label}: its members are a set (members), not keyed by person, so ${key}'s membership is left for the next full \`scimform apply\``);
      continue;
    }
    const now = current.get(name);
    const nowKeyed = now ? keyedNow(now) : undefined;
    const wants = hasKey(desired, key);
    if (wants === (nowKeyed !== undefined && hasKey(nowKeyed, key))) continue;
    if (!now || !nowKeyed) {
      if (wants) out.left.push(`${label}: the group ${now ? 'does not manage its members yet' : 'does not exist yet'}, so adding ${key} is left for the next full \`scimform apply\`, which ${now ? 'takes over its membership' : 'creates it with all its members'}`);
      continue;
    }
    const memberIds: Entries = Object.fromEntries(Object.entries(nowKeyed).filter(([k]) => k !== key));
    if (wants) memberIds[key] = desired[key];
    out.groups[name] = { member_ids: memberIds, display_name: now.display_name ?? null, external_id: now.external_id ?? null };
    out.targets.push(`scim_group.${name}`);
  }
  return out;
}

/** The person's rosters (or scim_user) with the group changes of `personGroups` added; undefined when nothing is targeted. */
export function withGroupChanges(person: PersonOverride | undefined, g: ReturnType<typeof personGroups>): PersonOverride | undefined {
  const targets = [...(person?.targets ?? []), ...g.targets];
  if (!targets.length) return undefined;
  if (!g.targets.length) return g.left.length ? { ...person!, left: g.left } : person;
  const scim_roster = person?.override?.resource.scim_roster ?? {};
  return { targets, override: { resource: { scim_roster, scim_group: g.groups } }, ...(g.left.length ? { left: g.left } : {}) };
}

/** The override as written to the file: no empty resource type. */
export function overrideDocument(o: NonNullable<PersonOverride['override']>): object {
  return { resource: Object.fromEntries(Object.entries(o.resource).filter(([, v]) => v && Object.keys(v).length > 0)) };
}
