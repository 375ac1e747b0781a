// The generic part of planning, done before a resource's own `plan` runs: computed attributes the
// configuration leaves unset become Unknown on create ("known after apply") and keep their prior
// values on update, so that an unchanged configuration plans exactly the prior state (a no-op).
import { isObjectValue as isObject, isUnknown, Unknown, type AttributeSchema, type BlockSchema, type ObjectValue, type Value } from './provider-definition';

type Attributes = Record<string, AttributeSchema>;

/**
 * @param proposed Terraform's proposed new state (config merged with prior computed values)
 * @param prior the prior state, null on create
 * @param config the configuration
 */
export function mergeProposed(block: BlockSchema, proposed: ObjectValue, prior: ObjectValue | null, config: ObjectValue): ObjectValue {
  return prior === null ? unknownComputed(block.attributes, proposed, block) : keepPrior(block.attributes, proposed, prior, config);
}

/** On create (or for an object that did not exist before): unset computed attributes → Unknown. */
function unknownComputed(attrs: Attributes, obj: ObjectValue, block?: BlockSchema): ObjectValue {
  const out: ObjectValue = { ...obj };
  for (const [name, a] of Object.entries(attrs)) {
    const v = out[name] ?? null;
    if (v === null) {
      if (a.computed) out[name] = Unknown;
      continue;
    }
    if (a.nested && !isUnknown(v)) out[name] = mapNested(a.nested.nesting, v, (o) => unknownComputed(a.nested!.attributes, o));
  }
  for (const [name, b] of Object.entries(block?.blocks ?? {})) {
    const v = out[name] ?? null;
    if (v === null || isUnknown(v)) continue;
    const nesting = b.nesting === 'group' ? 'single' : b.nesting;
    out[name] = mapNested(nesting, v, (o) => unknownComputed(b.block.attributes, o, b.block));
  }
  return out;
}

/** On update: computed attributes the configuration leaves unset keep their prior values. */
function keepPrior(attrs: Attributes, proposed: ObjectValue, prior: ObjectValue, config: ObjectValue | null): ObjectValue {
  const out: ObjectValue = { ...proposed };
  for (const [name, a] of Object.entries(attrs)) {
    const c = config?.[name] ?? null;
    const p = prior[name] ?? null;
    const v = out[name] ?? null;
    if (a.computed && c === null) {
      out[name] = p;
      continue;
    }
    if (a.nested?.nesting === 'single' && isObject(v) && isObject(c)) {
      out[name] = isObject(p) ? keepPrior(a.nested.attributes, v, p, c) : unknownComputed(a.nested.attributes, v);
    }
  }
  return out;
}

function mapNested(nesting: 'single' | 'list' | 'set' | 'map', v: Value, f: (o: ObjectValue) => ObjectValue): Value {
  if (nesting === 'single') return isObject(v) ? f(v) : v;
  if (nesting === 'map') {
    if (!isObject(v)) return v;
    const out: ObjectValue = {};
    for (const [k, e] of Object.entries(v)) out[k] = isObject(e) ? f(e) : e;
    return out;
  }
  return Array.isArray(v) ? v.map((e) => (isObject(e) ? f(e) : e)) : v;
}

