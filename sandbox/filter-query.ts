// Filters and attribute projection for list/get requests. Parsing and matching are scimmy's
// (Types.Filter); quoted values go through filter-literals.ts so JSON escapes (`\"`) work. This file
// validates the parsed expression against the schema (unknown attributes, incomplete expressions →
// 400 invalidFilter), folds the case of caseExact=false attributes on both
// sides so `userName eq "ALICE@X"` finds alice@x, and spots `attr eq "v"` terms served from an index.
import { Types } from 'scimmy';
import { definitionOf, findAttribute, type ResourceKind, type SchemaNode } from './scim-schemas';
import { invalidFilter, SandboxScimError } from './scim-error';
import { protectLiterals, restoreLiterals, unprotectMessage } from './filter-literals';

type Attribute = InstanceType<typeof Types.Attribute>;
type Filter = InstanceType<typeof Types.Filter>;
type FilterObject = Record<string, unknown>;

const COMPARATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le', 'pr', 'np']);
const isAttribute = (node: SchemaNode): node is Attribute => node instanceof Types.Attribute;

export interface CompiledFilter {
  /** scimmy filter over case-folded resource views. */
  filter: Filter;
  /** One `attr eq "value"` term per OR branch (value already folded): the candidates are the union of index lookups. */
  indexable?: { attribute: 'id' | 'userName' | 'externalId' | 'displayName'; value: string }[];
}

function child(node: SchemaNode, key: string): SchemaNode | undefined {
  if (!isAttribute(node)) return findAttribute(node, key);
  return node.subAttributes?.find((a) => a.name.toLowerCase() === key.toLowerCase());
}

/** The attribute whose caseExact decides folding: a complex attribute compared directly folds by its `value`. */
function foldTarget(node: SchemaNode): Attribute | undefined {
  if (!isAttribute(node)) return undefined;
  if (node.type === 'complex') return node.subAttributes?.find((a) => a.name === 'value');
  return node;
}

const folds = (attr: Attribute | undefined) => !!attr && attr.type === 'string' && !attr.config.caseExact;

function normaliseExpression(expr: unknown[], node: SchemaNode, path: string, raw: string): unknown[] {
  let parts = expr;
  const negate = typeof parts[0] === 'string' && parts[0].toLowerCase() === 'not';
  if (negate) parts = parts.slice(1);
  const comparator = typeof parts[0] === 'string' ? parts[0].toLowerCase() : '';
  if (!COMPARATORS.has(comparator)) throw invalidFilter(`Invalid filter '${raw}': unknown comparison operator '${String(parts[0])}' for '${path}'`);
  const unary = comparator === 'pr' || comparator === 'np';
  if (unary ? parts.length !== 1 : parts.length !== 2) throw invalidFilter(`Invalid filter '${raw}': incomplete expression for '${path}' (operator '${comparator}' ${unary ? 'takes no value' : 'needs a value'})`);
  let value = parts[1];
  if (typeof value === 'string' && folds(foldTarget(node))) value = value.toLowerCase();
  const out = unary ? [comparator] : [comparator, value];
  return negate ? ['not', ...out] : out;
}

