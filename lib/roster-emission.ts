// A ScimApp's accounts as rosters (`accounts: 'roster'`): which entry each provisioned person becomes in
// which `scim_roster.accounts_<S>` (attributes from the same mapping as scim_user, manager as a person key in
// the same slice or the manager's userName across slices, inactive overrides, adoption pins), and the
// constructs that carry them: one roster per slice with its entries as `entries_json` strings, every slice always declared and imported with the fixed
// id `roster` (its first apply is an update), `removed` blocks that forget the per-user `scim_user`
// resources of an earlier deployment without touching an account (and, for per-user apps, any earlier
// rosters), and a guard that refuses a change of the slice count at plan. The decisions are plain functions.
import { DataResource, type TerraformProvider, type TerraformStack } from 'cdktf';
import { Roster, rosterEntriesToTerraform, type RosterEntries } from './generated/scim/roster';
import type { MappedUser } from './mappings';
import { MAX_ROSTER_SLICES, rosterAddress, rosterEntryAddress, rosterName, sliceOf } from './roster-slices';
import { tfId, userConfig } from './stack-emission';
import { escapeTemplateSequences } from './template-escape';

/** One provisioned person as the roster needs them. */
export interface RosterPerson {
  readonly key: string;
  readonly user: MappedUser;
  /** false: the account stays deactivated (an inactive assignment). */
  readonly active: boolean;
  /** SCIM id of the existing account this entry adopts (from overrideAccount's importId). */
  readonly adoptId?: string;
}

/** The entries of every slice (each slice present, possibly empty) and the slice of each person. */
export interface RosterPlan {
  readonly count: number;
  readonly slices: ReadonlyArray<Record<string, RosterEntries>>;
  readonly sliceOf: ReadonlyMap<string, number>;
}

/**
 * Entries per slice. A manager provisioned in the same slice is referenced by person key (`manager`), one in
 * another slice by their userName in this app (`manager_user_name`), one not provisioned here not at all.
 */
export function planRosters(people: readonly RosterPerson[], count: number): RosterPlan {
  const slice = new Map(people.map((p) => [p.key, sliceOf(p.key, count)]));
  const byKey = new Map(people.map((p) => [p.key, p]));
  const slices: Record<string, RosterEntries>[] = Array.from({ length: count }, () => ({}));
  for (const p of [...people].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const s = slice.get(p.key)!;
    const manager = p.user.managerKey && p.user.managerKey !== p.key ? byKey.get(p.user.managerKey) : undefined;
    slices[s][p.key] = {
      ...userConfig(p.user, p.active),
      ...(manager ? (slice.get(manager.key) === s ? { manager: manager.key } : { managerUserName: manager.user.userName }) : {}),
      ...(p.adoptId ? { adoptId: p.adoptId } : {}),
    };
  }
  return { count, slices, sliceOf: slice };
}

/** `removed` blocks forgetting the per-user resources of these people (a block for an absent address is a no-op). */
export function removedUserBlocks(personKeys: readonly string[]): { from: string; lifecycle: { destroy: false } }[] {
  return [...personKeys].sort().map((k) => ({ from: `scim_user.${tfId('user', k)}`, lifecycle: { destroy: false } }));
}

/**
 * `removed` blocks forgetting every possible roster of a per-user app (`accounts: 'users'`), so that switching
 * back from rosters deactivates nobody: the scim_user resources adopt the accounts instead.
 */
export function removedRosterBlocks(): { from: string; lifecycle: { destroy: false } }[] {
  return Array.from({ length: MAX_ROSTER_SLICES }, (_, s) => ({ from: rosterAddress(s), lifecycle: { destroy: false } }));
}

/** The message Terraform shows when the slice count differs from the one the state was deployed with. */
export function sliceCountChangedMessage(app: string, count: number): string {
  return (
    `SCIMFORM_ROSTER_SLICES_CHANGED: ${app}: rosterSlices is ${count}, but this app's accounts were deployed in ` +
    '${self.output.slices} rosters (scim_roster.accounts_00 …). A new count moves people between rosters: one roster ' +
    'would deactivate the account another adopts in the same apply. Set rosterSlices back to ${self.output.slices}, ' +
    'or change the count as docs/guides/rosters.md "Changing the slice count" shows (forget the rosters, then the new ones adopt every account).'
  );
}

/** What a roster-mode app emitted for one person. */
export interface RosterAccount {
  /** Pseudo-address used in the stack metadata and by the scimform command. */
  readonly address: string;
  /** The account's SCIM id as a Terraform reference (`${<roster>.accounts["KEY"].id}`), for group members and managers. */
  readonly accountId: string;
  readonly roster: Roster;
}

/**
 * `${scim_roster.accounts_<S>.accounts["KEY"].id}`, written out rather than made by the binding
 * (`roster.interpolationForAttribute(…)`, whose map accessor would also leave the key unquoted): a cdktf token
 * captures and formats a stack trace when it is made, ~0.2 ms apiece, and an app makes one per person (synth of
 * 10,000 people: 16.0 → 13.2 s; the synthesized JSON is byte-identical). The roster and everything that
 * refers to it live in one stack, so Terraform finds the dependency in the reference itself.
 */
function accountIdOf(slice: number, key: string): string {
  return `\${${rosterAddress(slice)}.accounts[${JSON.stringify(key)}].id}`;
}

/**
 * One entry as the JSON text `entries_json` takes (attribute names as Terraform spells them, unset ones left
 * out), with `${` and `%{` doubled: Terraform reads every string of cdk.tf.json as a template.
 */
export function entryJson(entry: RosterEntries): string {
  return escapeTemplateSequences(JSON.stringify(rosterEntriesToTerraform(entry)));
}

/**
 * A slice's entries as `entries_json`: Terraform compares one string per entry where it would convert and unify a
 * typed map entry by entry, about 15× the CPU at 1,250 entries (docs/guides/rosters.md "Entries as JSON strings").
 */
export function entriesAsJson(entries: Record<string, RosterEntries>): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).map(([k, e]) => [k, entryJson(e)]));
}

/** Declares the rosters, the slice guard and the removed blocks in `stack`; returns each person's account. */
export function emitRosters(
  stack: TerraformStack,
  opts: { provider: TerraformProvider; onDestroy: string; count: number; title: string; people: readonly RosterPerson[] },
): Map<string, RosterAccount> {
  const plan = planRosters(opts.people, opts.count);
  const rosters = plan.slices.map((entries, s) => {
    const roster = new Roster(stack, rosterName(s), { provider: opts.provider, entriesJson: entriesAsJson(entries), onDestroy: opts.onDestroy });
    roster.overrideLogicalId(rosterName(s));
    roster.importFrom('roster');
    return roster;
  });
  new DataResource(stack, 'roster_slices', {
    input: { slices: opts.count },
    lifecycle: {
      // The state keeps the count the rosters were first deployed with; the postcondition compares.
      ignoreChanges: ['input'],
      postcondition: [{ condition: `\${self.output.slices == ${opts.count}}`, errorMessage: sliceCountChangedMessage(opts.title, opts.count) }],
    },
  }).overrideLogicalId('roster_slices');
  const removed = removedUserBlocks(opts.people.map((p) => p.key));
  if (removed.length) stack.addOverride('removed', removed);
  const out = new Map<string, RosterAccount>();
  for (const p of opts.people) {
    const s = plan.sliceOf.get(p.key)!;
    out.set(p.key, { address: rosterEntryAddress(s, p.key), accountId: accountIdOf(s, p.key), roster: rosters[s] });
  }
  return out;
}
