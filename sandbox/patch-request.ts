// PATCH requests (RFC 7644 §3.5.2): reads a PatchOp body tolerantly (op in any case, "True"/"False"
// strings for booleans, empty Operations = no-op, missing schemas), refuses read-only targets, and
// applies the operations with scimmy's Messages.PatchOp. A value-path filter whose quoted value holds an
// escape (`\"`), `)` or `]` — which scimmy would match as written — is resolved here instead.
import { Messages, Types } from 'scimmy';
import { definitionOf, findAttribute, inspectValue, PATCH_OP_SCHEMA, schemaClassOf, viaScimmy, type InspectionReport, type ResourceKind } from './scim-schemas';
import { guardFilterText } from './filter-query';
import { protectLiterals, restoreLiterals } from './filter-literals';
import { badRequest, invalidSyntax, invalidValue, mutability, SandboxScimError } from './scim-error';

export interface PatchOperation { op: 'add' | 'remove' | 'replace'; path?: string; value?: unknown }

const OPS = new Set(['add', 'remove', 'replace']);
/** Strips value filters from a path: `emails[type eq "work"].value` → `emails.value` (a `]` inside a quoted value too). */
export const attributePath = (path: string) => {
  let text = path;
  try {
    if (path.includes('"')) text = protectLiterals(path).text;
  } catch {
    /* unclosed quote: strip as written; readPatchRequest reports it */
  }
  return text.replace(/\[[^\]]*\]/g, '');
};
const CORE_PREFIX = /^urn:ietf:params:scim:schemas:core:2\.0:(User|Group):/i;

/** Validates a PatchOp body and returns normalised operations (lower-case op, booleans coerced). */
export function readPatchRequest(kind: ResourceKind, body: unknown): PatchOperation[] {
  if (body === undefined) throw invalidSyntax('PATCH needs a PatchOp request body');
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalidSyntax('PATCH body must be a JSON object (a PatchOp message)');
  const msg = body as Record<string, unknown>;
  if (msg.schemas !== undefined && (!Array.isArray(msg.schemas) || !msg.schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase()))) {
    throw invalidSyntax(`PATCH body 'schemas' must be ["${PATCH_OP_SCHEMA}"]`);
  }
  const opsKey = Object.keys(msg).find((k) => k.toLowerCase() === 'operations');
  const raw = opsKey ? msg[opsKey] : undefined;
  if (!Array.isArray(raw)) throw invalidValue(`PATCH body needs an 'Operations' array`);
  const def = definitionOf(kind);
  return raw.map((item, i) => {
    const n = i + 1;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw invalidValue(`PATCH operation ${n} must be an object with 'op', 'path' and 'value'`);
    const o = item as Record<string, unknown>;
    const key = (name: string) => Object.keys(o).find((k) => k.toLowerCase() === name);
    const op = o[key('op') ?? 'op'];
    const path = o[key('path') ?? 'path'];
    let value = o[key('value') ?? 'value'];
    if (typeof op !== 'string' || !OPS.has(op.toLowerCase())) throw invalidSyntax(`PATCH operation ${n}: 'op' must be add, replace or remove (any case), got ${JSON.stringify(op)}`);
    if (path !== undefined && (typeof path !== 'string' || !path.trim())) throw badRequest('invalidPath', `PATCH operation ${n}: 'path' must be a non-empty string`);
    const lowerOp = op.toLowerCase() as PatchOperation['op'];
    if (lowerOp === 'remove' && path === undefined) throw badRequest('noTarget', `PATCH operation ${n}: 'remove' needs a 'path'`);
    if (lowerOp !== 'remove' && value === undefined) throw invalidValue(`PATCH operation ${n}: '${lowerOp}' needs a 'value'`);
    const report: InspectionReport = { unknown: [], readOnly: [] };
    const cleanPath = typeof path === 'string' ? path.trim().replace(CORE_PREFIX, '') : undefined;
    if (cleanPath !== undefined) {
      try {
        guardFilterText(cleanPath, `PATCH operation ${n}: path`);
      } catch (err) {
        throw badRequest('invalidPath', (err as SandboxScimError).detail);
      }
      checkPathLiterals(cleanPath, n);
    }
    if (cleanPath !== undefined) {
      const node = findAttribute(def, attributePath(cleanPath));
      if (!node) throw badRequest('invalidPath', `PATCH operation ${n}: unknown attribute path '${path}' for a ${kind}`);
      if (node instanceof Types.Attribute && node.config.mutable === false && node.config.direction === 'out') report.readOnly.push(cleanPath);
      if (value !== undefined) value = inspectValue(node, value, cleanPath, report);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const stripped: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) stripped[k.replace(CORE_PREFIX, '')] = v;
      value = inspectValue(def, stripped, '', report);
    } else if (lowerOp !== 'remove') {
      throw invalidValue(`PATCH operation ${n}: without 'path', 'value' must be an object of attributes`);
    }
    if (report.unknown.length) throw badRequest('invalidPath', `PATCH operation ${n}: unknown attribute ${report.unknown.map((a) => `'${a}'`).join(', ')} for a ${kind}`);
    if (report.readOnly.length) throw mutability(`PATCH operation ${n}: attribute '${report.readOnly[0]}' is read-only${report.readOnly[0].toLowerCase().startsWith('groups') ? '; change memberships through /Groups' : ''}`);
    return { op: lowerOp, ...(cleanPath !== undefined ? { path: cleanPath } : {}), ...(value !== undefined ? { value } : {}) };
  });
}

