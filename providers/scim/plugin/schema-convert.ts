// Provider schemas (provider-definition.ts) → tfplugin6 Schema messages, and the sanity checks that
// catch a malformed schema with a clear message before Terraform sees it.
import type { AttributeSchema, BlockSchema, NestedAttributes, Schema } from './provider-definition';
import type { Message } from './protocol/grpc-services';
import { invalidSchema, type PluginError } from './errors';
import { typeToJson } from './values/tf-types';

const NESTING = { single: 'SINGLE', list: 'LIST', set: 'SET', map: 'MAP', group: 'GROUP' } as const;

export function schemaToProto(schema: Schema): Message {
  return { version: schema.version, block: blockToProto(schema.block) };
}

function blockToProto(block: BlockSchema): Message {
  return {
    attributes: Object.keys(block.attributes)
      .sort()
      .map((name) => attributeToProto(name, block.attributes[name])),
    block_types: Object.keys(block.blocks ?? {})
      .sort()
      .map((name) => {
        const b = block.blocks![name];
        return {
          type_name: name,
          block: blockToProto(b.block),
          nesting: NESTING[b.nesting],
          min_items: b.minItems ?? 0,
          max_items: b.maxItems ?? 0,
        };
      }),
    description: block.description ?? '',
    description_kind: 'MARKDOWN',
    deprecated: !!block.deprecated,
  };
}

function attributeToProto(name: string, a: AttributeSchema): Message {
  return {
    name,
    type: a.type !== undefined ? Buffer.from(JSON.stringify(typeToJson(a.type))) : Buffer.alloc(0),
    nested_type: a.nested ? nestedToProto(a.nested) : null,
    description: a.description ?? '',
    description_kind: 'MARKDOWN',
    required: !!a.required,
    optional: !!a.optional,
    computed: !!a.computed,
    sensitive: !!a.sensitive,
    deprecated: !!a.deprecated,
  };
}

function nestedToProto(n: NestedAttributes): Message {
  return {
    attributes: Object.keys(n.attributes)
      .sort()
      .map((name) => attributeToProto(name, n.attributes[name])),
    nesting: NESTING[n.nesting],
  };
}

const NAME = /^[a-z_][a-z0-9_]*$/;

/** Problems that would make Terraform reject or misread the schema; empty when it is sound. */
export function checkSchema(where: string, schema: Schema): PluginError[] {
  const problems: PluginError[] = [];
  if (!schema || !schema.block) return [invalidSchema(where, 'The schema has no block.')];
  checkBlock(where, schema.block, problems);
  return problems;
}

function checkBlock(where: string, block: BlockSchema, out: PluginError[]): void {
  for (const [name, a] of Object.entries(block.attributes ?? {})) checkAttribute(`${where}.${name}`, name, a, out);
  for (const [name, b] of Object.entries(block.blocks ?? {})) {
    if (!NAME.test(name)) out.push(invalidSchema(`${where}.${name}`, 'Block names use lower case letters, digits and underscores.'));
    if (name in (block.attributes ?? {})) out.push(invalidSchema(`${where}.${name}`, 'A block has the name of an attribute.'));
    checkBlock(`${where}.${name}`, b.block, out);
  }
}

function checkAttribute(where: string, name: string, a: AttributeSchema, out: PluginError[]): void {
  if (!NAME.test(name)) out.push(invalidSchema(where, 'Attribute names use lower case letters, digits and underscores.'));
  if ((a.type === undefined) === (a.nested === undefined)) out.push(invalidSchema(where, 'Set exactly one of `type` and `nested`.'));
  if (!a.description || !a.description.trim()) out.push(invalidSchema(where, 'Every attribute needs a description (the docs are generated from it).'));
  if (a.required && (a.optional || a.computed)) out.push(invalidSchema(where, 'A required attribute cannot also be optional or computed.'));
  if (!a.required && !a.optional && !a.computed) out.push(invalidSchema(where, 'Mark the attribute required, optional or computed.'));
  if (a.nested) {
    for (const [n, inner] of Object.entries(a.nested.attributes)) checkAttribute(`${where}.${n}`, n, inner, out);
  }
}
