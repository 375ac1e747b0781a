// Provider schemas → tfplugin6 Schema messages (as Terraform decodes them), and schema sanity checks.
import { loadProtocolRoot } from '../../providers/scim/plugin/protocol/protocol-root';
import { checkSchema, schemaToProto } from '../../providers/scim/plugin/schema-convert';
import { thingSchema } from './fixtures/testkit-provider';

const SchemaType = loadProtocolRoot().lookupType('tfplugin6.Schema');

/** Encodes through protobuf and back, as Terraform would receive it. */
function overTheWire(message: object): any {
  const bytes = SchemaType.encode(SchemaType.fromObject(message)).finish();
  return SchemaType.toObject(SchemaType.decode(bytes), { enums: String, longs: Number, defaults: true });
}

describe('schemaToProto', () => {
  const wire = overTheWire(schemaToProto(thingSchema));
  const attr = (name: string) => wire.block.attributes.find((a: any) => a.name === name);

  test('carries the version, markdown descriptions and sorted attributes', () => {
    expect(wire.version).toBe(1);
    expect(wire.block.description).toBe('A thing kept in the testkit store.');
    expect(wire.block.description_kind).toBe('MARKDOWN');
    const names = wire.block.attributes.map((a: any) => a.name);
    expect(names).toEqual([...names].sort());
    for (const a of wire.block.attributes) expect(a.description.length).toBeGreaterThan(0);
  });

  test('types are cty type JSON; flags as declared; sensitive attributes are marked', () => {
    expect(Buffer.from(attr('tags').type).toString()).toBe('["set","string"]');
    expect(Buffer.from(attr('labels').type).toString()).toBe('["map","string"]');
    expect(attr('name')).toMatchObject({ required: true, optional: false, computed: false });
    expect(attr('mode')).toMatchObject({ optional: true, computed: true });
    expect(attr('secret').sensitive).toBe(true);
    expect(attr('name').sensitive).toBe(false);
  });

  test('nested attributes keep their nesting mode and have no type bytes', () => {
    expect(attr('spec').type.length).toBe(0);
    expect(attr('spec').nested_type.nesting).toBe('SINGLE');
    expect(attr('ports').nested_type.nesting).toBe('SET');
    const shade = attr('spec').nested_type.attributes.find((a: any) => a.name === 'shade');
    expect(shade).toMatchObject({ computed: true, optional: false });
  });

  test('nested blocks are block_types', () => {
    const withBlock = overTheWire(
      schemaToProto({
        version: 0,
        block: {
          description: 'b',
          attributes: {},
          blocks: { timeouts: { nesting: 'list', maxItems: 1, block: { description: 't', attributes: { create: { type: 'string', optional: true, description: 'c' } } } } },
        },
      }),
    );
    expect(withBlock.block.block_types[0]).toMatchObject({ type_name: 'timeouts', nesting: 'LIST', max_items: 1 });
  });
});

describe('checkSchema', () => {
  test('accepts a sound schema', () => {
    expect(checkSchema('resource testkit_thing', thingSchema)).toEqual([]);
  });

  test('names each problem and where it is', () => {
    const problems = checkSchema('resource bad', {
      version: 0,
      block: {
        description: 'bad',
        attributes: {
          both: { type: 'string', required: true, computed: true, description: 'x' },
          none: { type: 'string', description: 'y' },
          nodoc: { type: 'string', optional: true, description: '' },
          Upper: { type: 'string', optional: true, description: 'z' },
          neither: { optional: true, description: 'n' },
        },
      },
    });
    const text = problems.map((p) => `${p.summary}: ${p.detail}`);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/resource bad\.both: A required attribute cannot also be optional or computed/),
        expect.stringMatching(/resource bad\.none: Mark the attribute required, optional or computed/),
        expect.stringMatching(/resource bad\.nodoc: Every attribute needs a description/),
        expect.stringMatching(/resource bad\.Upper: Attribute names use lower case/),
        expect.stringMatching(/resource bad\.neither: Set exactly one of `type` and `nested`/),
      ]),
    );
    expect(problems.every((p) => p.code === 'PLUGIN_INVALID_SCHEMA')).toBe(true);
  });
});
