// The sandbox's SCIM schemas, built from scimmy's core User/Group/EnterpriseUser attribute definitions
// but kept in private SchemaDefinition instances, so nothing global in scimmy is mutated.
// Also: coercion helpers and the attribute walker that finds unknown/read-only attributes and turns
// Entra-style boolean strings ("True") into booleans.
import { Schemas, Types } from 'scimmy';
import { invalidSyntax, invalidValue, SandboxScimError } from './scim-error';

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

type Attribute = InstanceType<typeof Types.Attribute>;
type SchemaDefinition = InstanceType<typeof Types.SchemaDefinition>;
export type SchemaNode = Attribute | SchemaDefinition;
/** A class usable where scimmy expects a Schema subclass (e.g. PatchOp.apply). */
export type SchemaClass = new (data: object, direction?: string) => InstanceType<typeof Types.Schema>;

const ownAttributes = (def: SchemaDefinition) =>
  def.attributes.filter((a): a is Attribute => a instanceof Types.Attribute && !a.config.shadow);

export const userDefinition: SchemaDefinition = new Types.SchemaDefinition('User', USER_SCHEMA, 'User Account', ownAttributes(Schemas.User.definition))
  .extend(Schemas.EnterpriseUser.definition, false);
export const groupDefinition: SchemaDefinition = new Types.SchemaDefinition('Group', GROUP_SCHEMA, 'Group', ownAttributes(Schemas.Group.definition));

function schemaClass(definition: SchemaDefinition): SchemaClass {
  const Base = Types.Schema as unknown as new (data: object, direction?: string) => object;
  type Filter = InstanceType<typeof Types.Filter>;
  class SandboxSchema extends Base {
    constructor(resource: object, direction = 'both', basepath?: string, filters?: Filter) {
      super(resource, direction);
      Object.assign(this, definition.coerce(resource, direction, basepath, filters));
    }
  }
  Object.defineProperty(SandboxSchema, 'id', { get: () => definition.id });
  Object.defineProperty(SandboxSchema, 'definition', { get: () => definition });
  return SandboxSchema as unknown as SchemaClass;
}

export const UserSchema = schemaClass(userDefinition);
export const GroupSchema = schemaClass(groupDefinition);

export type ResourceKind = 'User' | 'Group';
export const definitionOf = (kind: ResourceKind) => (kind === 'User' ? userDefinition : groupDefinition);
export const schemaClassOf = (kind: ResourceKind) => (kind === 'User' ? UserSchema : GroupSchema);

/** Runs scimmy code, turning its validation TypeErrors into 400 invalidValue errors. */
export function viaScimmy<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof SandboxScimError || err instanceof Types.Error) throw err;
    if (err instanceof TypeError) throw invalidValue(err.message);
    throw err;
  }
}

/** Validates and coerces a resource body through scimmy; returns plain JSON (no password, no unknown keys). */
export function coerceResource(kind: ResourceKind, body: Record<string, unknown>, direction: 'in' | 'out' | 'both'): Record<string, unknown> {
  const Schema = schemaClassOf(kind);
  return viaScimmy(() => JSON.parse(JSON.stringify(new Schema(body, direction))) as Record<string, unknown>);
}

/** Looks up an attribute (dotted and/or URN-prefixed path, any case) or extension; undefined if not declared. */
export function findAttribute(def: SchemaDefinition, path: string): SchemaNode | undefined {
  try {
    return def.attribute(path) as SchemaNode;
  } catch {
    return undefined;
  }
}

const isAttribute = (node: SchemaNode): node is Attribute => node instanceof Types.Attribute;
const SHADOW_NAMES = new Set(['schemas', 'id', 'externalid', 'meta']);

export interface InspectionReport {
  unknown: string[];
  /** Read-only attributes (mutability readOnly) present with a non-empty value, e.g. groups on a User. */
  readOnly: string[];
}

function childOf(node: SchemaNode, key: string): SchemaNode | undefined {
  if (!isAttribute(node)) return findAttribute(node, key);
  return node.subAttributes?.find((a) => a.name.toLowerCase() === key.toLowerCase());
}

const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0);
const isReadOnly = (a: Attribute) => a.config.mutable === false && a.config.direction === 'out';

/**
 * Walks a resource body (or a PATCH value) against the schema: converts "true"/"false" strings of
 * boolean attributes into booleans and a bare id given for a single complex reference (manager)
 * into {value} (in place), and reports unknown and read-only attributes.
 */
export function inspectValue(node: SchemaNode, value: unknown, path: string, report: InspectionReport): unknown {
  if (isAttribute(node)) {
    if (node.type === 'boolean' && typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    if (node.type === 'boolean' && Array.isArray(value) && node.config.multiValued) return value.map((v) => inspectValue(node, v, path, report));
    if (isReadOnly(node) && !isEmpty(value)) report.readOnly.push(path);
    if (node.type !== 'complex') return value;
    if (Array.isArray(value)) return value.map((v) => inspectValue(node, v, path, report));
    // Entra ID sends a manager reference as a bare id string: read it as {value: id}.
    if (typeof value === 'string' && !node.config.multiValued && node.subAttributes?.some((a) => a.name === 'value')) return { value };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const childPath = path ? `${path}.${key}` : key;
    if (!isAttribute(node) && SHADOW_NAMES.has(key.toLowerCase())) continue;
    const child = childOf(node, key);
    if (!child) {
      report.unknown.push(childPath);
      continue;
    }
    obj[key] = inspectValue(child, obj[key], childPath, report);
  }
  return obj;
}

/** Inspects a POST/PUT body; throws 400 for unknown attributes. Returns the report (read-only findings). */
export function inspectBody(kind: ResourceKind, body: Record<string, unknown>): InspectionReport {
  const report: InspectionReport = { unknown: [], readOnly: [] };
  inspectValue(definitionOf(kind), body, '', report);
  if (report.unknown.length) {
    throw invalidSyntax(`Unknown attribute${report.unknown.length > 1 ? 's' : ''} ${report.unknown.map((a) => `'${a}'`).join(', ')}: not defined by the ${kind} schema (${definitionOf(kind).id}${kind === 'User' ? ` or ${ENTERPRISE_USER_SCHEMA}` : ''})`);
  }
  return report;
}

/** Checks the `schemas` attribute of a resource body: when present, it must name the resource's core schema. */
export function checkSchemas(kind: ResourceKind, body: Record<string, unknown>): void {
  const schemas = body.schemas;
  if (schemas === undefined) return;
  const core = definitionOf(kind).id;
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) throw invalidSyntax(`'schemas' must be an array of schema URNs including '${core}'`);
  if (!schemas.some((s) => s.toLowerCase() === core.toLowerCase())) throw invalidSyntax(`'schemas' is [${schemas.join(', ')}] but a ${kind} must list '${core}'`);
}

/** Schema descriptions served at /Schemas. */
export function describeSchemas(kinds: ResourceKind[], basepath: string): Record<string, unknown>[] {
  const defs: SchemaDefinition[] = [];
  for (const kind of kinds) defs.push(definitionOf(kind));
  if (kinds.includes('User')) defs.push(Schemas.EnterpriseUser.definition);
  return defs.map((d) => {
    const described = JSON.parse(JSON.stringify(d.describe(`${basepath}/Schemas`))) as Record<string, unknown>;
    return described;
  });
}
