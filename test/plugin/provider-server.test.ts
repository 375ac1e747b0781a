// The tfplugin6 RPCs, called the way Terraform calls them (msgpack DynamicValues in, decoded protobuf
// messages out), against the testkit provider and a provider whose handlers misbehave.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProviderServer } from '../../providers/scim/plugin/provider-server';
import { Unknown, type Logger, type ObjectValue, type ProviderDefinition } from '../../providers/scim/plugin/provider-definition';
import { decodeMsgpack, encodeMsgpack } from '../../providers/scim/plugin/values/value-codec';
import { blockType } from '../../providers/scim/plugin/values/tf-types';
import { loadProtocolRoot } from '../../providers/scim/plugin/protocol/protocol-root';
import { createTestkitProvider, thingSchema, type TestkitData } from './fixtures/testkit-provider';

const silent: Logger = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const thingType = blockType(thingSchema.block);
const nulls: ObjectValue = Object.fromEntries(Object.keys(thingSchema.block.attributes).map((k) => [k, null]));
const dv = (v: Record<string, unknown> | null, type = thingType) => ({ msgpack: Buffer.from(encodeMsgpack(v as ObjectValue | null, type)) });
const val = (d: { msgpack?: Uint8Array } | null | undefined) => (d?.msgpack?.length ? decodeMsgpack(d.msgpack, thingType) : undefined) as ObjectValue | null | undefined;

/** Sends the response through protobuf, as gRPC would, so the test sees what Terraform sees. */
function overTheWire(method: string, response: object): any {
  const t = loadProtocolRoot().lookupType(`tfplugin6.${method}.Response`);
  return t.toObject(t.decode(t.encode(t.fromObject(response)).finish()), { enums: String, longs: Number, defaults: true, oneofs: true });
}

let dir: string;
let server: ProviderServer<TestkitData>;
let call: (method: string, req?: object) => Promise<any>;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-plugin-'));
  server = new ProviderServer(createTestkitProvider(), silent);
  const rpcs = server.rpcs();
  call = async (method, req = {}) => overTheWire(method, await rpcs[method](req as never));
  const providerType = blockType(createTestkitProvider().schema.block);
  const res = await call('ConfigureProvider', { config: dv({ store: path.join(dir, 'store.json') }, providerType) });
  expect(res.diagnostics).toEqual([]);
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('GetProviderSchema and GetMetadata', () => {
  test('list the resources and data sources with capabilities', async () => {
    const schema = await call('GetProviderSchema');
    expect(Object.keys(schema.resource_schemas)).toEqual(['testkit_thing']);
    expect(Object.keys(schema.data_source_schemas)).toEqual(['testkit_echo']);
    expect(schema.server_capabilities).toMatchObject({ plan_destroy: false, get_provider_schema_optional: true });
    expect(schema.diagnostics).toEqual([]);
    const meta = await call('GetMetadata');
    expect(meta.resources).toEqual([{ type_name: 'testkit_thing' }]);
    expect(meta.data_sources).toEqual([{ type_name: 'testkit_echo' }]);
  });
});

