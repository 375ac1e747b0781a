// Values on the wire: msgpack as Terraform writes it (unknowns as extension 0, refined unknowns as
// extension 12, sets as arrays, dynamic values as [type JSON, value]) and stored JSON states.
import { encode, decode, ExtData } from '@msgpack/msgpack';
import { Unknown, isUnknown, type Schema } from '../../providers/scim/plugin/provider-definition';
import { decodeJsonState, decodeMsgpack, encodeMsgpack, findUnknown } from '../../providers/scim/plugin/values/value-codec';
import { blockType, typeFromJson, typeToJson, type CtyType } from '../../providers/scim/plugin/values/tf-types';
import { PluginError } from '../../providers/scim/plugin/errors';

const userSchema: Schema = {
  version: 0,
  block: {
    description: 'user',
    attributes: {
      id: { type: 'string', computed: true, description: 'id' },
      user_name: { type: 'string', required: true, description: 'userName' },
      active: { type: 'bool', optional: true, computed: true, description: 'active' },
      size: { type: 'number', optional: true, description: 'n' },
      roles: { type: { set: 'string' }, optional: true, description: 'roles' },
      headers: { type: { map: 'string' }, optional: true, description: 'headers' },
      extra: { type: 'dynamic', optional: true, description: 'anything' },
      name: {
        optional: true,
        description: 'name',
        nested: {
          nesting: 'single',
          attributes: {
            given_name: { type: 'string', optional: true, description: 'given' },
            family_name: { type: 'string', optional: true, description: 'family' },
          },
        },
      },
      emails: {
        optional: true,
        description: 'emails',
        nested: {
          nesting: 'set',
          attributes: {
            value: { type: 'string', required: true, description: 'value' },
            primary: { type: 'bool', optional: true, description: 'primary' },
          },
        },
      },
    },
    blocks: {
      timeouts: { nesting: 'single', block: { description: 't', attributes: { create: { type: 'string', optional: true, description: 'c' } } } },
    },
  },
};
const type = blockType(userSchema.block);

describe('schema types', () => {
  test('a block implies an object type with nested attributes and blocks', () => {
    expect(typeToJson(type)).toEqual([
      'object',
      {
        id: 'string',
        user_name: 'string',
        active: 'bool',
        size: 'number',
        roles: ['set', 'string'],
        headers: ['map', 'string'],
        extra: 'dynamic',
        name: ['object', { given_name: 'string', family_name: 'string' }],
        emails: ['set', ['object', { value: 'string', primary: 'bool' }]],
        timeouts: ['object', { create: 'string' }],
      },
    ]);
  });

  test('type JSON round-trips, including tuples and optional object attributes', () => {
    const j = ['object', { a: ['tuple', ['string', ['list', 'number']]], b: 'dynamic' }, ['b']];
    expect(typeToJson(typeFromJson(j))).toEqual(j);
    expect(() => typeFromJson(['bogus', 'string'])).toThrow(/unrecognised Terraform type/);
  });
});