function normaliseObject(obj: FilterObject, node: SchemaNode, prefix: string, raw: string): FilterObject {
  const out: FilterObject = {};
  for (const [key, value] of Object.entries(obj)) {
    let target = out;
    let name = key;
    let attr: SchemaNode | undefined;
    if (!isAttribute(node) && key.toLowerCase().startsWith('urn:')) {
      // scimmy keeps `urn:…:User:attr` flat; nest it under the extension so it matches stored resources.
      const def = node as InstanceType<typeof Types.SchemaDefinition>;
      const extension = def.attributes.find((a) => a instanceof Types.SchemaDefinition && key.toLowerCase().startsWith(a.id.toLowerCase())) as InstanceType<typeof Types.SchemaDefinition> | undefined;
      if (extension && key.length > extension.id.length) {
        const rest = key.slice(extension.id.length + 1).split('.');
        let ext = (out[extension.id] as FilterObject | undefined) ?? {};
        out[extension.id] = ext;
        let parent: SchemaNode = extension;
        while (rest.length > 1) {
          const seg = rest.shift()!;
          const next = child(parent, seg);
          if (!next) throw invalidFilter(`Invalid filter '${raw}': unknown attribute '${key}'`);
          ext = (ext[seg] as FilterObject | undefined) ?? (ext[seg] = {}) as FilterObject;
          parent = next;
        }
        target = ext;
        name = rest[0];
        attr = child(parent, name);
      } else {
        attr = findAttribute(def, key);
      }
    } else {
      attr = child(node, key);
      if (!attr && !isAttribute(node)) {
        // Unqualified extension attribute (Entra: `manager eq "…"`): resolve it in the one extension declaring it.
        const def = node as InstanceType<typeof Types.SchemaDefinition>;
        const owners = (def.attributes as unknown[]).filter((a): a is InstanceType<typeof Types.SchemaDefinition> => a instanceof Types.SchemaDefinition && !!findAttribute(a, key));
        if (owners.length === 1) {
          const ext = (out[owners[0].id] as FilterObject | undefined) ?? {};
          out[owners[0].id] = ext;
          target = ext;
          attr = findAttribute(owners[0], key);
        }
      }
    }
    const path = prefix ? `${prefix}.${key}` : key;
    if (!attr) throw invalidFilter(`Invalid filter '${raw}': unknown attribute '${path}'`);
    const valueSub = isAttribute(attr) && attr.type === 'complex' ? attr.subAttributes?.find((a) => a.name === 'value') : undefined;
    if (Array.isArray(value) && valueSub) {
      // A complex attribute compared directly (`manager eq "id"`, `emails co "x"`) compares its `value`.
      const existing = target[name] as FilterObject | undefined;
      target[name] = { ...(existing ?? {}), ...normaliseObject({ value }, attr, path, raw) };
    } else if (Array.isArray(value)) {
      target[name] = value.every(Array.isArray)
        ? (value as unknown[][]).map((e) => normaliseExpression(e, attr!, path, raw))
        : normaliseExpression(value, attr, path, raw);
    } else if (value && typeof value === 'object') {
      const existing = target[name] as FilterObject | undefined;
      target[name] = { ...(existing ?? {}), ...normaliseObject(value as FilterObject, attr, path, raw) };
    } else {
      throw invalidFilter(`Invalid filter '${raw}': malformed expression for '${path}'`);
    }
  }
  return out;
}

const MAX_FILTER_LENGTH = 10_000;
const MAX_BACKSLASHES = 16;
const MAX_GROUPED_ORS = 12;

/**
 * Refuses filter text that would make scimmy's parser blow up: its string token regex backtracks
 * exponentially on backslashes, and `or` inside groups ANDed together expand into 2^n branches.
 */
