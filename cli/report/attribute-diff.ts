// Attribute-level differences between two Terraform values (before → after), with sensitive values
// replaced by a marker and unknown values ("known after apply") flagged. Single nested objects are
// flattened into dotted paths (`name.given_name`); lists and sets are compared and shown whole.
import { isObject, JsonValue, ValueMarks } from './plan-json';

/** A value as the report may show it: the value itself, or only the fact that it is sensitive/unknown. */
export type Shown = { value: JsonValue } | { sensitive: true } | { unknown: true };

export interface AttributeChange {
  /** Dotted attribute path, e.g. `title`, `name.given_name`, `emails`. */
  path: string;
  before: Shown;
  after: Shown;
}

/** Placeholders used inside partially sensitive / unknown lists. */
export const SENSITIVE_TEXT = '(sensitive)';
export const UNKNOWN_TEXT = '(known after apply)';

const markAt = (marks: ValueMarks | undefined, key: string | number): ValueMarks | undefined => {
  if (marks === undefined || typeof marks === 'boolean') return marks;
  if (Array.isArray(marks)) return typeof key === 'number' ? marks[key] : undefined;
  return typeof key === 'string' ? marks[key] : undefined;
};

/** True when the whole value is marked (not just a part). */
const whollyMarked = (marks: ValueMarks | undefined): boolean => marks === true;

/** True when any part of the value is marked. */
export const anyMarked = (marks: ValueMarks | undefined): boolean => {
  if (marks === undefined || marks === false) return false;
  if (marks === true) return true;
  if (Array.isArray(marks)) return marks.some(anyMarked);
  return Object.values(marks).some(anyMarked);
};

/** Copies a value with sensitive parts replaced by SENSITIVE_TEXT and unknown parts by UNKNOWN_TEXT. */
export function maskValue(value: JsonValue | undefined, sensitive?: ValueMarks, unknown?: ValueMarks): JsonValue {
  if (whollyMarked(unknown)) return UNKNOWN_TEXT;
  if (whollyMarked(sensitive)) return SENSITIVE_TEXT;
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.map((v, i) => maskValue(v, markAt(sensitive, i), markAt(unknown, i)));
  if (isObject(value)) {
    const out: { [key: string]: JsonValue } = {};
    const keys = new Set([...Object.keys(value), ...(isObject(unknown) ? Object.keys(unknown) : [])]);
    for (const k of keys) out[k] = maskValue(value[k], markAt(sensitive, k), markAt(unknown, k));
    return out;
  }
  return value;
}

/** Shows a value, never revealing a sensitive one; `unknown` only applies to planned (after) values. */
export function showValue(value: JsonValue | undefined, sensitive?: ValueMarks, unknown?: ValueMarks): Shown {
  if (whollyMarked(unknown)) return { unknown: true };
  if (whollyMarked(sensitive)) return { sensitive: true };
  return { value: maskValue(value, sensitive, unknown) };
}

/** Deep equality of JSON values (object key order ignored). */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return (a ?? null) === (b ?? null);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!jsonEqual(a[k] ?? null, b[k] ?? null)) return false;
    return true;
  }
  return false;
}

export interface DiffInput {
  before: JsonValue;
  after: JsonValue;
  beforeSensitive?: ValueMarks;
  afterSensitive?: ValueMarks;
  afterUnknown?: ValueMarks;
}

/**
 * The attributes that differ between before and after, in path order. `ignore` lists top-level
 * attributes left out (computed bookkeeping such as `id` or `meta`).
 */
export function diffAttributes(input: DiffInput, ignore: readonly string[] = []): AttributeChange[] {
  const out: AttributeChange[] = [];
  walk(input.before, input.after, input.beforeSensitive, input.afterSensitive, input.afterUnknown, '', out, ignore);
  return out.sort((x, y) => x.path.localeCompare(y.path));
}

function walk(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  bSens: ValueMarks | undefined,
  aSens: ValueMarks | undefined,
  aUnk: ValueMarks | undefined,
  prefix: string,
  out: AttributeChange[],
  ignore: readonly string[],
): void {
  const nestable =
    !whollyMarked(bSens) && !whollyMarked(aSens) && !whollyMarked(aUnk) &&
    (isObject(before) || isObject(after)) && !Array.isArray(before) && !Array.isArray(after);
  if (nestable) {
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    const keys = new Set([...Object.keys(b), ...Object.keys(a), ...(isObject(aUnk) ? Object.keys(aUnk) : [])]);
    for (const k of [...keys].sort()) {
      if (prefix === '' && ignore.includes(k)) continue;
      walk(b[k], a[k], markAt(bSens, k), markAt(aSens, k), markAt(aUnk, k), prefix ? `${prefix}.${k}` : k, out, ignore);
    }
    return;
  }
  const changed = anyMarked(aUnk) || !jsonEqual(before ?? null, after ?? null);
  if (!changed) return;
  out.push({ path: prefix, before: showValue(before ?? null, bSens), after: showValue(after ?? null, aSens, aUnk) });
}
