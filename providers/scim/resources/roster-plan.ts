// Validation and plan of a `scim_roster`: each entry is checked with scim_user's rules (paths under
// entries["KEY"]), manager keys must name other entries, the planned entries are the configured ones (`active`
// defaults to true), `accounts` stays known for existing entries and is unknown for new ones (but the id of one pinned
// by adopt_id), and each new entry
// that would adopt an existing account gets a warning naming its key (looked up in the one listing of the tenant
// that the read already made).
import type { AttributePath, Diagnostic, ObjectValue, PlanRequest, PlanResponse, Value } from '../plugin/provider-definition';
import { Unknown, isObjectValue as isObj, isUnknown } from '../plugin/provider-definition';
import type { ScimUser } from '../client';
import type { ScimProviderData } from '../provider-config';
import { ON_DESTROY_VALUES } from '../provider-config';
import { accountsOf, entriesOf, str, type EntryMap } from './roster-entry';
import { ROSTER_ID } from './roster-schema';
import { REACTIVATION_LATER, describeAccount } from './user-adoption';
import { scimFailure } from './scim-diagnostics';
import { validateUserConfig, validateUserForProfile } from './user-validation';

/**
 * An entry's diagnostics name the key (and the attribute) in the summary, without an attribute path: Terraform
 * would print the configuration source of the path, which in a CDKTF stack (cdk.tf.json) is the whole roster.
 */
function underEntry(key: string, diags: Diagnostic[]): Diagnostic[] {
  return diags.map(({ path, ...d }) => ({ ...d, summary: `scim_roster entry "${key}"${attrOf(path)}: ${d.summary}` }));
}

function attrOf(path: AttributePath | undefined): string {
  const names = (path ?? []).filter((s): s is string => typeof s === 'string');
  return names.length ? ` ${names.join('.')}` : '';
}

/** Static checks (no provider needed): scim_user's rules per entry, manager references, on_destroy. */
export function validateRoster(config: ObjectValue): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const onDestroy = config.on_destroy;
  if (typeof onDestroy === 'string' && !(ON_DESTROY_VALUES as readonly string[]).includes(onDestroy)) {
    diags.push({ severity: 'error', summary: 'Invalid on_destroy', detail: `on_destroy = "${onDestroy}" is not allowed; use "deactivate" (keep the account, inactive) or "delete" (remove it).`, path: ['on_destroy'] });
  }
  if (!isObj(config.entries)) return diags;
  const entries = entriesOf(config.entries);
  for (const [key, e] of Object.entries(entries)) {
    diags.push(...underEntry(key, validateUserConfig(e)));
    const m = e.manager;
    if (typeof m === 'string') {
      if (m === key) diags.push({ severity: 'error', summary: `scim_roster entry "${key}": manager is the entry itself`, detail: 'A person cannot be their own manager: set manager to the key of another entry.' });
      else if (!(m in entries)) {
        diags.push({
          severity: 'error',
          summary: `scim_roster entry "${key}": manager "${m}" is not a key of this roster`,
          detail: 'manager names another entry of the same scim_roster by its key. For a manager in another roster (another slice), set manager_user_name to the manager\'s user_name instead.',
        });
      }
      if (typeof e.manager_user_name === 'string') {
        diags.push({ severity: 'error', summary: `scim_roster entry "${key}": both manager and manager_user_name are set`, detail: 'Set one: manager (a key of this roster) or manager_user_name (for a manager in another roster).' });
      }
    }
  }
  return diags;
}

/** The entries to plan: the configured ones, `active` defaulting to true. */
export function plannedEntries(config: Value | undefined): Value {
  if (!isObj(config)) return config ?? null;
  const out: ObjectValue = {};
  for (const [k, e] of Object.entries(config)) {
    if (!isObj(e)) {
      out[k] = e;
      continue;
    }
    out[k] = e.active === null || e.active === undefined ? { ...e, active: true } : e;
  }
  return out;
}

