// Apply of a `scim_roster`: the per-entry calls, concurrently (the client's rate budget spaces them), each with
// scim_user's semantics — a new entry is created or adopts the account found at apply (never reactivating it), a changed entry gets exactly the planned changes (three-way from a fresh read, If-Match), a
// removed entry is deactivated or deleted. Partial failure is normal: the new state records every entry that
// succeeded, a failed entry keeps its prior value (or stays absent when new), and each failure is one error
// naming the key. Progress (done / total) goes to the provisioning log.
import type { Diagnostic, Logger, ObjectValue } from '../plugin/provider-definition';
import { DiagnosticError, isUnknown } from '../plugin/provider-definition';
import type { ScimUser } from '../client';
import { ScimClientError } from '../client/errors';
import type { OnDestroy, ScimProviderData } from '../provider-config';
import { runBounded } from './bounded-concurrency';
import { accountsOf, entriesOf, entryAsUser, entryChanged, managesManager, str, type AccountFacts, type EntryMap } from './roster-entry';
import { startWritingPhase } from './roster-apply-phases';
import { ManagerDirectory } from './roster-managers';
import { plannedEntries } from './roster-plan';
import { ROSTER_ID } from './roster-schema';
import { scimFailure } from './scim-diagnostics';
import { REACTIVATION_LATER, describeAccount } from './user-adoption';
import { createOrAdopt, type NewAccountProgress } from './user-create';
import { applyPlannedUpdate } from './user-update';
import { PLANNED_ATTRIBUTES, type PlannedAttribute } from './user-three-way';

/** Per-entry calls in flight at once; the provider's budgets (requests/writes per minute) pace them. */
export const ROSTER_CONCURRENCY = 8;
const PROGRESS_EVERY_MS = 1000;

export interface RosterApplyRequest {
  prior: ObjectValue | null;
  config: ObjectValue;
  planned: ObjectValue;
}

/**
 * The account a new entry adopts, looked up at apply: the pinned `adopt_id`, else by user name / external id. The
 * client's read cache answers from one listing of the tenant made during this apply (Terraform plans the roster
 * again in the apply's provider process before applying it), so an account created in the app since the reviewed
 * plan is adopted, not duplicated; where the listing is refused, the client asks by filter.
 */
async function findExisting(data: ScimProviderData, entry: ObjectValue): Promise<ScimUser | undefined> {
  const pinned = str(entry.adopt_id);
  if (pinned) return data.client.getUser(pinned);
  const userName = String(entry.user_name);
  const externalId = str(entry.external_id);
  return data.client.findUser(externalId ? { userName, externalId } : { userName });
}

/** Attributes an entry leaves unset are not managed: planned as the prior value (never written). */
function plannedAsUser(priorUser: ObjectValue, entry: ObjectValue, managerId: string | null): ObjectValue {
  const u = entryAsUser(entry, managerId);
  for (const [k, v] of Object.entries(u)) {
    if (k === 'active') continue;
    if (k === 'manager_id' ? !managesManager(entry) : v === null) u[k] = priorUser[k];
  }
  const pn = priorUser.name;
  if (u.name && typeof u.name === 'object' && !Array.isArray(u.name) && pn && typeof pn === 'object' && !Array.isArray(pn)) {
    const name: ObjectValue = { ...u.name };
    for (const [part, v] of Object.entries(name)) if (v === null) name[part] = pn[part] ?? null;
    u.name = name;
  }
  return u;
}

/** The attributes a prior entry did not manage (its value is null there), for the three-way decision. */
function unmanagedIn(priorEntry: ObjectValue): (a: PlannedAttribute) => boolean {
  const unmanaged = new Set<string>();
  for (const a of PLANNED_ATTRIBUTES) {
    if (a.tf === 'active') continue;
    if (a.tf === 'manager_id') {
      if (!managesManager(priorEntry)) unmanaged.add(a.tf);
    } else if (a.read(priorEntry) === null) unmanaged.add(a.tf);
  }
  return (a) => unmanaged.has(a.tf);
}

/**
 * An error for one entry, named by its key in the summary. Roster diagnostics carry no attribute path: Terraform
 * would print the configuration source of the path, which in a CDKTF stack (cdk.tf.json) is the whole roster.
 */
function entryFailure(key: string, userName: string, what: string, e: unknown): Diagnostic {
  if (e instanceof DiagnosticError) return { severity: 'error', summary: e.summary, detail: e.detail };
  return scimFailure(`scim_roster entry "${key}" (${userName}): cannot ${what} the account`, e);
}

