// The `scim_roster` resource: wiring of validation and plan (roster-plan.ts), read (one listing of the tenant,
// each entry reconciled as scim_user reads an account: roster-entry.ts, roster-managers.ts), apply
// (roster-apply.ts, for create and update alike), destroy (every account deactivated or deleted) and import of the
// empty roster (id `roster`), which makes the first apply an update. Entries given as entries_json are decoded for
// these handlers and encoded back by roster-entries-json.ts.
import type { Diagnostic, HandlerContext, ObjectValue, ResourceType } from '../plugin/provider-definition';
import { DiagnosticError } from '../plugin/provider-definition';
import type { ScimUser } from '../client';
import { ScimClientError } from '../client/errors';
import type { ScimProviderData } from '../provider-config';
import { runBounded } from './bounded-concurrency';
import { ROSTER_CONCURRENCY, applyRoster } from './roster-apply';
import { accountsOf, entriesOf, readEntry, type EntryMap } from './roster-entry';
import { ManagerDirectory } from './roster-managers';
import { planRoster, validateRoster } from './roster-plan';
import { ROSTER_ID, rosterSchema } from './roster-schema';
import { requireProviderData, scimFailure } from './scim-diagnostics';
import { withEntriesJson } from './roster-entries-json';

type Ctx = HandlerContext<ScimProviderData>;

async function read(req: { state: ObjectValue }, ctx: Ctx): Promise<{ state: ObjectValue | null; diagnostics?: Diagnostic[] }> {
  const data = ctx.providerData;
  if (!data) return { state: req.state };
  const prior = entriesOf(req.state.entries);
  const accounts = accountsOf(req.state.accounts);
  const dir = new ManagerDirectory(new Set(Object.keys(prior)), accounts, data.client);
  const entries: EntryMap = {};
  const outAccounts: ObjectValue = {};
  const gone: string[] = [];
  let failure: Diagnostic | undefined;
  await runBounded(Object.keys(prior), ROSTER_CONCURRENCY, async (key) => {
    const a = accounts[key];
    if (!a) return;
    let user: ScimUser | undefined;
    try {
      user = await data.client.getUser(a.id); // the first call lists the tenant once; the others are served from it
    } catch (e) {
      failure ??= scimFailure(`Cannot read the accounts of scim_roster (entry "${key}", SCIM id ${a.id})`, e);
      entries[key] = prior[key];
      outAccounts[key] = { ...a };
      return;
    }
    if (!user) {
      gone.push(key);
      return;
    }
    entries[key] = await dir.readManager(readEntry(prior[key], user, data.profile), user);
    outAccounts[key] = { ...a };
  });
  if (gone.length) ctx.log.info('roster accounts no longer exist on the server; the plan shows them as new entries', { keys: gone.slice(0, 20), count: gone.length });
  const state: ObjectValue = { ...req.state, entries, accounts: outAccounts };
  if (state.on_destroy === null || state.on_destroy === undefined) state.on_destroy = data.onDestroy;
  return failure ? { state, diagnostics: [failure] } : { state };
}

async function apply(req: { prior: ObjectValue | null; planned: ObjectValue; config: ObjectValue }, ctx: Ctx): Promise<{ state: ObjectValue; diagnostics?: Diagnostic[] }> {
  const data = requireProviderData(ctx, 'applying a roster');
  return applyRoster(req, data, ctx.log);
}

async function destroy(req: { prior: ObjectValue }, ctx: Ctx): Promise<{ diagnostics?: Diagnostic[] }> {
  const data = requireProviderData(ctx, 'destroying a roster');
  const entries = entriesOf(req.prior.entries);
  const accounts = accountsOf(req.prior.accounts);
  const mode = req.prior.on_destroy === 'delete' ? 'delete' : req.prior.on_destroy === 'deactivate' ? 'deactivate' : data.onDestroy;
  const diagnostics: Diagnostic[] = [];
  await runBounded(Object.keys(accounts), ROSTER_CONCURRENCY, async (key) => {
    const id = accounts[key].id;
    try {
      if (mode === 'delete') await data.client.deleteUser(id);
      else await data.client.setUserActive(id, false);
    } catch (e) {
      if (e instanceof ScimClientError && e.code === 'SCIM_NOT_FOUND') return;
      diagnostics.push(scimFailure(`scim_roster entry "${key}" (${String(entries[key]?.user_name)}): cannot ${mode} the account`, e, ['entries', { key }]));
    }
  });
  return { diagnostics };
}

async function importRoster(id: string, ctx: Ctx): Promise<{ state: ObjectValue }> {
  if (id !== ROSTER_ID) {
    throw new DiagnosticError(
      `Invalid scim_roster import id "${id}"`,
      `A roster is imported empty with the id "${ROSTER_ID}": import { to = scim_roster.NAME  id = "${ROSTER_ID}" }. Its entries then adopt their existing accounts at the next apply (the plan shows one warning per adopted account).`,
    );
  }
  // Empty in the form CDKTF stacks write (entries_json), so that their first plan shows no change of form.
  return { state: { id: ROSTER_ID, entries: null, entries_json: {}, accounts: {}, on_destroy: ctx.providerData?.onDestroy ?? null, adopt_existing: null } };
}

export const rosterResource: ResourceType<ScimProviderData> = withEntriesJson({
  name: 'scim_roster',
  schema: rosterSchema,
  validate: (config) => validateRoster(config),
  plan: (req, ctx) => planRoster(req, ctx.providerData),
  create: (req, ctx) => apply({ prior: null, planned: req.planned, config: req.config }, ctx),
  read,
  update: (req, ctx) => apply(req, ctx),
  delete: destroy,
  import: (id, ctx) => importRoster(id, ctx),
});