describe('msgpack values', () => {
  test('decodes what Terraform sends: unknowns (ext 0), refined unknowns (ext 12), sets, maps, nested', () => {
    const wire = encode({
      id: new ExtData(0, Uint8Array.of(0)),
      user_name: 'alice',
      active: true,
      size: 2.5,
      roles: ['admin', 'dev'],
      headers: { 'X-Tenant': 'acme' },
      extra: null,
      name: { given_name: 'Alice', family_name: new ExtData(12, encode({ 1: false })) },
      emails: [{ value: 'a@example.com', primary: true }],
      timeouts: null,
    });
    const v = decodeMsgpack(wire, type) as Record<string, any>;
    expect(isUnknown(v.id)).toBe(true);
    expect(v.user_name).toBe('alice');
    expect(v.roles).toEqual(['admin', 'dev']);
    expect(v.headers).toEqual({ 'X-Tenant': 'acme' });
    expect(v.name.given_name).toBe('Alice');
    expect(v.name.family_name).toBe(Unknown);
    expect(v.emails).toEqual([{ value: 'a@example.com', primary: true }]);
  });

  test('a whole unknown object and numbers sent as decimal strings', () => {
    expect(decodeMsgpack(encode(new ExtData(0, Uint8Array.of(0))), type)).toBe(Unknown);
    expect(decodeMsgpack(encode('12345678901234567890'), 'number')).toBe(12345678901234567890);
  });

  test('encodes unknowns exactly as cty does (fixext1 type 0) and fills absent attributes with null', () => {
    const bytes = encodeMsgpack({ user_name: 'bob', id: Unknown }, type);
    const raw = decode(bytes) as Record<string, unknown>;
    expect(Object.keys(raw).sort()).toEqual(Object.keys((type as { object: object }).object).sort());
    expect(raw.id).toEqual(new ExtData(0, Uint8Array.of(0)));
    expect(raw.size).toBeNull();
    expect(Buffer.from(encodeMsgpack({ a: Unknown }, { object: { a: 'string' } })).toString('hex')).toBe('81a161d40000');
  });

  test('round-trips every kind of value', () => {
    const value = {
      id: 'u1',
      user_name: 'carol',
      active: false,
      size: 3,
      roles: ['a'],
      headers: {},
      extra: { list: [1, 'two', true], nested: { x: null } },
      name: null,
      emails: [{ value: 'c@example.com', primary: null }],
      timeouts: { create: '5m' },
    };
    expect(decodeMsgpack(encodeMsgpack(value, type), type)).toEqual(value);
  });

  test('dynamic values carry their inferred type', () => {
    const raw = decode(encodeMsgpack({ x: 1 }, 'dynamic')) as [Uint8Array, unknown];
    expect(JSON.parse(Buffer.from(raw[0]).toString())).toEqual(['object', { x: 'number' }]);
    expect(raw[1]).toEqual({ x: 1 });
  });

  test('values that do not match the schema are errors naming the attribute path', () => {
    const attempt = (v: unknown) => {
      try {
        encodeMsgpack(v as never, type);
      } catch (e) {
        return e as PluginError;
      }
      throw new Error('expected an error');
    };
    const e1 = attempt({ user_name: 42 });
    expect(e1.code).toBe('PLUGIN_BAD_VALUE');
    expect(e1.path).toEqual(['user_name']);
    expect(e1.summary).toBe('Invalid value for user_name');
    const e2 = attempt({ user_name: 'x', emails: [{ value: 'ok' }, { value: 7 }] });
    expect(e2.path).toEqual(['emails', 1, 'value']);
    const e3 = attempt({ user_name: 'x', headers: { a: true } });
    expect(e3.path).toEqual(['headers', { key: 'a' }]);
    const e4 = attempt({ user_name: 'x', nickname: 'y' });
    expect(e4.summary).toBe('Unsupported attribute nickname');
  });

  test('findUnknown reports the first unknown with map keys and list indexes', () => {
    expect(findUnknown({ user_name: 'a', headers: { k: Unknown } }, type)).toEqual(['headers', { key: 'k' }]);
    expect(findUnknown({ emails: [{ value: 'a' }, { value: Unknown }] }, type)).toEqual(['emails', 1, 'value']);
    expect(findUnknown({ user_name: 'a' }, type)).toBeUndefined();
  });
});

describe('stored JSON states', () => {
  test('decodes against the current schema, dropping removed attributes and converting primitives', () => {
    const dropped: string[] = [];
    const v = decodeJsonState(
      { id: 'u1', user_name: 'dave', active: 'true', size: '4', legacy: 'x', extra: { value: [1, 'a'], type: ['tuple', ['number', 'string']] } },
      type,
      dropped,
    ) as Record<string, unknown>;
    expect(v).toMatchObject({ id: 'u1', user_name: 'dave', active: true, size: 4, roles: null, name: null, extra: [1, 'a'] });
    expect(dropped).toEqual(['legacy']);
  });

  test('a value of the wrong shape names its path', () => {
    expect(() => decodeJsonState({ roles: 'admin' }, type)).toThrow('Invalid value for roles');
  });
});

describe('types used by tuples inside dynamic values', () => {
  test('decodes a dynamic tuple', () => {
    const t: CtyType = 'dynamic';
    const wire = encode([Buffer.from(JSON.stringify(['tuple', ['string', 'bool']])), ['a', true]]);
    expect(decodeMsgpack(wire, t)).toEqual(['a', true]);
  });
});

test('a map key named __proto__ stays a key', () => {
  const raw = JSON.parse('{"headers": {"__proto__": "x", "a": "b"}}');
  const v = decodeJsonState(raw, type) as Record<string, any>;
  expect(Object.keys(v.headers)).toEqual(['__proto__', 'a']);
  expect(Object.getPrototypeOf(v.headers)).toBe(Object.prototype);
});
