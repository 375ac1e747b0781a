// Schema-directed conversion between Terraform's wire values (msgpack DynamicValue, or the JSON of a
// stored state) and handler Values. Unknowns are msgpack extension 0 (refined unknowns, extension 12,
// are read as plain unknowns); sets travel as arrays; dynamic values carry their type alongside.
import { Decoder, Encoder, ExtensionCodec } from '@msgpack/msgpack';
import { isUnknown, Unknown, type AttributePath, type ObjectValue, type Value } from '../provider-definition';
import { badValue, unknownAttribute } from '../errors';
import { typeFromJson, typeToJson, type CtyType } from './tf-types';

const UNKNOWN_EXT = 0;
const REFINED_UNKNOWN_EXT = 12;

const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: UNKNOWN_EXT,
  // cty writes an unknown as fixext1 of type 0 with a zero byte.
  encode: (input) => (isUnknown(input) ? Uint8Array.of(0) : null),
  decode: () => Unknown,
});
extensionCodec.register({ type: REFINED_UNKNOWN_EXT, encode: () => null, decode: () => Unknown });
// One encoder and one decoder per process: the functional encode/decode build fresh ones (buffers, key
// caches) on every call, which showed up in profiles of large plans. Both guard against re-entrant use.
const encoder = new Encoder({ extensionCodec });
const decoder = new Decoder({ extensionCodec });

const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

type Wire = null | string | number | boolean | symbol | Uint8Array | Wire[] | { [k: string]: Wire };

// The attribute path of the value being converted, as a chain of steps built only as deep as the walk
// goes; the array form is made only when an error names it. (Copying the path at every attribute made
// the codec the provider's largest allocator: a plan converts every resource's values several times.)
type PathStep = AttributePath[number];
type Trail = { readonly parent: Trail; readonly step: PathStep } | undefined;

function at(parent: Trail, step: PathStep): Trail {
  return { parent, step };
}

function pathOf(trail: Trail): AttributePath {
  const out: AttributePath = [];
  for (let t = trail; t; t = t.parent) out.push(t.step);
  return out.reverse();
}

/** `Object.entries(type.object)`, computed once per (long-lived) schema type object. */
const attributeEntries = new WeakMap<Record<string, CtyType>, [string, CtyType][]>();
function attributesOf(object: Record<string, CtyType>): [string, CtyType][] {
  let entries = attributeEntries.get(object);
  if (!entries) attributeEntries.set(object, (entries = Object.entries(object)));
  return entries;
}

// ---------------------------------------------------------------------------------------------------
// msgpack

/** Decodes a msgpack DynamicValue into a handler Value, checking it against `type`. */
export function decodeMsgpack(bytes: Uint8Array, type: CtyType): Value {
  const raw = decoder.decode(bytes) as unknown;
  return fromWire(raw, type, undefined);
}

/** Encodes a handler Value as a msgpack DynamicValue of `type`; throws PluginError naming the path. */
export function encodeMsgpack(value: Value | undefined, type: CtyType): Uint8Array {
  return encoder.encode(toWire(value ?? null, type, undefined));
}

function fromWire(raw: unknown, type: CtyType, path: Trail): Value {
  if (raw === Unknown) return Unknown;
  if (raw === null || raw === undefined) return null;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof raw === 'string') return raw;
        if (raw instanceof Uint8Array) return utf8.decode(raw);
        throw badValue(pathOf(path), 'a string', raw, 'from Terraform');
      case 'number':
        if (typeof raw === 'number') return raw;
        if (typeof raw === 'bigint') return Number(raw);
        // cty sends numbers that fit neither int64 nor float64 as decimal strings.
        if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
        throw badValue(pathOf(path), 'a number', raw, 'from Terraform');
      case 'bool':
        if (typeof raw === 'boolean') return raw;
        throw badValue(pathOf(path), 'a bool', raw, 'from Terraform');
      case 'dynamic': {
        if (!Array.isArray(raw) || raw.length !== 2) throw badValue(pathOf(path), 'a dynamic value [type, value]', raw, 'from Terraform');
        const typeJson = raw[0] instanceof Uint8Array ? utf8.decode(raw[0]) : String(raw[0]);
        return fromWire(raw[1], typeFromJson(JSON.parse(typeJson)), path);
      }
    }
  }
  if ('list' in type || 'set' in type) {
    if (!Array.isArray(raw)) throw badValue(pathOf(path), 'a list', raw, 'from Terraform');
    const elem = 'list' in type ? type.list : type.set;
    return raw.map((v, i) => fromWire(v, elem, at(path, i)));
  }
  if ('tuple' in type) {
    if (!Array.isArray(raw)) throw badValue(pathOf(path), 'a tuple', raw, 'from Terraform');
    return type.tuple.map((t, i) => fromWire(raw[i], t, at(path, i)));
  }
  if (!isPlainObject(raw)) throw badValue(pathOf(path), 'an object', raw, 'from Terraform');
  const out: ObjectValue = {};
  if ('map' in type) {
    for (const [k, v] of Object.entries(raw)) setKey(out, k, fromWire(v, type.map, at(path, { key: k })));
    return out;
  }
  for (const [k, t] of attributesOf(type.object)) out[k] = fromWire(raw[k], t, at(path, k));
  return out;
}

