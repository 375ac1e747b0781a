// The `scim_user` resource: plan (an adoption announced at plan time, profile rules, no noise), create (adopt an
// account found at apply instead of duplicating it, never reactivating it), read (404 → gone), update (what the
// plan changes and nothing else: user-update.ts), destroy (deactivate by default, or delete) and import by id or
// `user_name=…`.
import type { Diagnostic, HandlerContext, ObjectValue, PlanRequest, PlanResponse, ResourceType, Value } from '../plugin/provider-definition';
import { DiagnosticError, Unknown, containsUnknown, isObjectValue as isObj, isUnknown } from '../plugin/provider-definition';
import type { ConnectorProfile, ScimClient, ScimUser } from '../client';
import { ScimClientError } from '../client/errors';
import { loadScimClient } from '../client-loader';
import type { OnDestroy, ScimProviderData } from '../provider-config';
import { CORE_STRINGS, ENTERPRISE_STRINGS, MULTI_VALUED, NAME_PARTS, USER_DATA_ATTRS, userSchema } from './user-schema';
import { desiredUser, importedState, isSet, managedAttributes, reconcile, userToTf } from './user-mapping';
import { primaryEmail, validateUserConfig, validateUserForProfile } from './user-validation';
import { requireProviderData, scimFailure } from './scim-diagnostics';
import { applyPlannedUpdate } from './user-update';
import { REACTIVATION_LATER, describeAccount, planAdoption } from './user-adoption';
import { createOrAdopt, type NewAccountProgress } from './user-create';

type Ctx = HandlerContext<ScimProviderData>;

/** The provider data with a client whose requests this call's signal aborts (Ctrl-C, StopProvider, a cancelled RPC). */
function forCall(data: ScimProviderData, ctx: Ctx): ScimProviderData {
  return { ...data, client: data.client.withSignal(ctx.signal) };
}

/** The configured provider data for one call (see forCall), or the "not configured" diagnostic. */
function requireCallData(ctx: Ctx, what: string): ScimProviderData {
  return forCall(requireProviderData(ctx, what), ctx);
}

/** Optional+computed account attributes: unset in the configuration = not managed. */
const OPTIONAL_COMPUTED: readonly string[] = [...CORE_STRINGS.map((a) => a.tf), 'name', ...MULTI_VALUED.map((m) => m.tf), 'roles', ...ENTERPRISE_STRINGS.map((a) => a.tf)];


