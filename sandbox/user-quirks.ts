// The user-data quirks of the emulated apps, driven by TenantProfile flags: Proxyclick's
// userName⇄primary-email mirror, Proxy's lower-cased emails and pending users, Promapp's PATCH
// whitelist. Applied to every SCIM write (and to out-of-band creates), never to admin drift.
import { attributePath, type PatchOperation } from './patch-request';
import { invalidValue, mutability } from './scim-error';
import type { TenantProfile } from './tenants';

type Email = { value?: unknown; type?: unknown; primary?: unknown; [k: string]: unknown };
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function emailsOf(data: Record<string, unknown>): Email[] {
  return Array.isArray(data.emails) ? (data.emails as Email[]) : [];
}

/** The primary email: the one marked primary, else the first work email, else the first one. */
export function primaryEmail(data: Record<string, unknown>): Email | undefined {
  const emails = emailsOf(data);
  return emails.find((e) => e.primary === true) ?? emails.find((e) => e.type === 'work') ?? emails[0];
}

const lowerStr = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

/**
 * Normalises user data as the tenant's app would store it. `previous` is the stored data for
 * updates (decides which side of the Proxyclick mirror changed).
 */
export function applyUserQuirks(profile: TenantProfile, data: Record<string, unknown>, previous?: Record<string, unknown>): void {
  if (profile.userNameIsEmail) mirrorUserNameAndEmail(profile, data, previous);
  if (profile.lowerCaseEmails) {
    for (const e of emailsOf(data)) if (typeof e.value === 'string') e.value = e.value.toLowerCase();
  }
}

function mirrorUserNameAndEmail(profile: TenantProfile, data: Record<string, unknown>, previous?: Record<string, unknown>): void {
  const primary = primaryEmail(data);
  if (previous) {
    const userNameChanged = lowerStr(data.userName) !== lowerStr(previous.userName);
    const emailChanged = lowerStr(primary?.value) !== lowerStr(primaryEmail(previous)?.value);
    if (!userNameChanged && emailChanged && typeof primary?.value === 'string') data.userName = primary.value;
  }
  const userName = data.userName;
  if (typeof userName !== 'string' || !EMAIL_RE.test(userName)) {
    throw invalidValue(`${profile.title} requires userName to be an email address (userName and the primary email are one value), got ${JSON.stringify(userName)}`);
  }
  if (primary) {
    primary.value = userName;
    primary.primary = true;
    if (primary.type === undefined) primary.type = 'work';
    for (const e of emailsOf(data)) if (e !== primary && e.primary === true) e.primary = false;
  } else {
    data.emails = [{ value: userName, type: 'work', primary: true }];
  }
}

const CORE_PREFIX = /^urn:ietf:params:scim:schemas:core:2\.0:user:/i;

/** Promapp: PATCH may touch only the whitelisted paths; anything else → 400 mutability naming the path. */
export function checkPatchableUserPaths(profile: TenantProfile, operations: PatchOperation[]): void {
  const allowed = profile.patchableUserPaths;
  if (allowed === 'all') return;
  const allowedLower = allowed.map((a) => a.toLowerCase());
  const isAllowed = (p: string) => {
    const norm = attributePath(p.replace(CORE_PREFIX, '')).toLowerCase();
    return allowedLower.some((a) => norm === a || norm.startsWith(`${a}.`));
  };
  const refuse = (p: string, n: number) => {
    throw mutability(`${profile.title} does not allow PATCH of '${p}' (operation ${n}): PATCH may change only ${allowed.join(', ')}; use PUT to change other attributes such as userName`);
  };
  const checkTarget = (p: string, value: unknown, n: number) => {
    const norm = attributePath(p.replace(CORE_PREFIX, '')).toLowerCase();
    // `name` as a whole is fine when the value only carries allowed sub-attributes.
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && allowedLower.some((a) => a.startsWith(`${norm}.`))) {
      for (const sub of Object.keys(value as object)) if (!isAllowed(`${norm}.${sub}`)) refuse(`${p}.${sub}`, n);
      return;
    }
    if (!isAllowed(p)) refuse(p, n);
  };
  operations.forEach((op, i) => {
    if (op.path !== undefined) checkTarget(op.path, op.value, i + 1);
    else for (const [key, value] of Object.entries((op.value ?? {}) as Record<string, unknown>)) checkTarget(key, value, i + 1);
  });
}

/** Proxy: true when the operations would set active=false. */
export function deactivates(operations: PatchOperation[]): boolean {
  return operations.some((op) => {
    if (op.op === 'remove') return false;
    if (op.path !== undefined) return op.path.toLowerCase() === 'active' && op.value === false;
    const v = op.value as Record<string, unknown> | undefined;
    return !!v && Object.entries(v).some(([k, val]) => k.toLowerCase() === 'active' && val === false);
  });
}