export async function applyRoster(req: RosterApplyRequest, data: ScimProviderData, log: Logger): Promise<{ state: ObjectValue; diagnostics: Diagnostic[] }> {
  const { client } = data;
  const started = Date.now();
  const onDestroy: OnDestroy = req.planned.on_destroy === 'delete' ? 'delete' : req.planned.on_destroy === 'deactivate' ? 'deactivate' : data.onDestroy;
  const P = entriesOf(req.prior?.entries);
  const PA = accountsOf(req.prior?.accounts);
  const N = entriesOf(plannedEntries(req.config.entries));
  const adoptExisting = req.config.adopt_existing !== false;
  const diagnostics: Diagnostic[] = [];
  const newEntries: EntryMap = {};
  const newAccounts: Record<string, AccountFacts> = {};

  const creates: string[] = [];
  const updates: string[] = [];
  const removes: string[] = [];
  for (const [k, e] of Object.entries(N)) {
    if (!(k in P) || !PA[k]) creates.push(k);
    else if (entryChanged(P[k], e)) updates.push(k);
    else {
      newEntries[k] = P[k];
      newAccounts[k] = PA[k];
    }
  }
  for (const k of Object.keys(P)) if (!(k in N) && PA[k]) removes.push(k);

  const total = creates.length + updates.length + removes.length;
  let done = 0;
  let failed = 0;
  let lastNote = 0;
  const note = (force = false) => {
    const now = Date.now();
    if (!force && now - lastNote < PROGRESS_EVERY_MS) return;
    lastNote = now;
    client.noteProgress({ action: 'roster-progress', done, total, failed, elapsedMs: now - started, detail: `scim_roster: ${done}/${total} entries applied, ${failed} failed` });
  };
  if (total === 0) return { state: finalState(req, newEntries, newAccounts, onDestroy), diagnostics };
  note(true);
  const finish = (ok: boolean) => {
    done++;
    if (!ok) failed++;
    note(done === total);
  };

  // Accounts known so far, for manager references (grows as entries are created).
  const accountsNow: Record<string, AccountFacts> = { ...PA };
  const dirNew = new ManagerDirectory(new Set(Object.keys(N)), accountsNow, client);
  const dirPrior = new ManagerDirectory(new Set(Object.keys(P)), PA, client);
  const claimed = new Map<string, string>();
  for (const [k, a] of Object.entries(PA)) claimed.set(a.id, k);
  /** Entries whose manager had no account yet when they were written: set once every entry is done. */
  const deferred: { key: string; id: string; user: ObjectValue }[] = [];

  const create = async (key: string) => {
    const e = N[key];
    const userName = String(e.user_name);
    const progress: NewAccountProgress = { adopted: false, foundActive: null, reactivationLeft: false };
    try {
      const existing = await findExisting(data, e);
      if (str(e.adopt_id) && !existing) throw new DiagnosticError(`scim_roster entry "${key}" (${userName}): adopt_id "${String(e.adopt_id)}" is not an account on ${data.endpoint}`, 'Check the SCIM id, or remove adopt_id to look the account up by user_name and external_id.');
      if (existing?.id) {
        const owner = claimed.get(existing.id);
        if (owner !== undefined && owner !== key) throw new DiagnosticError(`scim_roster entry "${key}" (${userName}): account ${existing.id} is already the account of entry "${owner}"`, `Two entries cannot share an account (${describeAccount(existing)}); fix the user_name, external_id or adopt_id of one of them.`);
        if (!adoptExisting && !str(e.adopt_id)) throw new DiagnosticError(`scim_roster entry "${key}" (${userName}): an account already exists (id ${existing.id})`, `adopt_existing = false forbids adopting it (${describeAccount(existing)}). It was found on ${data.endpoint} at apply; re-run terraform plan (or scimform plan) to review it.`);
        claimed.set(existing.id, key);
      }
      const manager = await dirNew.resolve(e);
      const asUser = entryAsUser(e, manager.id);
      const user = await createOrAdopt(client, asUser, existing, progress);
      const id = String(user.id);
      accountsNow[key] = { id, existing_id: progress.adopted ? id : null, existing_active: progress.adopted ? progress.foundActive : null };
      newAccounts[key] = accountsNow[key];
      newEntries[key] = e;
      if (progress.reactivationLeft) {
        diagnostics.push({
          severity: 'warning',
          summary: `scim_roster entry "${key}" (${userName}): adopted inactive account ${id} without reactivating it`,
          detail: `Apply adopted the inactive account ${id} on ${data.endpoint} instead of creating a duplicate, but ${REACTIVATION_LATER}. To keep it inactive, set active = false in the entry.`,
        });
      }
      if (manager.pending) deferred.push({ key, id, user: asUser });
      finish(true);
    } catch (err) {
      const d = entryFailure(key, userName, progress.adopted ? 'adopt' : 'create', err);
      if (progress.user?.id) d.detail = `${d.detail ?? ''}\n\nThe account exists (SCIM id ${progress.user.id}) but was not brought to the declared attributes; the next plan adopts it.`;
      diagnostics.push(d);
      finish(false);
    }
  };

  const update = async (key: string) => {
    const userName = String(N[key].user_name);
    const id = PA[key].id;
    newAccounts[key] = PA[key];
    try {
      const priorManager = await dirPrior.resolve(P[key]);
      const manager = await dirNew.resolve(N[key]);
      const prior = entryAsUser(P[key], priorManager.id);
      const planned = plannedAsUser(prior, N[key], manager.pending ? prior.manager_id as string | null : manager.id);
      await applyPlannedUpdate({ client, endpoint: data.endpoint, id, prior, planned, unmanagedInPrior: unmanagedIn(P[key]), who: `scim_roster entry "${key}" (${userName}, SCIM id ${id})` });
      newEntries[key] = N[key];
      if (manager.pending) deferred.push({ key, id, user: planned });
      finish(true);
    } catch (err) {
      newEntries[key] = P[key];
      diagnostics.push(entryFailure(key, userName, 'update', err));
      finish(false);
    }
  };

  const remove = async (key: string) => {
    const userName = String(P[key].user_name);
    const id = PA[key].id;
    try {
      if (onDestroy === 'delete') await client.deleteUser(id);
      else await client.setUserActive(id, false);
      finish(true);
    } catch (err) {
      if (err instanceof ScimClientError && err.code === 'SCIM_NOT_FOUND') {
        finish(true);
        return;
      }
      newEntries[key] = P[key];
      newAccounts[key] = PA[key];
      diagnostics.push(entryFailure(key, userName, onDestroy, err));
      finish(false);
    }
  };

  const tasks: (() => Promise<void>)[] = [...removes.map((k) => () => remove(k)), ...creates.map((k) => () => create(k)), ...updates.map((k) => () => update(k))];
  const phase = startWritingPhase(data);
  try {
    await runBounded(tasks, ROSTER_CONCURRENCY, (t) => t());
  } finally {
    phase.end();
  }
  // A manager in another slice may be created by that slice's apply, running now in this provider process.
  if (deferred.length) await phase.othersEnded();
  await runBounded(deferred, ROSTER_CONCURRENCY, (d) => setDeferredManager(d, N, P, newEntries, dirNew, data, diagnostics));
  log.info('applied scim_roster', { total, failed, ms: Date.now() - started });
  return { state: finalState(req, newEntries, newAccounts, onDestroy), diagnostics };
}

