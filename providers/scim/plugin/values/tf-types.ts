// Terraform (cty) types: their JSON wire form, and the value type implied by a schema block, attribute
// or nested attribute. Tuples only appear inside dynamic values, so they live here and not in TfType.
import type { AttributeSchema, BlockSchema, NestedAttributes, NestedBlockSchema, TfType } from '../provider-definition';

export type CtyType =
  | 'string'
  | 'number'
  | 'bool'
  | 'dynamic'
  | { list: CtyType }
  | { set: CtyType }
  | { map: CtyType }
  | { object: Record<string, CtyType>; optional?: string[] }
  | { tuple: CtyType[] };

export type TypeJson = string | [string, unknown] | [string, unknown, unknown];

export function typeToJson(t: CtyType): unknown {
  if (typeof t === 'string') return t;
  if ('list' in t) return ['list', typeToJson(t.list)];
  if ('set' in t) return ['set', typeToJson(t.set)];
  if ('map' in t) return ['map', typeToJson(t.map)];
  if ('tuple' in t) return ['tuple', t.tuple.map(typeToJson)];
  const attrs: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(t.object)) attrs[k] = typeToJson(v);
  return t.optional && t.optional.length ? ['object', attrs, t.optional] : ['object', attrs];
}

export function typeFromJson(j: unknown): CtyType {
  if (j === 'string' || j === 'number' || j === 'bool' || j === 'dynamic') return j;
  if (Array.isArray(j)) {
    const [kind, arg, opt] = j as [unknown, unknown, unknown];
    switch (kind) {
      case 'list':
        return { list: typeFromJson(arg) };
      case 'set':
        return { set: typeFromJson(arg) };
      case 'map':
        return { map: typeFromJson(arg) };
      case 'tuple':
        if (Array.isArray(arg)) return { tuple: arg.map(typeFromJson) };
        break;
      case 'object':
        if (arg && typeof arg === 'object' && !Array.isArray(arg)) {
          const object: Record<string, CtyType> = {};
          for (const [k, v] of Object.entries(arg)) object[k] = typeFromJson(v);
          return Array.isArray(opt) ? { object, optional: opt as string[] } : { object };
        }
        break;
    }
  }
  throw new Error(`unrecognised Terraform type ${JSON.stringify(j)}`);
}

export const typeName = (t: CtyType): string => JSON.stringify(typeToJson(t));

/** A nested attribute's or block's value: the object itself, or a list, set or map of it. */
function nestedType(nesting: NestedBlockSchema['nesting'], object: CtyType): CtyType {
  switch (nesting) {
    case 'single':
    case 'group':
      return object;
    case 'list':
      return { list: object };
    case 'set':
      return { set: object };
    case 'map':
      return { map: object };
  }
}

export function nestedAttributesType(n: NestedAttributes): CtyType {
  return nestedType(n.nesting, { object: attributeTypes(n.attributes) });
}

export function attributeType(a: AttributeSchema): CtyType {
  if (a.nested) return nestedAttributesType(a.nested);
  return (a.type ?? 'dynamic') as TfType;
}

function attributeTypes(attrs: Record<string, AttributeSchema>): Record<string, CtyType> {
  const out: Record<string, CtyType> = {};
  for (const [k, a] of Object.entries(attrs)) out[k] = attributeType(a);
  return out;
}

export function nestedBlockType(b: NestedBlockSchema): CtyType {
  return nestedType(b.nesting, blockType(b.block));
}

/** The object type of values described by a block: its attributes plus its nested blocks. */
export function blockType(block: BlockSchema): { object: Record<string, CtyType> } {
  const object = attributeTypes(block.attributes);
  for (const [k, b] of Object.entries(block.blocks ?? {})) object[k] = nestedBlockType(b);
  return { object };
}