function toWire(value: Value | undefined, type: CtyType, path: Trail): Wire {
  if (value === undefined || value === null) return null;
  if (isUnknown(value)) return Unknown;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof value === 'string') return value;
        throw badValue(pathOf(path), 'a string', value, 'from the provider');
      case 'number':
        if (typeof value === 'number' && !Number.isNaN(value)) return value;
        throw badValue(pathOf(path), 'a number', value, 'from the provider');
      case 'bool':
        if (typeof value === 'boolean') return value;
        throw badValue(pathOf(path), 'a bool', value, 'from the provider');
      case 'dynamic': {
        const inferred = inferType(value);
        return [utf8Encoder.encode(JSON.stringify(typeToJson(inferred))), toWire(value, inferred, path)];
      }
    }
  }
  if ('list' in type || 'set' in type || 'tuple' in type) {
    if (!Array.isArray(value)) throw badValue(pathOf(path), 'a list', value, 'from the provider');
    if ('tuple' in type) return type.tuple.map((t, i) => toWire(value[i], t, at(path, i)));
    const elem = 'list' in type ? type.list : type.set;
    return value.map((v, i) => toWire(v, elem, at(path, i)));
  }
  if (!isPlainObject(value)) throw badValue(pathOf(path), 'an object', value, 'from the provider');
  const obj = value as ObjectValue;
  const out: { [k: string]: Wire } = {};
  if ('map' in type) {
    for (const [k, v] of Object.entries(obj)) setKey(out, k, toWire(v, type.map, at(path, { key: k })));
    return out;
  }
  for (const k of Object.keys(obj)) {
    if (!(k in type.object) && obj[k] !== undefined) throw unknownAttribute([...pathOf(path), k]);
  }
  for (const [k, t] of attributesOf(type.object)) out[k] = toWire(obj[k], t, at(path, k));
  return out;
}

/** The type a dynamic value is sent with: what its JavaScript shape says. */
export function inferType(value: Value): CtyType {
  if (value === null || isUnknown(value)) return 'dynamic';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return { tuple: value.map(inferType) };
  const object: Record<string, CtyType> = {};
  for (const [k, v] of Object.entries(value)) object[k] = inferType(v);
  return { object };
}

// ---------------------------------------------------------------------------------------------------
// JSON (stored states handed to UpgradeResourceState)

/** Reads a stored JSON state against the current schema: attributes the schema no longer has are
 * dropped (and reported in `dropped`), missing ones become null, primitives are converted leniently. */
export function decodeJsonState(raw: unknown, type: CtyType, dropped: string[] = []): Value {
  return fromJson(raw, type, [], dropped);
}

function fromJson(raw: unknown, type: CtyType, path: AttributePath, dropped: string[]): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        if (typeof raw === 'string') return raw;
        if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
        throw badValue(path, 'a string', raw, 'from Terraform');
      case 'number':
        if (typeof raw === 'number') return raw;
        if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
        throw badValue(path, 'a number', raw, 'from Terraform');
      case 'bool':
        if (typeof raw === 'boolean') return raw;
        if (raw === 'true' || raw === 'false') return raw === 'true';
        throw badValue(path, 'a bool', raw, 'from Terraform');
      case 'dynamic':
        if (isPlainObject(raw) && 'type' in raw && 'value' in raw) return fromJson(raw.value, typeFromJson(raw.type), path, dropped);
        throw badValue(path, 'a dynamic value {"value", "type"}', raw, 'from Terraform');
    }
  }
  if ('list' in type || 'set' in type) {
    if (!Array.isArray(raw)) throw badValue(path, 'a list', raw, 'from Terraform');
    const elem = 'list' in type ? type.list : type.set;
    return raw.map((v, i) => fromJson(v, elem, [...path, i], dropped));
  }
  if ('tuple' in type) {
    if (!Array.isArray(raw)) throw badValue(path, 'a tuple', raw, 'from Terraform');
    return type.tuple.map((t, i) => fromJson(raw[i], t, [...path, i], dropped));
  }
  if (!isPlainObject(raw)) throw badValue(path, 'an object', raw, 'from Terraform');
  const out: ObjectValue = {};
  if ('map' in type) {
    for (const [k, v] of Object.entries(raw)) setKey(out, k, fromJson(v, type.map, [...path, { key: k }], dropped));
    return out;
  }
  for (const k of Object.keys(raw)) if (!(k in type.object)) dropped.push([...path, k].join('.'));
  for (const [k, t] of Object.entries(type.object)) out[k] = fromJson(raw[k], t, [...path, k], dropped);
  return out;
}

// ---------------------------------------------------------------------------------------------------

/** The first path at which `value` (of `type`) holds an unknown, or undefined when wholly known. */
export function findUnknown(value: Value, type: CtyType, path: AttributePath = []): AttributePath | undefined {
  const found = unknownIn(value, type, undefined);
  return found === false ? undefined : [...path, ...pathOf(found)];
}

/** The trail to the first unknown, or false when there is none. */
function unknownIn(value: Value, type: CtyType, trail: Trail): Trail | false {
  if (isUnknown(value)) return trail;
  if (value === null || typeof value !== 'object' || typeof type === 'string') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const elem = 'list' in type ? type.list : 'set' in type ? type.set : 'tuple' in type ? type.tuple[i] : undefined;
      const p = elem ? unknownIn(value[i], elem, at(trail, i)) : false;
      if (p !== false) return p;
    }
    return false;
  }
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    const v = value[k];
    const p =
      'map' in type
        ? unknownIn(v, type.map, at(trail, { key: k }))
        : 'object' in type && type.object[k]
          ? unknownIn(v, type.object[k], at(trail, k))
          : false;
    if (p !== false) return p;
  }
  return false;
}

/** Map keys are user data: a key named `__proto__` must stay a key. */
function setKey<T>(out: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}