describe('the resource lifecycle over RPCs', () => {
  const config = { ...nulls, name: 'alpha', spec: { color: 'red', shade: null }, ports: [{ number: 80, protocol: null }] };

  test('plan create → apply → read → no-op plan → update → delete', async () => {
    const plan = await call('PlanResourceChange', { type_name: 'testkit_thing', prior_state: dv(null), proposed_new_state: dv(config), config: dv(config) });
    expect(plan.diagnostics).toEqual([]);
    const planned = val(plan.planned_state)!;
    expect(planned).toMatchObject({ id: Unknown, mode: 'standard', created_at: Unknown, spec: { color: 'red', shade: Unknown }, ports: [{ number: 80, protocol: 'tcp' }] });

    const created = await call('ApplyResourceChange', { type_name: 'testkit_thing', prior_state: dv(null), planned_state: dv(planned), config: dv(config) });
    expect(created.diagnostics).toEqual([]);
    const state = val(created.new_state)!;
    expect(state).toMatchObject({ name: 'alpha', mode: 'standard', spec: { color: 'red', shade: 'red-ish' } });
    expect(typeof state.id).toBe('string');

    const read = await call('ReadResource', { type_name: 'testkit_thing', current_state: dv(state) });
    expect(val(read.new_state)).toEqual(state);

    // Terraform's proposed new state for an unchanged config: config plus prior computed values.
    const proposed = { ...config, id: state.id, mode: 'standard', created_at: state.created_at, spec: { color: 'red', shade: 'red-ish' }, ports: [{ number: 80, protocol: 'tcp' }] };
    const noop = await call('PlanResourceChange', { type_name: 'testkit_thing', prior_state: dv(state), proposed_new_state: dv(proposed), config: dv(config) });
    expect(val(noop.planned_state)).toEqual(state);
    expect(noop.requires_replace).toEqual([]);

    const changedConfig = { ...config, spec: { color: 'blue', shade: null }, replace_key: 'k2' };
    const update = await call('PlanResourceChange', {
      type_name: 'testkit_thing',
      prior_state: dv(state),
      proposed_new_state: dv({ ...proposed, spec: { color: 'blue', shade: 'red-ish' }, replace_key: 'k2' }),
      config: dv(changedConfig),
    });
    const updPlanned = val(update.planned_state)!;
    expect(updPlanned.spec).toEqual({ color: 'blue', shade: Unknown });
    expect(update.requires_replace).toEqual([{ steps: [{ attribute_name: 'replace_key', selector: 'attribute_name' }] }]);

    const updated = await call('ApplyResourceChange', { type_name: 'testkit_thing', prior_state: dv(state), planned_state: dv(updPlanned), config: dv(changedConfig) });
    expect(val(updated.new_state)).toMatchObject({ id: state.id, spec: { color: 'blue', shade: 'blue-ish' } });

    const destroyPlan = await call('PlanResourceChange', { type_name: 'testkit_thing', prior_state: dv(state), proposed_new_state: dv(null), config: dv(null) });
    expect(val(destroyPlan.planned_state)).toBeNull();
    const deleted = await call('ApplyResourceChange', { type_name: 'testkit_thing', prior_state: dv(val(updated.new_state)!), planned_state: dv(null), config: dv(null) });
    expect(deleted.diagnostics).toEqual([]);
    expect(val(deleted.new_state)).toBeNull();
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'store.json'), 'utf8'))).toEqual({});
  });

  test('a resource gone from the remote side reads as null state', async () => {
    const read = await call('ReadResource', { type_name: 'testkit_thing', current_state: dv({ ...nulls, id: 'gone', name: 'x' }) });
    expect(val(read.new_state)).toBeNull();
  });

  test('import returns the partial state for ReadResource to complete', async () => {
    fs.writeFileSync(path.join(dir, 'store.json'), JSON.stringify({ t1: { ...nulls, id: 't1', name: 'imported', mode: 'standard', created_at: 'then' } }));
    const res = await call('ImportResourceState', { type_name: 'testkit_thing', id: 't1' });
    expect(res.imported_resources).toHaveLength(1);
    expect(res.imported_resources[0].type_name).toBe('testkit_thing');
    expect(val(res.imported_resources[0].state)).toEqual({ ...nulls, id: 't1' });
    const missing = await call('ImportResourceState', { type_name: 'testkit_thing', id: 'nope' });
    expect(missing.diagnostics[0]).toMatchObject({ severity: 'ERROR', summary: 'Cannot import' });
  });

  test('UpgradeResourceState reads the stored JSON against the current schema', async () => {
    const raw = { id: 'u1', name: 'old', dropped_attribute: 1, tags: ['a'], size: 2 };
    const res = await call('UpgradeResourceState', { type_name: 'testkit_thing', version: 1, raw_state: { json: Buffer.from(JSON.stringify(raw)) } });
    expect(res.diagnostics).toEqual([]);
    expect(val(res.upgraded_state)).toEqual({ ...nulls, id: 'u1', name: 'old', tags: ['a'], size: 2 });
    const newer = await call('UpgradeResourceState', { type_name: 'testkit_thing', version: 7, raw_state: { json: Buffer.from('{}') } });
    expect(newer.diagnostics[0].summary).toMatch(/newer than this provider/);
  });
});