export async function planRoster(req: PlanRequest, data: ScimProviderData | undefined): Promise<PlanResponse> {
  const { prior, config } = req;
  const diagnostics: Diagnostic[] = [];
  const planned: ObjectValue = { ...req.proposed };
  planned.id = (prior?.id as Value) ?? ROSTER_ID;
  planned.adopt_existing = config.adopt_existing ?? null;
  if (config.on_destroy === null || config.on_destroy === undefined) planned.on_destroy = data ? data.onDestroy : (prior?.on_destroy ?? Unknown);
  planned.entries = plannedEntries(config.entries);
  if (!isObj(planned.entries)) {
    planned.accounts = Unknown;
    return { planned, diagnostics };
  }
  const priorEntries = entriesOf(prior?.entries);
  const priorAccounts = accountsOf(prior?.accounts);
  const accounts: ObjectValue = {};
  const fresh: EntryMap = {};
  for (const [k, e] of Object.entries(planned.entries)) {
    const a = priorAccounts[k];
    if (k in priorEntries && a) accounts[k] = { id: a.id, existing_id: a.existing_id, existing_active: a.existing_active };
    else {
      // A new entry pinned to an existing account by adopt_id has that id (apply adopts exactly it, or fails the
      // entry), so references to it — a group's members — are known at plan; whether it was active is not.
      const pinned = isObj(e) ? str(e.adopt_id) : undefined;
      accounts[k] = pinned ? { id: pinned, existing_id: pinned, existing_active: Unknown } : Unknown;
      if (isObj(e)) fresh[k] = e;
    }
  }
  planned.accounts = accounts;
  if (data) {
    for (const [k, e] of Object.entries(entriesOf(planned.entries))) diagnostics.push(...underEntry(k, validateUserForProfile(e, data.profile)));
    if (!diagnostics.some((d) => d.severity === 'error')) await planAdoptions(fresh, priorAccounts, planned.adopt_existing !== false, data, diagnostics);
  }
  return { planned, diagnostics };
}

/** One warning per new entry that will adopt an existing account (or an error when adoption is refused). */
async function planAdoptions(fresh: EntryMap, priorAccounts: Record<string, { id: string }>, adoptExisting: boolean, data: ScimProviderData, diagnostics: Diagnostic[]): Promise<void> {
  const claimed = new Map<string, string>();
  for (const [k, a] of Object.entries(priorAccounts)) claimed.set(a.id, k);
  for (const [key, e] of Object.entries(fresh)) {
    const userName = e.user_name;
    if (typeof userName !== 'string' || isUnknown(e.external_id as Value) || isUnknown(e.adopt_id as Value)) continue;
    const pinned = str(e.adopt_id);
    const externalId = str(e.external_id);
    let found: ScimUser | undefined;
    try {
      found = pinned ? await data.client.getUser(pinned) : await data.client.findUser(externalId ? { userName, externalId } : { userName });
    } catch (err) {
      // The lookup failed for the roster, not for this entry (a refused listing, credentials): one error per
      // roster, worded alike for every slice so that Terraform condenses them.
      diagnostics.push(scimFailure(`scim_roster: cannot check whether its new entries already have accounts on ${data.endpoint}`, err));
      return;
    }
    if (!found || !found.id) {
      if (pinned) {
        diagnostics.push({ severity: 'error', summary: `scim_roster entry "${key}": adopt_id "${pinned}" is not an account on ${data.endpoint}`, detail: 'Check the SCIM id, or remove adopt_id to let the plan look the account up by user_name and external_id.' });
      }
      continue;
    }
    const owner = claimed.get(found.id);
    if (owner !== undefined && owner !== key) {
      diagnostics.push({
        severity: 'error',
        summary: `scim_roster entry "${key}": account ${found.id} is already the account of entry "${owner}"`,
        detail: `The account matching ${userName} (${describeAccount(found)}) belongs to entry "${owner}" of this roster. Two entries cannot share an account: fix the user_name, external_id or adopt_id of one of them.`,
      });
      continue;
    }
    claimed.set(found.id, key);
    if (!adoptExisting && !pinned) {
      diagnostics.push({
        severity: 'error',
        summary: `scim_roster entry "${key}": an account for ${userName} already exists (id ${found.id})`,
        detail: `${data.endpoint} already has an account matching this entry (${describeAccount(found)}), and adopt_existing = false forbids adopting it. Remove adopt_existing (or set it to true), or pin it with adopt_id = "${found.id}".`,
      });
      continue;
    }
    const reactivate = found.active === false && e.active !== false;
    diagnostics.push({
      severity: 'warning',
      summary: `scim_roster entry "${key}" will adopt existing account ${found.id} (userName "${found.userName}")`,
      detail:
        `An account matching this entry already exists on ${data.endpoint} (${describeAccount(found)}${pinned ? ', pinned by adopt_id' : ''}). Apply will adopt it and bring it to ` +
        `the declared attributes instead of creating a duplicate${reactivate ? `; ${REACTIVATION_LATER}` : ''}. Set adopt_existing = false on the roster to make this an error instead.`,
    });
  }
}