/** Deep equality of Terraform values; arrays (all sets in this schema) compare order-insensitively. */
function sameValue(a: Value | undefined, b: Value | undefined): boolean {
  const canon = (v: Value | undefined): string => {
    if (v === undefined || v === null) return 'null';
    if (isUnknown(v)) return '<unknown>';
    if (Array.isArray(v)) return `[${v.map(canon).sort().join(',')}]`;
    if (typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${k}:${canon(v[k])}`).join(',')}}`;
    return JSON.stringify(v);
  };
  return canon(a) === canon(b);
}

/** Whether the account (not just bookkeeping) differs between two states. */
function accountChanged(prior: ObjectValue, planned: ObjectValue): boolean {
  return USER_DATA_ATTRS.some((k) => !sameValue(prior[k], planned[k]));
}

/** Replaces unknown parts of a planned value by the (now known) configuration, else by `fallback`. */
function resolve(planned: Value | undefined, config: Value | undefined, fallback: Value | undefined): Value {
  if (planned === undefined) return fallback ?? null;
  if (isUnknown(planned)) return config !== undefined && config !== null && !isUnknown(config) ? config : (fallback ?? null);
  if (isObj(planned)) {
    const out: ObjectValue = {};
    for (const k of Object.keys(planned)) out[k] = resolve(planned[k], isObj(config) ? config[k] : undefined, isObj(fallback) ? fallback[k] : undefined);
    return out;
  }
  if (Array.isArray(planned) && planned.some(containsUnknown)) return Array.isArray(config) ? config : (fallback ?? null);
  return planned;
}

/** Values a connector profile derives from others. Proxyclick: with emails unset, the email is user_name. */
function deriveProfileValues(planned: ObjectValue, config: ObjectValue, profile: ConnectorProfile): void {
  if (!profile.userNameIsEmail || isSet(config.emails) || isUnknown(config.emails as Value)) return;
  const userName = planned.user_name;
  if (isUnknown(userName as Value)) {
    planned.emails = Unknown;
    return;
  }
  if (typeof userName !== 'string') return;
  const current = Array.isArray(planned.emails) ? planned.emails.filter(isObj) : [];
  const primary = primaryEmail(current);
  if (primary && typeof primary.value === 'string' && primary.value.toLowerCase() === userName.toLowerCase()) return;
  if (primary) planned.emails = current.map((e) => (e === primary ? { ...e, value: userName } : e));
  else planned.emails = [{ value: userName, type: null, primary: null }, ...current];
}

/**
 * At most one email (phone number) is primary. When the configuration marks one as primary, an element whose
 * `primary` the configuration leaves unset cannot stay primary: Terraform carries the prior `true` into the plan
 * for it, which would leave two primaries on the server after moving the flag. Plan `false` for those instead.
 */
function demoteUndeclaredPrimaries(planned: Value | undefined, config: Value | undefined): Value {
  if (!Array.isArray(planned) || !Array.isArray(config) || containsUnknown(config)) return planned ?? null;
  const declared = config.filter(isObj);
  if (!declared.some((c) => c.primary === true)) return planned;
  return planned.map((e) => {
    if (!isObj(e) || e.primary !== true) return e;
    const own = declared.find((c) => c.value === e.value);
    return own && (own.primary === null || own.primary === undefined) ? { ...e, primary: false } : e;
  });
}

// ---------------------------------------------------------------------------------------------------
// Plan

async function plan(req: PlanRequest, ctx: Ctx): Promise<PlanResponse> {
  const { prior, proposed, config } = req;
  const data = ctx.providerData && forCall(ctx.providerData, ctx);
  const diagnostics: Diagnostic[] = [];
  const planned: ObjectValue = { ...proposed };

  if (config.active === null || config.active === undefined) planned.active = true;
  if (config.on_destroy === null || config.on_destroy === undefined) {
    planned.on_destroy = data ? data.onDestroy : (prior?.on_destroy ?? Unknown);
  }
  planned.adopt_existing = config.adopt_existing ?? null;

  if (prior === null) {
    // A new resource: unset attributes are not managed. Known provider → null (a clean plan); unknown provider
    // → unknown (the profile may fill some of them).
    for (const k of OPTIONAL_COMPUTED) {
      const c = config[k];
      if (c === null || c === undefined) planned[k] = data ? null : Unknown;
      else if (k === 'name' && isObj(c)) planned.name = Object.fromEntries(NAME_PARTS.map((p) => [p.tf, c[p.tf] ?? null]));
      else planned[k] = c;
    }
    planned.id = Unknown;
    planned.meta = Unknown;
    planned.existing_id = Unknown;
    planned.existing_active = Unknown;
  } else {
    planned.id = prior.id;
    planned.existing_id = prior.existing_id ?? null;
    planned.existing_active = prior.existing_active ?? null;
    // Name parts the configuration leaves unset keep what we knew (never "known after apply").
    const pn = isObj(prior.name) ? prior.name : undefined;
    const cn = isObj(config.name) ? config.name : undefined;
    if (isObj(planned.name) && cn) {
      const name: ObjectValue = { ...planned.name };
      for (const p of NAME_PARTS) if (isUnknown(name[p.tf] as Value) && (cn[p.tf] === null || cn[p.tf] === undefined)) name[p.tf] = pn?.[p.tf] ?? null;
      planned.name = name;
    }
  }

  if (data) {
    diagnostics.push(...validateUserForProfile(config, data.profile));
    deriveProfileValues(planned, config, data.profile);
    const onDestroy = planned.on_destroy;
    if (onDestroy === 'delete' && data.profile.deleteMeans === 'deactivate' && (prior === null || prior.on_destroy !== 'delete')) {
      diagnostics.push({
        severity: 'warning',
        summary: `${data.profile.title} cannot delete accounts`,
        detail: `on_destroy = "delete": ${data.profile.title} answers DELETE by deactivating the account, so destroying this resource will leave it inactive.`,
        path: config.on_destroy ? ['on_destroy'] : undefined,
      });
    }
    // The lookup only raises the adoption warning (or the adopt_existing = false error): existing_id and
    // existing_active stay unknown, because Terraform plans again at apply and rejects a known value that
    // changed meanwhile (an account created in the app between plan and apply of a saved plan).
    if (prior === null && !diagnostics.some((d) => d.severity === 'error')) await planAdoption(planned, data, diagnostics);
  }

  for (const m of MULTI_VALUED) planned[m.tf] = demoteUndeclaredPrimaries(planned[m.tf], config[m.tf]);

  if (prior !== null) {
    // An update changes the server's modification stamp and version, nothing else in meta.
    const pm = isObj(prior.meta) ? prior.meta : null;
    planned.meta = !accountChanged(prior, planned) ? pm : pm ? { ...pm, last_modified: Unknown, version: Unknown } : Unknown;
  }
  return { planned, diagnostics };
}

// ---------------------------------------------------------------------------------------------------
// Apply helpers

/**
 * The state after a write: the planned values, with their unknown parts taken from the configuration, else from
 * the server. Pass the planned value as Terraform sent it (unknowns intact), so that `meta` and anything else
 * "known after apply" gets the server's value instead of null.
 */
function finalState(planned: ObjectValue, config: ObjectValue, user: ScimUser, extra: ObjectValue): ObjectValue {
  const remote = userToTf(user);
  const state = resolve(planned, config, remote) as ObjectValue;
  state.id = user.id ?? state.id ?? null;
  return { ...state, ...extra };
}

/** Explains a pending-user refusal: what happened, that nothing is lost, and that a later run retries. */
function pendingDetail(e: ScimClientError, userName: unknown, retry: string): string {
  return (
    `${e.message}\n\n${String(userName)} has not activated the account yet (it is pending), and the app refuses to deactivate a ` +
    `pending account. Nothing was lost: ${retry}`
  );
}

// ---------------------------------------------------------------------------------------------------
// Lifecycle

async function create(req: { planned: ObjectValue; config: ObjectValue }, ctx: Ctx): Promise<{ state: ObjectValue; diagnostics?: Diagnostic[] }> {
  const data = requireCallData(ctx, 'creating a user');
  const { client } = data;
  const planned = resolve(req.planned, req.config, null) as ObjectValue;
  if (isUnknown(req.planned.on_destroy as Value) || planned.on_destroy === null) planned.on_destroy = data.onDestroy;
  deriveProfileValues(planned, req.config, data.profile);
  const userName = String(planned.user_name);
  const diagnostics: Diagnostic[] = [];

  // 1. The account to adopt, looked up now on the server (not in the listing cache): one may have appeared,
  // changed or gone since the plan, which only warned about what it saw then.
  let current: ScimUser | undefined;
  try {
    const externalId = typeof planned.external_id === 'string' && planned.external_id !== '' ? planned.external_id : undefined;
    current = await client.findUserFresh(externalId ? { userName, externalId } : { userName });
  } catch (e) {
    throw toDiagnosticError(scimFailure(`Cannot look up ${userName} before creating it`, e));
  }
  if (current && planned.adopt_existing === false) {
    throw new DiagnosticError(`An account for ${userName} already exists (id ${current.id})`, `adopt_existing = false forbids adopting it (${describeAccount(current)}). It was found on ${data.endpoint} at apply; re-run terraform plan (or scimform plan) to review it.`, ['user_name']);
  }

  // 2. Create (the client adopts instead when the server says the account exists), then converge.
  const progress: NewAccountProgress = { adopted: false, foundActive: null, reactivationLeft: false };
  let user: ScimUser | undefined = current;
  try {
    // Absence was just confirmed by that lookup: the create is one POST, with no second filter query.
    user = await createOrAdopt(client, planned, current, progress, (id) => ctx.log.info('adopting existing account', { id }), { confirmedAbsent: true });
    if (progress.reactivationLeft) {
      diagnostics.push({
        severity: 'warning',
        summary: `scim_user ${userName}: adopted inactive account ${String(user.id)} without reactivating it`,
        detail:
          `An inactive account matching this user exists on ${data.endpoint} (${describeAccount(user)}). Apply adopted it instead of creating a duplicate, but ` +
          `${REACTIVATION_LATER}. The state records the declared active = true until then. To keep the account inactive instead, set active = false.`,
        path: ['active'],
      });
    }
  } catch (e) {
    user = progress.user;
    if (!(e instanceof ScimClientError && e.code === 'SCIM_PENDING_USER' && user?.id)) {
      throw toDiagnosticError(scimFailure(`Cannot ${progress.adopted ? 'adopt' : 'create'} SCIM user ${userName}`, e));
    }
    // The account exists and is still active: only the deactivation was refused. Keep it in the state (an
    // error on create would taint it and force a replacement) and say so; the next refresh reads
    // active = true, so the next plan shows the deactivation again and apply retries it.
    diagnostics.push({ severity: 'warning', summary: `Could not deactivate ${userName} yet: the account is pending`, detail: pendingDetail(e, userName, 'the state records active = false as declared, the next refresh reads the account as active again, and the next terraform apply retries the deactivation.'), path: ['active'] });
    const id = user.id;
    user = (await client.getUser(id).catch(() => undefined)) ?? user;
  }

  const existingId = progress.adopted ? (user.id ?? null) : null;
  const existingActive = progress.adopted ? progress.foundActive : null;
  return { state: finalState(req.planned, req.config, user, { existing_id: existingId, existing_active: existingActive, on_destroy: planned.on_destroy }), diagnostics };
}

function toDiagnosticError(d: Diagnostic): DiagnosticError {
  return new DiagnosticError(d.summary, d.detail, d.path);
}

async function read(req: { state: ObjectValue }, ctx: Ctx): Promise<{ state: ObjectValue | null; diagnostics?: Diagnostic[] }> {
  const data = ctx.providerData && forCall(ctx.providerData, ctx);
  if (!data) return { state: req.state };
  const id = req.state.id;
  if (typeof id !== 'string' || id === '') return { state: null };
  let user: ScimUser | undefined;
  try {
    user = await data.client.getUser(id);
  } catch (e) {
    return { state: req.state, diagnostics: [scimFailure(`Cannot read SCIM user ${id} (${String(req.state.user_name)})`, e)] };
  }
  if (!user) {
    ctx.log.info('user no longer exists on the server; removing it from state', { id });
    return { state: null };
  }
  const state = reconcile(req.state, user, data.profile);
  if (state.on_destroy === null || state.on_destroy === undefined) state.on_destroy = data.onDestroy;
  return { state };
}

async function update(req: { prior: ObjectValue; planned: ObjectValue; config: ObjectValue }, ctx: Ctx): Promise<{ state: ObjectValue; diagnostics?: Diagnostic[] }> {
  const data = requireCallData(ctx, 'updating a user');
  const { client } = data;
  const { prior } = req;
  const planned = resolve(req.planned, req.config, null) as ObjectValue;
  if (isUnknown(req.planned.on_destroy as Value) || planned.on_destroy === null) planned.on_destroy = data.onDestroy;
  deriveProfileValues(planned, req.config, data.profile);
  const id = String(prior.id);
  if (!accountChanged(prior, planned)) return { state: { ...planned, id, meta: prior.meta ?? null } }; // bookkeeping only

  try {
    const user = await applyPlannedUpdate({ client, endpoint: data.endpoint, id, prior, planned });
    return { state: finalState(req.planned, req.config, user, { id, on_destroy: planned.on_destroy }) };
  } catch (e) {
    if (e instanceof DiagnosticError) throw e;
    if (e instanceof ScimClientError && e.code === 'SCIM_PENDING_USER') {
      // Other attributes were written; the account is still active. Record that, so the next plan retries.
      const now = (await client.readUserFresh(id).catch(() => undefined))?.user;
      const state = finalState(req.planned, req.config, now ?? ({ userName: String(planned.user_name), id } as ScimUser), { id, on_destroy: planned.on_destroy });
      state.active = now?.active ?? true;
      return { state, diagnostics: [{ severity: 'error', summary: `Cannot deactivate ${String(planned.user_name)} yet: the account is pending`, detail: pendingDetail(e, planned.user_name, 'the other changes were applied, the state keeps the account active, and the next terraform apply retries the deactivation.'), path: ['active'] }] };
    }
    throw toDiagnosticError(scimFailure(`Cannot update SCIM user ${id} (${String(planned.user_name)})`, e));
  }
}

async function destroy(req: { prior: ObjectValue }, ctx: Ctx): Promise<{ diagnostics?: Diagnostic[] }> {
  const data = requireCallData(ctx, 'destroying a user');
  const id = String(req.prior.id);
  const userName = String(req.prior.user_name);
  const mode: OnDestroy = req.prior.on_destroy === 'delete' ? 'delete' : req.prior.on_destroy === 'deactivate' ? 'deactivate' : data.onDestroy;
  try {
    if (mode === 'delete') await data.client.deleteUser(id);
    else await data.client.setUserActive(id, false);
    ctx.log.info(mode === 'delete' ? 'deleted user' : 'deactivated user', { id });
    return {};
  } catch (e) {
    if (e instanceof ScimClientError && e.code === 'SCIM_NOT_FOUND') return {};
    if (e instanceof ScimClientError && e.code === 'SCIM_PENDING_USER') {
      return { diagnostics: [{ severity: 'error', summary: `Cannot deactivate ${userName} yet: the account is pending`, detail: pendingDetail(e, userName, 'the resource stays in the state, and the next terraform destroy (or apply) retries the deactivation.') }] };
    }
    return { diagnostics: [scimFailure(`Cannot ${mode} SCIM user ${id} (${userName})`, e)] };
  }
}

const USER_NAME_PREFIX = 'user_name=';

async function importUser(importId: string, ctx: Ctx): Promise<{ state: ObjectValue }> {
  const data = requireCallData(ctx, 'importing a user');
  const byName = importId.startsWith(USER_NAME_PREFIX);
  const key = byName ? importId.slice(USER_NAME_PREFIX.length) : importId;
  if (key.trim() === '') {
    throw new DiagnosticError('Invalid import id', 'Use `terraform import scim_user.NAME <id>` or `terraform import scim_user.NAME user_name=<userName>`.');
  }
  let user: ScimUser | undefined;
  try {
    user = byName ? await data.client.findUser({ userName: key }) : await data.client.getUser(key);
  } catch (e) {
    throw toDiagnosticError(scimFailure(`Cannot import SCIM user ${importId}`, e));
  }
  if (!user || !user.id) {
    throw new DiagnosticError(
      `No SCIM user ${byName ? `with userName "${key}"` : `with id "${key}"`} on ${data.endpoint}`,
      byName ? 'Check the user name (compared case-insensitively), or import by id.' : 'Check the id, or import by user name: terraform import scim_user.NAME user_name=<userName>.',
    );
  }
  return { state: importedState(user, data.onDestroy, byName ? key : undefined) };
}

export const userResource: ResourceType<ScimProviderData> = {
  name: 'scim_user',
  schema: userSchema,
  validate: (config) => validateUserConfig(config),
  plan,
  create,
  read,
  update,
  delete: destroy,
  import: importUser,
};