export function guardFilterText(text: string, what: string): void {
  if (text.length > MAX_FILTER_LENGTH) throw invalidFilter(`${what} is too long (${text.length} characters, at most ${MAX_FILTER_LENGTH})`);
  const backslashes = text.split('\\').length - 1;
  if (backslashes > MAX_BACKSLASHES) throw invalidFilter(`${what} has ${backslashes} backslashes; at most ${MAX_BACKSLASHES} are accepted`);
  const ors = (text.match(/\bor\b/gi) ?? []).length;
  if (ors > MAX_GROUPED_ORS && /[([]/.test(text)) throw invalidFilter(`${what} is too complex: at most ${MAX_GROUPED_ORS} 'or' operators when grouping with () or []`);
}

function parse(expression: string): FilterObject[] {
  const what = `Filter '${expression.length > 200 ? `${expression.slice(0, 200)}…` : expression}'`;
  if (expression.length > MAX_FILTER_LENGTH) guardFilterText(expression, what);
  // Quoted values (with JSON escapes such as \") become placeholders scimmy can tokenise; the guard then
  // looks only at the filter's structure, so backslashes inside values are harmless.
  const { text, literals } = protectLiterals(expression);
  guardFilterText(text, what);
  try {
    return restoreLiterals([...new Types.Filter(text)] as FilterObject[], literals);
  } catch (err) {
    throw invalidFilter(`Invalid filter '${expression}': ${unprotectMessage(err instanceof Error ? err.message : String(err), literals)}`);
  }
}

type IndexedAttribute = NonNullable<CompiledFilter['indexable']>[number]['attribute'];
const INDEXED: Record<ResourceKind, IndexedAttribute[]> = {
  User: ['id', 'userName', 'externalId'],
  Group: ['id', 'displayName', 'externalId'],
};

function indexTerm(object: FilterObject, kind: ResourceKind): NonNullable<CompiledFilter['indexable']>[number] | undefined {
  for (const attribute of INDEXED[kind]) {
    const key = Object.keys(object).find((k) => k.toLowerCase() === attribute.toLowerCase());
    const expr = key ? object[key] : undefined;
    if (Array.isArray(expr) && expr.length === 2 && expr[0] === 'eq' && typeof expr[1] === 'string') return { attribute, value: expr[1] };
  }
  return undefined;
}

function findIndexable(objects: FilterObject[], kind: ResourceKind): CompiledFilter['indexable'] {
  const terms = objects.map((o) => indexTerm(o, kind));
  return terms.every((t) => t !== undefined) ? (terms as NonNullable<CompiledFilter['indexable']>) : undefined;
}

/** Parses and validates a filter for a resource type; throws 400 invalidFilter with a detail naming the problem. */
export function compileFilter(kind: ResourceKind, expression: string): CompiledFilter {
  if (!expression.trim()) throw invalidFilter('Invalid filter: the filter parameter is empty');
  const def = definitionOf(kind);
  const objects = parse(expression).map((o) => normaliseObject(o, def, '', expression));
  try {
    return { filter: new Types.Filter(objects), indexable: findIndexable(objects, kind) };
  } catch (err) {
    if (err instanceof SandboxScimError) throw err;
    throw invalidFilter(`Invalid filter '${expression}': ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** True when the (case-folded) resource view matches. scimmy throws on some missing complex values: that is "no match". */
export function matches(compiled: CompiledFilter, folded: object): boolean {
  try {
    return compiled.filter.match([folded]).length > 0;
  } catch {
    return false;
  }
}

/** A copy of a resource with every caseExact=false string lower-cased, for filter matching. */
export function foldCase(node: SchemaNode, value: unknown): unknown {
  if (isAttribute(node)) {
    if (node.type === 'string' && !node.config.caseExact && typeof value === 'string') return value.toLowerCase();
    if (Array.isArray(value)) return value.map((v) => foldCase(node, v));
    if (node.type !== 'complex') return value;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const c = child(node, key);
    out[key] = c ? foldCase(c, v) : v;
  }
  return out;
}

/** Builds scimmy's attribute filter from `attributes` / `excludedAttributes` (attributes wins, as in RFC 7644). */
export function projectionFilter(attributes?: string, excludedAttributes?: string): Filter | undefined {
  const list = (s: string) => s.split(',').map((a) => a.trim()).filter(Boolean);
  for (const text of [attributes, excludedAttributes]) if (text !== undefined) guardFilterText(text, 'attributes list');
  try {
    if (attributes !== undefined && list(attributes).length) return new Types.Filter(list(attributes).map((a) => `${a} pr`).join(' and '));
    if (excludedAttributes !== undefined && list(excludedAttributes).length) return new Types.Filter(list(excludedAttributes).map((a) => `${a} np`).join(' and '));
  } catch (err) {
    throw invalidFilter(`Invalid attributes list '${attributes ?? excludedAttributes}': ${err instanceof Error ? err.message : String(err)}`);
  }
  return undefined;
}

/** Applies an attribute projection to a full resource through scimmy (id and schemas are always returned). */
export function project(kind: ResourceKind, resource: Record<string, unknown>, filter: Filter): Record<string, unknown> {
  const def = definitionOf(kind);
  const out = JSON.parse(JSON.stringify(def.coerce(resource, 'out', undefined, filter))) as Record<string, unknown>;
  return { schemas: resource.schemas, ...out, id: resource.id };
}
