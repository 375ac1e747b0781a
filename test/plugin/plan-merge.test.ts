// The generic plan rules layer 1 applies before a resource's own plan.
import { Unknown, type BlockSchema, type ObjectValue } from '../../providers/scim/plugin/provider-definition';
import { mergeProposed } from '../../providers/scim/plugin/plan-merge';
import { thingSchema } from './fixtures/testkit-provider';

const block: BlockSchema = thingSchema.block;
const nulls = Object.fromEntries(Object.keys(block.attributes).map((k) => [k, null]));

describe('mergeProposed', () => {
  test('create: unset computed attributes (also inside nested objects and sets) become Unknown', () => {
    const config = { ...nulls, name: 'a', spec: { color: 'red', shade: null }, ports: [{ number: 80, protocol: null }] };
    const planned = mergeProposed(block, config, null, config);
    expect(planned.id).toBe(Unknown);
    expect(planned.created_at).toBe(Unknown);
    expect(planned.mode).toBe(Unknown);
    expect(planned.spec).toEqual({ color: 'red', shade: Unknown });
    expect(planned.ports).toEqual([{ number: 80, protocol: Unknown }]);
    expect(planned.size).toBeNull(); // optional, not computed: stays null
  });

  test('create: values set in the configuration are kept', () => {
    const config = { ...nulls, name: 'a', mode: 'fast' };
    expect(mergeProposed(block, config, null, config).mode).toBe('fast');
  });

  test('update: unset computed and optional+computed attributes keep their prior values', () => {
    const prior = { ...nulls, id: 'x1', name: 'a', mode: 'standard', created_at: 't0', spec: { color: 'red', shade: 'red-ish' } };
    const config = { ...nulls, name: 'b', spec: { color: 'red', shade: null } };
    const proposed = { ...config };
    const planned = mergeProposed(block, proposed, prior, config);
    expect(planned).toMatchObject({ id: 'x1', name: 'b', mode: 'standard', created_at: 't0', spec: { color: 'red', shade: 'red-ish' } });
  });

  test('update: an unchanged configuration plans exactly the prior state', () => {
    const prior = { ...nulls, id: 'x1', name: 'a', mode: 'standard', created_at: 't0', tags: ['b', 'a'] };
    const config = { ...nulls, name: 'a', tags: ['a', 'b'] };
    const planned = mergeProposed(block, { ...config, id: 'x1', mode: 'standard', created_at: 't0' }, prior, config);
    expect(planned).toEqual({ ...prior, tags: ['a', 'b'] });
  });

  test('update: a nested object that did not exist before gets Unknown computed attributes', () => {
    const prior = { ...nulls, id: 'x1', name: 'a', mode: 'standard', created_at: 't0' };
    const config = { ...nulls, name: 'a', spec: { color: 'blue', shade: null } };
    expect(mergeProposed(block, { ...config }, prior, config).spec).toEqual({ color: 'blue', shade: Unknown });
  });

  test('unknown configuration values stay unknown', () => {
    const prior = { ...nulls, id: 'x1', name: 'a', mode: 'standard', created_at: 't0' };
    const config: ObjectValue = { ...nulls, name: 'a', mode: Unknown };
    expect(mergeProposed(block, { ...config }, prior, config).mode).toBe(Unknown);
  });
});