/** Writes the manager of an entry whose manager's account was created in the same apply. */
async function setDeferredManager(d: { key: string; id: string; user: ObjectValue }, N: EntryMap, P: EntryMap, newEntries: EntryMap, dir: ManagerDirectory, data: ScimProviderData, diagnostics: Diagnostic[]): Promise<void> {
  const entry = N[d.key];
  const userName = String(entry.user_name);
  const keepPriorManager = () => {
    newEntries[d.key] = { ...entry, manager: P[d.key]?.manager ?? null, manager_user_name: P[d.key]?.manager_user_name ?? null };
  };
  const manager = await dir.resolve(entry, { fresh: true });
  if (manager.pending) {
    // The state keeps the configured reference (Terraform requires the planned value); the next read records
    // the app's manager, so the next plan shows the reference as a change and the next apply sets it.
    diagnostics.push({
      severity: 'warning',
      summary: `scim_roster entry "${d.key}" (${userName}): its manager has no account yet`,
      detail: `The manager ${str(entry.manager) ? `entry "${String(entry.manager)}"` : `user_name "${String(entry.manager_user_name)}"`} has no account on ${data.endpoint} yet, so the manager was not set. The next plan shows it and the next apply sets it.`,
    });
    return;
  }
  try {
    await applyPlannedUpdate({ client: data.client, endpoint: data.endpoint, id: d.id, prior: d.user, planned: { ...d.user, manager_id: manager.id }, who: `scim_roster entry "${d.key}" (${userName}, SCIM id ${d.id})` });
  } catch (err) {
    keepPriorManager();
    diagnostics.push(entryFailure(d.key, userName, 'set the manager of', err));
  }
}

function finalState(req: RosterApplyRequest, entries: EntryMap, accounts: Record<string, AccountFacts>, onDestroy: OnDestroy): ObjectValue {
  const acc: ObjectValue = {};
  for (const [k, a] of Object.entries(accounts)) acc[k] = { id: a.id, existing_id: a.existing_id, existing_active: a.existing_active };
  const id = req.planned.id;
  return { id: typeof id === 'string' && !isUnknown(id) ? id : ROSTER_ID, entries, accounts: acc, on_destroy: onDestroy, adopt_existing: req.config.adopt_existing ?? null };
}