describe('validation and failures become diagnostics', () => {
  test('validation diagnostics carry attribute paths, including map keys and nested attributes', async () => {
    const res = await call('ValidateResourceConfig', { type_name: 'testkit_thing', config: dv({ ...nulls, name: '', labels: { bad: '1' }, size: 13 }) });
    expect(res.diagnostics.map((d: any) => [d.severity, d.summary, d.attribute?.steps.map((s: any) => s[s.selector])])).toEqual([
      ['ERROR', 'Empty name', ['name']],
      ['ERROR', 'Forbidden label', ['labels', 'bad']],
      ['WARNING', 'Unlucky size', ['size']],
    ]);
    const thrown = await call('ValidateResourceConfig', { type_name: 'testkit_thing', config: dv({ ...nulls, name: 'a', spec: { color: 'ultraviolet', shade: null } }) });
    // Terraform cannot find nested-attribute paths in the source: the path stops at `spec` and the
    // detail names the full path.
    expect(thrown.diagnostics[0]).toMatchObject({ summary: 'Invisible color', detail: 'Nobody can see ultraviolet; pick another color. (at spec.color)' });
    expect(thrown.diagnostics[0].attribute.steps).toEqual([{ attribute_name: 'spec', selector: 'attribute_name' }]);
  });

  test('a failing create reports the error and returns no state', async () => {
    const config = { ...nulls, name: 'explode' };
    const planned = { ...config, id: Unknown, created_at: Unknown, mode: 'standard' };
    const res = await call('ApplyResourceChange', { type_name: 'testkit_thing', prior_state: dv(null), planned_state: dv(planned), config: dv(config) });
    expect(res.diagnostics[0]).toMatchObject({ severity: 'ERROR', summary: 'Creating testkit_thing failed', detail: 'the store refused to create "explode"' });
    expect(res.new_state).toBeNull();
  });

  test('unknown resource types are named with the ones that exist', async () => {
    const res = await call('ValidateResourceConfig', { type_name: 'testkit_nope', config: dv(null) });
    expect(res.diagnostics[0].summary).toBe('Unknown resource type "testkit_nope"');
    expect(res.diagnostics[0].detail).toMatch(/testkit_thing/);
  });

  test('handlers that reject, return bad values or leave unknowns after apply never crash the server', async () => {
    const base = createTestkitProvider();
    const broken: ProviderDefinition<TestkitData> = {
      ...base,
      resources: [
        {
          ...base.resources[0],
          plan: async () => ({ planned: { ...nulls, name: 42 } as never }),
          create: async () => ({ state: { ...nulls, name: 'x', id: Unknown } }),
          read: () => Promise.reject(new Error('server said 500')),
          update: () => Promise.reject(new Error('PATCH refused')),
        },
      ],
    };
    const rpcs = new ProviderServer(broken, silent).rpcs();
    const c = async (m: string, r: object) => overTheWire(m, await rpcs[m](r as never));
    const plan = await c('PlanResourceChange', { type_name: 'testkit_thing', prior_state: dv(null), proposed_new_state: dv({ ...nulls, name: 'x' }), config: dv({ ...nulls, name: 'x' }) });
    expect(plan.diagnostics[0]).toMatchObject({ summary: 'Invalid value for name', attribute: { steps: [{ attribute_name: 'name' }] } });
    const apply = await c('ApplyResourceChange', { type_name: 'testkit_thing', prior_state: dv(null), planned_state: dv({ ...nulls, name: 'x', id: Unknown }), config: dv({ ...nulls, name: 'x' }) });
    expect(apply.diagnostics[0].summary).toBe('Provider returned an unknown value for id after create');
    const state = { ...nulls, id: 'a', name: 'x' };
    const read = await c('ReadResource', { type_name: 'testkit_thing', current_state: dv(state) });
    expect(read.diagnostics[0]).toMatchObject({ summary: 'Reading testkit_thing failed', detail: 'server said 500' });
    expect(val(read.new_state)).toEqual(state); // the stored state is kept
    const update = await c('ApplyResourceChange', { type_name: 'testkit_thing', prior_state: dv(state), planned_state: dv({ ...state, size: 2 }), config: dv({ ...nulls, name: 'x', size: 2 }) });
    expect(update.diagnostics[0]).toMatchObject({ summary: 'Updating testkit_thing failed', detail: 'PATCH refused' });
    expect(val(update.new_state)).toEqual(state); // a failed update keeps the prior state
  });

  test('unsupported RPCs answer cleanly', async () => {
    expect((await call('GetFunctions')).functions).toEqual({});
    expect((await call('CallFunction', { name: 'f' })).error.text).toMatch(/no function/);
    expect((await call('ValidateEphemeralResourceConfig', { type_name: 'testkit_x' })).diagnostics[0].summary).toMatch(/Unknown ephemeral resource type/);
    expect((await call('MoveResourceState', { source_type_name: 'a', target_type_name: 'testkit_thing' })).diagnostics[0].summary).toMatch(/not supported/);
    expect((await call('GetResourceIdentitySchemas')).identity_schemas).toEqual({});
  });
});

