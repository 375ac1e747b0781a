// Roster slicing: which `scim_roster` of an app holds a person. The slice is a fixed, documented function of
// the person key alone — FNV-1a (32 bit) over the key's UTF-8 bytes, modulo the app's slice count — so it
// is the same on every run, machine and Node.js version, never depends on who else is in the app, and a new
// hire changes exactly one slice. Also the roster's logical id (`accounts_00` …), the slice count checks and
// the default accounts mode.
// Plain functions, tested without Terraform.

/** `users`: one scim_user per person; `roster`: the people as entries of a few scim_roster resources. */
export type AccountsMode = 'roster' | 'users';
/** How a ScimApp declares accounts when neither the app nor apps.yaml says (the one place to flip it). */
export const DEFAULT_ACCOUNTS_MODE: AccountsMode = 'roster';

/**
 * Default number of rosters per app. Terraform's cost of one roster grows about N^1.45 with its entries
 * (docs/guides/rosters.md), near-linear up to ~1,000–2,000 entries: 8 slices keep up to ~16,000 people per
 * app in that range, while a small app's empty slices cost nothing at plan (one listing serves every roster).
 */
export const DEFAULT_ROSTER_SLICES = 8;
/** Logical ids carry the slice number on 2 digits (`accounts_00` … `accounts_99`). */
export const MAX_ROSTER_SLICES = 100;

/** FNV-1a 32-bit hash of the UTF-8 bytes of `key` (offset basis 2166136261, prime 16777619), unsigned. */
export function sliceHash(key: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(key, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The slice (0 … count-1) of a person key. */
export function sliceOf(personKey: string, count: number): number {
  return sliceHash(personKey) % count;
}

/** Logical id of a slice's roster: `accounts_<S>`, S zero-padded to 2 digits. */
export function rosterName(slice: number): string {
  return `accounts_${String(slice).padStart(2, '0')}`;
}

/** Terraform address of a slice's roster: `scim_roster.accounts_<S>`. */
export function rosterAddress(slice: number): string {
  return `scim_roster.${rosterName(slice)}`;
}

/**
 * The pseudo-address of one entry of a roster, `scim_roster.accounts_03.entries["E1001"]` (the key as a JSON
 * string): the stack metadata records it and the scimform command addresses an entry's change by it.
 */
export function entryAddressIn(roster: string, personKey: string): string {
  return `${roster}.entries[${JSON.stringify(personKey)}]`;
}

/** The pseudo-address of a person's entry in a slice's roster. */
export function rosterEntryAddress(slice: number, personKey: string): string {
  return entryAddressIn(rosterAddress(slice), personKey);
}

/** Why a `rosterSlices` value is not usable (undefined when it is). */
export function rosterSlicesProblem(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_ROSTER_SLICES) return undefined;
  const shown = typeof value === 'number' || typeof value === 'string' ? ` (got ${JSON.stringify(value)})` : '';
  return (
    `"rosterSlices" must be a whole number from 1 to ${MAX_ROSTER_SLICES}${shown}, e.g. rosterSlices: ${DEFAULT_ROSTER_SLICES} ` +
    `(the default; about one slice per 1,500 people)`
  );
}
