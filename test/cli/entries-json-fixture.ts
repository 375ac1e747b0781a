// Test fixture: a roster given as `entries_json`, made from the same roster given as typed `entries` (each entry
// JSON.stringify-ed with its null attributes left out, as synth writes it), for `terraform show -json` plans and
// states and for cdk.tf.json blocks; and typed entries as Terraform shows them (every attribute, null when unset).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonPlan, JsonResourceChange, JsonState, JsonValue, ValueMarks } from '../../cli/report/plan-json';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The attributes of a roster entry in the provider's schema (what Terraform shows for every typed entry). */
const ATTRIBUTES: string[] = (() => {
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'lib', 'generated', 'provider-schema.json'), 'utf8'));
  const provider = Object.values(schema.provider_schemas)[0] as { resource_schemas: { scim_roster: { block: { attributes: { entries: { nested_type: { attributes: Obj } } } } } } };
  return Object.keys(provider.resource_schemas.scim_roster.block.attributes.entries.nested_type.attributes);
})();

/** A typed entry as a plan or state shows it: every attribute present, null where unset. */
export const tfEntry = (attrs: Obj): Obj => ({ ...Object.fromEntries(ATTRIBUTES.map((a) => [a, null])), ...attrs });

const withoutNulls = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(withoutNulls) : isObj(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)])) : v;

/** Typed entries as `entries_json`: each entry's JSON text without its null attributes (an unknown entry, null, left out). */
export const asEntriesJson = (entries: Obj): Record<string, string> =>
  Object.fromEntries(Object.entries(entries).filter(([, e]) => e !== null).map(([k, e]) => [k, JSON.stringify(withoutNulls(e))]));

/** A roster value (plan before/after, state values) with its entries as `entries_json`; `entries` null, as Terraform shows it. */
export const jsonRosterValues = (v: JsonValue): JsonValue =>
  isObj(v) && isObj(v.entries) ? ({ ...v, entries: null, entries_json: asEntriesJson(v.entries) } as JsonValue) : v;

/** A cdk.tf.json roster block with its entries as `entries_json` (no `entries`). */
export const jsonRosterBlock = ({ entries, ...rest }: Obj): Obj => ({ ...rest, entries_json: asEntriesJson(entries as Obj) });

const anyMark = (m: unknown): boolean => m === true || (Array.isArray(m) ? m.some(anyMark) : isObj(m) ? Object.values(m).some(anyMark) : false);

/** Marks of typed entries as marks of `entries_json`: a string is marked whole (an entry with any mark, true). */
export const jsonMarks = (m: ValueMarks | undefined): ValueMarks | undefined => {
  if (!isObj(m) || !('entries' in m)) return m;
  const { entries, ...rest } = m;
  if (!isObj(entries)) return { ...rest, entries_json: entries as ValueMarks };
  return { ...rest, entries_json: Object.fromEntries(Object.entries(entries).filter(([, x]) => anyMark(x)).map(([k]) => [k, true])) };
};

const jsonChange = (rc: JsonResourceChange): JsonResourceChange =>
  rc.type !== 'scim_roster'
    ? rc
    : {
        ...rc,
        change: {
          ...rc.change,
          before: jsonRosterValues(rc.change.before),
          after: jsonRosterValues(rc.change.after),
          after_unknown: jsonMarks(rc.change.after_unknown),
          before_sensitive: jsonMarks(rc.change.before_sensitive),
          after_sensitive: jsonMarks(rc.change.after_sensitive),
        },
      };

/** A state (or a plan's prior state) with every roster's entries as `entries_json`. */
export function jsonState<S extends JsonState>(state: S): S {
  const resources = state.values?.root_module?.resources;
  if (!resources) return state;
  return {
    ...state,
    values: {
      ...state.values,
      root_module: {
        ...state.values!.root_module,
        resources: resources.map((r) =>
          r.type === 'scim_roster' ? { ...r, values: jsonRosterValues(r.values ?? null) as Record<string, JsonValue>, sensitive_values: jsonMarks(r.sensitive_values) } : r,
        ),
      },
    },
  };
}

/** A plan with every roster (changes, drift, prior state) given as `entries_json`. */
export const jsonPlan = (plan: JsonPlan): JsonPlan => ({
  ...plan,
  ...(plan.resource_changes ? { resource_changes: plan.resource_changes.map(jsonChange) } : {}),
  ...(plan.resource_drift ? { resource_drift: plan.resource_drift.map(jsonChange) } : {}),
  ...(plan.prior_state ? { prior_state: jsonState(plan.prior_state) } : {}),
});

/** A cdk.tf.json document with every roster block's entries as `entries_json`. */
export function jsonConfig<C extends { resource: Obj }>(config: C): C {
  const rosters = config.resource.scim_roster as Record<string, Obj> | undefined;
  if (!rosters) return config;
  return { ...config, resource: { ...config.resource, scim_roster: Object.fromEntries(Object.entries(rosters).map(([n, b]) => [n, jsonRosterBlock(b)])) } };
}
