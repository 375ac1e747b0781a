// `entries_json`, the second way to give a roster its entries: a map of JSON strings, one entry object each (the
// attributes of `entries`, by the same names; one left out is unset). Terraform compares a string where it converts
// and unifies a typed map entry by entry — about 15× the CPU (docs/guides/rosters.md "Entries as JSON") — and still
// shows a changed entry attribute by attribute (`jsonencode({ ~ title = … })`). The roster's handlers work on typed
// entries only: this module checks and decodes the strings into them on the way in, and on the way out writes each
// entry back as a string, keeping the planned or earlier string wherever it means the same entry (Terraform needs
// the planned string exactly, and a read must not turn an unchanged entry into another text).
import type { AttributePath, AttributeSchema, Diagnostic, ObjectValue, ResourceType, Value } from '../plugin/provider-definition';
import { Unknown, isObjectValue as isObj, isUnknown } from '../plugin/provider-definition';
import { canon } from './roster-entry';
import { ENTRY_ATTRIBUTES, withEveryAttribute } from './roster-schema';

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`);

/** Problems of one decoded entry against the entry attributes, as `title: must be a string, not number 3`. */
function check(v: unknown, attrs: Record<string, AttributeSchema>, at: string, problems: string[]): void {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    problems.push(`${at || 'the entry'} must be a JSON object, not ${describe(v)}`);
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(k in attrs)) problems.push(`${at}${k}: not an attribute of an entry (attributes: ${Object.keys(attrs).join(', ')})`);
  }
  for (const [k, a] of Object.entries(attrs)) {
    const x = o[k];
    const here = `${at}${k}`;
    if (x === undefined || x === null) {
      if (a.required) problems.push(`${here}: required`);
      continue;
    }
    if (a.nested) {
      if (a.nested.nesting === 'single') check(x, a.nested.attributes, `${here}.`, problems);
      else if (!Array.isArray(x)) problems.push(`${here}: must be a list of objects, not ${describe(x)}`);
      else x.forEach((e, i) => check(e, a.nested!.attributes, `${here}[${i}].`, problems));
      continue;
    }
    const t = a.type;
    if (t === 'string' && typeof x !== 'string') problems.push(`${here}: must be a string, not ${describe(x)}`);
    else if (t === 'bool' && typeof x !== 'boolean') problems.push(`${here}: must be true or false, not ${describe(x)}`);
    else if (typeof t === 'object' && 'set' in t && !(Array.isArray(x) && x.every((e) => typeof e === 'string'))) problems.push(`${here}: must be a list of strings, not ${describe(x)}`);
  }
}

/** One entry string as a typed entry, or the reason it is not one. */
export function decodeEntry(text: string): { entry: ObjectValue } | { problems: string[] } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { problems: [`not valid JSON (${(e as Error).message})`] };
  }
  const problems: string[] = [];
  check(v, ENTRY_ATTRIBUTES, '', problems);
  return problems.length ? { problems } : { entry: withEveryAttribute(v) as ObjectValue };
}

/** `entries_json` as typed entries (Unknown stays Unknown, whole or per entry); bad strings become diagnostics. */
export function decodeEntries(v: Value | undefined, diagnostics?: Diagnostic[]): Value {
  if (v === undefined || v === null || isUnknown(v) || !isObj(v)) return v ?? null;
  const out: ObjectValue = {};
  for (const [key, text] of Object.entries(v)) {
    if (typeof text !== 'string') {
      out[key] = isUnknown(text) ? Unknown : null;
      continue;
    }
    const r = decodeEntry(text);
    if ('entry' in r) out[key] = r.entry;
    else {
      out[key] = Unknown; // never planned as anything: the diagnostic stops the run
      diagnostics?.push({
        severity: 'error',
        summary: `scim_roster entry "${key}" in entries_json: ${r.problems[0]}`,
        detail: `Each value of entries_json is the JSON text of one entry, e.g. jsonencode({ user_name = "ada@example.com", title = "Engineer" }).${r.problems.length > 1 ? ` Also: ${r.problems.slice(1).join('; ')}.` : ''}`,
        path: ['entries_json', { key }],
      });
    }
  }
  return out;
}

/** What an entry means, for telling whether a string still says it: unset `active` is `true`. */
const meaning = (e: ObjectValue): string => canon({ ...e, active: e.active === null || e.active === undefined ? true : e.active });

/** A new string for an entry: its set attributes, `active` only when false or when `like` (an earlier string) had it. */
function freshText(entry: ObjectValue, like: string | undefined): string {
  const keepActive = entry.active === false || (like !== undefined && /"active"\s*:/.test(like));
  const strip = (v: Value): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (isObj(v)) return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null && !isUnknown(x)).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  const o = strip(entry) as Record<string, unknown>;
  if (!keepActive) delete o.active;
  return JSON.stringify(o);
}

/**
 * Typed entries back as `entries_json`: for each entry the first of `earlier` (maps of strings: the planned, then
 * the prior) that means the same entry, else a new string.
 */
export function encodeEntries(entries: Value | undefined, ...earlier: (Value | undefined)[]): Value {
  if (!isObj(entries)) return entries ?? null;
  const maps = earlier.filter(isObj);
  const out: ObjectValue = {};
  for (const [key, e] of Object.entries(entries)) {
    if (!isObj(e)) {
      out[key] = e;
      continue;
    }
    const want = meaning(e);
    let text: string | undefined;
    let like: string | undefined;
    for (const m of maps) {
      const t = m[key];
      if (typeof t !== 'string') continue;
      like ??= t;
      const d = decodeEntry(t);
      if ('entry' in d && meaning(d.entry) === want) {
        text = t;
        break;
      }
    }
    out[key] = text ?? freshText(e, like);
  }
  return out;
}

/** Whether a roster value carries its entries as entries_json (known or not). */
const inJson = (o: ObjectValue | null | undefined): boolean => !!o && o.entries_json !== null && o.entries_json !== undefined;

/** The value with `entries` decoded from entries_json (unchanged when it uses `entries`). */
function typedView(o: ObjectValue, diagnostics?: Diagnostic[]): ObjectValue {
  return inJson(o) ? { ...o, entries: decodeEntries(o.entries_json, diagnostics) } : o;
}

/** A handler's result value in the form `form` uses: entries_json strings (preferring `earlier`), or typed entries. */
function inFormOf(form: ObjectValue, result: ObjectValue, ...earlier: (Value | undefined)[]): ObjectValue {
  if (!inJson(form)) return { ...result, entries_json: null };
  return { ...result, entries: null, entries_json: encodeEntries(result.entries, ...earlier) };
}

/** Diagnostics at `entries["KEY"]…` point at `entries_json["KEY"]` when the roster uses entries_json. */
function retarget(diags: Diagnostic[] | undefined, form: ObjectValue): Diagnostic[] | undefined {
  if (!diags || !inJson(form)) return diags;
  return diags.map((d) => (d.path?.[0] === 'entries' ? { ...d, path: ['entries_json', ...d.path.slice(1, 2)] as AttributePath } : d));
}

/** The check both forms share: exactly one of entries and entries_json. */
export function entriesFormProblem(config: ObjectValue): Diagnostic | undefined {
  const typedSet = config.entries !== null && config.entries !== undefined;
  if (typedSet && inJson(config)) {
    return { severity: 'error', summary: 'scim_roster: both entries and entries_json are set', detail: 'Give the entries one way: entries (typed) or entries_json (one JSON string per entry, e.g. from jsonencode).', path: ['entries_json'] };
  }
  if (!typedSet && !inJson(config)) {
    return { severity: 'error', summary: 'scim_roster: entries or entries_json is required', detail: 'Set entries (or entries_json) to the accounts of this roster; `{}` for a roster without accounts.' };
  }
  return undefined;
}

/** The roster resource accepting entries_json as well as entries: its handlers see typed entries only. */
export function withEntriesJson<P>(r: ResourceType<P>): ResourceType<P> {
  return {
    ...r,
    validate: async (config, ctx) => {
      const problem = entriesFormProblem(config);
      if (problem) return [problem];
      const diags: Diagnostic[] = [];
      const view = typedView(config, diags);
      if (diags.length) return diags;
      return retarget(await r.validate!(view, ctx), config) ?? [];
    },
    plan: async (req, ctx) => {
      const diags: Diagnostic[] = [];
      const config = typedView(req.config, diags);
      if (diags.length) return { planned: req.proposed, diagnostics: diags };
      const res = await r.plan!({ ...req, prior: req.prior && typedView(req.prior), proposed: { ...req.proposed, entries: config.entries }, config }, ctx);
      // The planned strings are the configured ones, exactly (Terraform requires it of a non-computed attribute).
      const planned: ObjectValue = inJson(req.config) ? { ...res.planned, entries: null, entries_json: req.config.entries_json as Value } : { ...res.planned, entries_json: null };
      return { ...res, planned, diagnostics: retarget(res.diagnostics, req.config) };
    },
    create: async (req, ctx) => {
      const res = await r.create({ ...req, planned: typedView(req.planned), config: typedView(req.config) }, ctx);
      return { ...res, state: inFormOf(req.planned, res.state, req.planned.entries_json), diagnostics: retarget(res.diagnostics, req.planned) };
    },
    update: async (req, ctx) => {
      const res = await r.update({ ...req, prior: typedView(req.prior), planned: typedView(req.planned), config: typedView(req.config) }, ctx);
      return { ...res, state: inFormOf(req.planned, res.state, req.planned.entries_json, req.prior.entries_json), diagnostics: retarget(res.diagnostics, req.planned) };
    },
    read: async (req, ctx) => {
      const res = await r.read({ ...req, state: typedView(req.state) }, ctx);
      return { ...res, state: res.state && inFormOf(req.state, res.state, req.state.entries_json), diagnostics: retarget(res.diagnostics, req.state) };
    },
    delete: async (req, ctx) => {
      const res = await r.delete({ ...req, prior: typedView(req.prior) }, ctx);
      return { ...res, diagnostics: retarget(res.diagnostics, req.prior) };
    },
  };
}
