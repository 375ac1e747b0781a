// The subset of Terraform's machine-readable plan and state formats (`terraform show -json`) that the
// scimform reports read, with a light structural check. Values in these documents may hold secrets
// (variables, sensitive attributes): nothing here is ever printed as is.
import { badPlanJson } from './errors';

export type JsonValue = null | string | number | boolean | JsonValue[] | { [key: string]: JsonValue };

/** Mirrors a value: `true` where the value (or the whole subtree) is sensitive / unknown. */
export type ValueMarks = boolean | ValueMarks[] | { [key: string]: ValueMarks };

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface JsonChange {
  actions: ChangeAction[];
  before: JsonValue;
  after: JsonValue;
  after_unknown?: ValueMarks;
  before_sensitive?: ValueMarks;
  after_sensitive?: ValueMarks;
  importing?: { id?: string } | null;
}

export interface JsonResourceChange {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  provider_name?: string;
  change: JsonChange;
  action_reason?: string;
}

export interface JsonStateResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: string | number;
  values?: { [key: string]: JsonValue };
  sensitive_values?: ValueMarks;
}

export interface JsonStateModule {
  resources?: JsonStateResource[];
  child_modules?: JsonStateModule[];
}

export interface JsonConfigResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  expressions?: { [key: string]: JsonExpression | JsonExpression[] | unknown };
}

export interface JsonExpression {
  constant_value?: JsonValue;
  references?: string[];
}

export interface JsonPlan {
  format_version: string;
  terraform_version?: string;
  resource_changes?: JsonResourceChange[];
  resource_drift?: JsonResourceChange[];
  prior_state?: { values?: { root_module?: JsonStateModule } };
  configuration?: { root_module?: { resources?: JsonConfigResource[] } };
  errored?: boolean;
}

export interface JsonState {
  format_version?: string;
  values?: { root_module?: JsonStateModule };
}

/** Parses `terraform show -json <planfile>` output, failing with a named error when it is not a plan. */
export function parsePlanJson(text: string, source: string): JsonPlan {
  const plan = parseJsonObject(text, source) as Partial<JsonPlan>;
  if (typeof plan.format_version !== 'string') throw badPlanJson(source, 'no format_version');
  if (!plan.format_version.startsWith('1.')) {
    throw badPlanJson(source, `format_version ${plan.format_version} is not supported (expected 1.x)`);
  }
  if (plan.resource_changes !== undefined && !Array.isArray(plan.resource_changes)) {
    throw badPlanJson(source, 'resource_changes is not a list');
  }
  return plan as JsonPlan;
}

/** Parses `terraform show -json` (no plan file: the current state); an empty state is `{}` plus version. */
export function parseStateJson(text: string, source: string): JsonState {
  return parseJsonObject(text, source) as JsonState;
}

/** `terraform show -json` output as a JSON object, failing with a named error otherwise. */
function parseJsonObject(text: string, source: string): object {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw badPlanJson(source, `invalid JSON: ${(e as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw badPlanJson(source, 'not an object');
  return doc;
}

/** Every resource of a state module tree, depth first. */
export function stateResources(module: JsonStateModule | undefined): JsonStateResource[] {
  if (!module) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(stateResources)];
}

export const isObject = (v: unknown): v is { [key: string]: JsonValue } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