/** A quoted value in a PATCH path must be a valid JSON string (`\"`, `\\`, `\uXXXX` …): 400 invalidPath otherwise. */
function checkPathLiterals(path: string, n: number): void {
  if (!path.includes('"')) return;
  try {
    protectLiterals(path);
  } catch (err) {
    throw badRequest('invalidPath', `PATCH operation ${n}: ${(err as SandboxScimError).detail.replace(/^Invalid filter/, 'invalid value filter in path')}`);
  }
}

/** True when a path's value filter has a quoted value scimmy cannot match as written (an escape, `)` or `]`). */
const hasEscapedLiteral = (op: PatchOperation): boolean => {
  if (op.path === undefined || !op.path.includes('"') || op.path.length > 1000) return false;
  try {
    return protectLiterals(op.path).raw.some((r) => /[\\)\]]/.test(r));
  } catch {
    return false;
  }
};

const PROTECTED_VALUE_PATH = /^([A-Za-z][\w$-]*)\[([^\]]+)\](?:\.([A-Za-z][\w$-]*))?$/;

/**
 * An operation on `attr[filter]` or `attr[filter].sub` whose filter holds escaped values, rewritten as a
 * replace of the whole `attr` (or a remove of it, when nothing is left): the filter is parsed with the
 * values protected, matched against the current elements, and the matching ones are changed here.
 */
function resolveEscapedValuePath(resource: Record<string, unknown>, op: PatchOperation, n: number): PatchOperation | undefined {
  const { text, literals } = protectLiterals(op.path!);
  const m = PROTECTED_VALUE_PATH.exec(text);
  if (!m) throw badRequest('invalidPath', `PATCH operation ${n}: path '${op.path}': a quoted value with an escape, ')' or ']' is supported in a value filter of the form attr[filter] or attr[filter].sub`);
  const [, attr, filterText, sub] = m;
  let filter: InstanceType<typeof Types.Filter>;
  try {
    filter = new Types.Filter(restoreLiterals([...new Types.Filter(filterText)], literals));
  } catch (err) {
    throw badRequest('invalidPath', `PATCH operation ${n}: path '${op.path}': invalid value filter (${err instanceof Error ? err.message : String(err)})`);
  }
  const key = Object.keys(resource).find((k) => k.toLowerCase() === attr.toLowerCase()) ?? attr;
  const elements = Array.isArray(resource[key]) ? (resource[key] as Record<string, unknown>[]) : [];
  const matched = new Set(filter.match(elements));
  if (op.op === 'remove') {
    if (matched.size === 0) return undefined;
    const left = sub
      ? elements.map((e) => (matched.has(e) ? Object.fromEntries(Object.entries(e).filter(([k]) => k.toLowerCase() !== sub.toLowerCase())) : e))
      : elements.filter((e) => !matched.has(e));
    return left.length ? { op: 'replace', path: attr, value: left } : { op: 'remove', path: attr };
  }
  if (matched.size === 0) {
    // As for unescaped paths: a single `sub eq "v"` that matches nothing adds the element.
    const terms = filter.length === 1 ? Object.entries(filter[0] as Record<string, unknown>) : [];
    const [k, expr] = terms.length === 1 ? terms[0] : [];
    if (!sub || !k || !Array.isArray(expr) || expr[0] !== 'eq' || typeof expr[1] !== 'string') {
      throw badRequest('noTarget', `PATCH operation ${n}: path '${op.path}' matches no element of ${attr}`);
    }
    return { op: 'add', path: attr, value: [{ [k]: expr[1], [sub]: op.value }] };
  }
  const changed = elements.map((e) => {
    if (!matched.has(e)) return e;
    if (sub) return { ...e, [sub]: op.value };
    return { ...e, ...(op.value as Record<string, unknown>) };
  });
  return { op: 'replace', path: attr, value: changed };
}