describe('StopProvider', () => {
  test('aborts the signal handed to in-flight handlers and calls stop()', async () => {
    let stopped = false;
    let seenSignal: AbortSignal | undefined;
    const base = createTestkitProvider();
    const slow: ProviderDefinition<TestkitData> = {
      ...base,
      stop: async () => {
        stopped = true;
      },
      resources: [
        {
          ...base.resources[0],
          read: ({ state }, ctx) =>
            new Promise((_resolve, reject) => {
              seenSignal = ctx.signal;
              ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
              void state;
            }),
        },
      ],
    };
    const rpcs = new ProviderServer(slow, silent).rpcs();
    const pending = rpcs.ReadResource({ type_name: 'testkit_thing', current_state: dv({ ...nulls, id: 'a', name: 'x' }) } as never);
    await new Promise((r) => setImmediate(r));
    const stop = overTheWire('StopProvider', await rpcs.StopProvider({} as never));
    expect(stop.Error).toBe('');
    const res = overTheWire('ReadResource', await pending);
    expect(seenSignal?.aborted).toBe(true);
    expect(stopped).toBe(true);
    expect(res.diagnostics[0].summary).toBe('Operation cancelled');
  });
});

describe('cancellation of one call by the client', () => {
  const readState = { type_name: 'testkit_thing', current_state: dv({ ...nulls, id: 'a', name: 'x' }) } as never;

  function pendingReader(): { def: ProviderDefinition<TestkitData>; signals: AbortSignal[] } {
    const signals: AbortSignal[] = [];
    const base = createTestkitProvider();
    const def: ProviderDefinition<TestkitData> = {
      ...base,
      resources: [
        {
          ...base.resources[0],
          read: (_req, ctx) =>
            new Promise((_resolve, reject) => {
              signals.push(ctx.signal);
              ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason));
            }),
        } as ProviderDefinition<TestkitData>['resources'][number],
      ],
    };
    return { def, signals };
  }

  test('aborts only that call', async () => {
    const { def, signals } = pendingReader();
    const rpcs = new ProviderServer(def, silent).rpcs();
    let cancelFirst: ((reason: () => Error) => void) | undefined;
    const first = rpcs.ReadResource(readState, (abort) => (cancelFirst = abort));
    void rpcs.ReadResource(readState, () => undefined);
    await new Promise((r) => setImmediate(r));
    // what serve.ts passes when grpc-js reports the call cancelled
    cancelFirst!(() => Object.assign(new Error('Terraform cancelled the request'), { name: 'AbortError' }));
    const res = overTheWire('ReadResource', await first);
    expect(res.diagnostics[0].summary).toBe('Operation cancelled');
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
  });

  test('a cancellation after the answer changes nothing, and StopProvider still reaches calls in flight', async () => {
    const rpcs = server.rpcs();
    let cancelLate: ((reason: () => Error) => void) | undefined;
    const res = overTheWire('ReadResource', await rpcs.ReadResource(readState, (abort) => (cancelLate = abort)));
    let reasonBuilt = false;
    cancelLate!(() => {
      reasonBuilt = true;
      return new Error('late');
    });
    expect(reasonBuilt).toBe(false);
    expect(res.diagnostics).toEqual([]);

    const { def, signals } = pendingReader();
    const slow = new ProviderServer(def, silent).rpcs();
    const pending = slow.ReadResource(readState, () => undefined);
    await new Promise((r) => setImmediate(r));
    await slow.StopProvider({} as never);
    expect(overTheWire('ReadResource', await pending).diagnostics[0].summary).toBe('Operation cancelled');
    expect(signals[0]!.aborted).toBe(true);
  });
});
