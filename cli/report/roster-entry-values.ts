// A roster's entries in either form the provider takes: the typed map `entries`, or `entries_json` (the JSON text of
// each entry, attributes left out unset), from a plan's before/after, a state's values or a cdk.tf.json block; and
// the marks (unknown, sensitive) of either form as marks of `entries`. Every CLI reader of a roster's entries uses it.
import { ENTRY_ATTRIBUTES, withEveryAttribute } from '../../providers/scim/resources/roster-schema';
import { isObject, JsonValue, ValueMarks } from './plan-json';

type Obj = { [key: string]: JsonValue };

/** Whether the roster gives its entries as `entries_json` (set, and `entries` not a map). */
export const usesEntriesJson = (values: unknown): boolean =>
  isObject(values) && !isObject(values.entries) && values.entries_json !== null && values.entries_json !== undefined;

/** The entries as written: `entries`' objects or `entries_json`'s strings, by key; undefined when neither is a map. */
export function entryMap(values: unknown): Obj | undefined {
  if (!isObject(values)) return undefined;
  const map = usesEntriesJson(values) ? values.entries_json : values.entries;
  return isObject(map) ? map : undefined;
}

/** One entry string parsed; undefined when it is not the JSON text of an object (an expression, a bad string). */
export function parseEntry(text: JsonValue | undefined): Obj | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const v = JSON.parse(text) as JsonValue;
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

/**
 * A parsed entry as Terraform shows a typed one (and the provider decodes it, roster-entries-json.ts): every
 * attribute present, null where the JSON leaves it out, object keys in order; `active` true when unset (the
 * provider plans that default); a set of strings (`roles`) in Terraform's order.
 */
function typedEntry(e: Obj): Obj {
  const out = withEveryAttribute(e) as Obj;
  if (out.active === null) out.active = true;
  if (Array.isArray(out.roles) && out.roles.every((r) => typeof r === 'string')) out.roles = [...(out.roles as string[])].sort();
  return out;
}

/**
 * The entries of a roster, by key: `entries`' objects, or each `entries_json` string parsed as a typed entry; a
 * value that is not an object (an unknown entry, an expression, a string that is not the JSON of an object — which
 * the provider rejects) is left out. Undefined when the roster gives no map of entries.
 */
export function rosterEntries(values: unknown): { [key: string]: Obj } | undefined {
  const map = entryMap(values);
  if (!map) return undefined;
  const json = usesEntriesJson(values);
  const out: { [key: string]: Obj } = {};
  for (const [key, v] of Object.entries(map)) {
    const entry = json ? parseEntry(v) : isObject(v) ? v : undefined;
    if (entry) out[key] = json ? typedEntry(entry) : entry;
  }
  return out;
}

const markAt = (m: ValueMarks | undefined, key: string): ValueMarks | undefined =>
  m === true ? true : isObject(m as JsonValue) && hasOwn(m as object, key) ? (m as { [k: string]: ValueMarks })[key] : undefined;

/** The marks of the entries of `values` (from the same plan or state), as marks of `entries`: by key, or `true`. */
export const entriesMarks = (values: unknown, marks: ValueMarks | undefined): ValueMarks | undefined =>
  markAt(marks, usesEntriesJson(values) ? 'entries_json' : 'entries');

/** Whether the whole map of entries is known only after apply, in either form. */
export const entriesUnknown = (afterUnknown: ValueMarks | undefined): boolean =>
  markAt(afterUnknown, 'entries') === true || markAt(afterUnknown, 'entries_json') === true;

/**
 * The marks of an entry marked as a whole (an `entries_json` string is marked whole: sensitive when any part is,
 * unknown when any part is), as marks of each of its attributes.
 */
export const EVERY_ENTRY_ATTRIBUTE: { readonly [attr: string]: true } = Object.fromEntries(Object.keys(ENTRY_ATTRIBUTES).map((k) => [k, true]));

/** The set-typed entry attributes (`emails`, `phone_numbers`, `roles`): their order means nothing. */
export const SET_ATTRIBUTES: readonly string[] = Object.entries(ENTRY_ATTRIBUTES)
  .filter(([, a]) => a.nested?.nesting === 'set' || (typeof a.type === 'object' && 'set' in a.type))
  .map(([k]) => k);