const VALUE_PATH = /^([A-Za-z][\w$-]*)\[(.+)\]\.([A-Za-z][\w$-]*)$/;

/**
 * Entra ID sets e.g. `emails[type eq "work"].value` with add/replace even when the user has no work
 * email yet. When the (scimmy-parsed) filter is a single `sub eq "v"` and matches no element, the
 * operation becomes an add of the element `{sub: "v", <attr>: value}`; everything else is left to scimmy.
 */
const isValuePath = (op: PatchOperation) =>
  hasEscapedLiteral(op) || (op.op !== 'remove' && op.path !== undefined && op.path.length <= 1000 && VALUE_PATH.test(op.path));

function createMissingValuePathTarget(resource: Record<string, unknown>, op: PatchOperation): PatchOperation {
  if (op.op === 'remove' || op.path === undefined) return op;
  const m = op.path.length <= 1000 ? VALUE_PATH.exec(op.path) : null;
  if (!m) return op;
  const [, attr, filterText, sub] = m;
  let filter: InstanceType<typeof Types.Filter>;
  try {
    filter = new Types.Filter(filterText);
  } catch {
    return op;
  }
  const terms = filter.length === 1 ? Object.entries(filter[0] as Record<string, unknown>) : [];
  const [key, expr] = terms.length === 1 ? terms[0] : [];
  if (!key || !Array.isArray(expr) || expr.length !== 2 || expr[0] !== 'eq' || typeof expr[1] !== 'string') return op;
  const current = Object.entries(resource).find(([k]) => k.toLowerCase() === attr.toLowerCase())?.[1];
  if (Array.isArray(current) && filter.match(current).length) return op;
  return { op: 'add', path: attr, value: [{ [key]: expr[1], [sub]: op.value }] };
}

/**
 * Applies operations to a resource (plain SCIM JSON with id) through scimmy's PatchOp.
 * Returns the patched JSON, or undefined when nothing changed.
 */
export async function applyPatch(kind: ResourceKind, resource: Record<string, unknown>, operations: PatchOperation[]): Promise<Record<string, unknown> | undefined> {
  const Schema = schemaClassOf(kind);
  let current = resource;
  let changed = false;
  // Consecutive plain operations go to scimmy as one PatchOp; an operation on a value path
  // (`emails[type eq "work"].value`) goes alone, so it is checked against the result of the ones before it.
  let i = 0;
  while (i < operations.length) {
    let end = i + 1;
    if (!isValuePath(operations[i])) while (end < operations.length && !isValuePath(operations[end])) end++;
    try {
      const single = operations[i];
      const resolved = end - i > 1 || !hasEscapedLiteral(single) ? single : resolveEscapedValuePath(current, single, i + 1);
      if (resolved === undefined) {
        i = end; // a remove whose filter matches nothing changes nothing
        continue;
      }
      const batch = end - i > 1 ? operations.slice(i, end) : [resolved === single ? createMissingValuePathTarget(current, single) : resolved];
      const instance = viaScimmy(() => new Schema(current));
      const message = viaScimmy(() => new Messages.PatchOp({ schemas: [PATCH_OP_SCHEMA], Operations: batch }));
      const patched = await message.apply(instance as InstanceType<typeof Types.Schema>);
      if (patched) {
        current = JSON.parse(JSON.stringify(patched)) as Record<string, unknown>;
        changed = true;
      }
    } catch (err) {
      const offset = i;
      const renumber = (m: string) => m.replace(/operation (\d+)/g, (_, n: string) => `operation ${Number(n) + offset}`);
      if (err instanceof Types.Error) throw new Types.Error(Number(err.status) || 400, err.scimType, renumber(err.message));
      if (err instanceof SandboxScimError) throw err;
      if (err instanceof TypeError) throw invalidValue(`PATCH operation ${i + 1}: ${err.message}`);
      throw err;
    }
    i = end;
  }
  return changed ? current : undefined;
}
