// The tfplugin6 Provider service: one method per RPC, taking and returning decoded protobuf messages,
// independent of gRPC so tests can call it directly. It decodes values against the schemas, runs the
// generic plan rules, dispatches to the resource/data source handlers and turns every failure into
// diagnostics; unsupported RPCs answer with a clear diagnostic. Per-call abort signals: call-signals.ts.
import {
  type DataSourceType,
  type Diagnostic,
  type HandlerContext,
  type Logger,
  type ObjectValue,
  type BlockSchema,
  type ProviderDefinition,
  type ResourceType,
  type Schema,
  type Value,
} from './provider-definition';
import { badState, unknownType, unsupported } from './errors';
import { diagnosticToProto, errorToDiagnostics, hasErrors, locateForTerraform, pathToProto } from './diagnostics';
import { checkSchema, schemaToProto } from './schema-convert';
import { mergeProposed } from './plan-merge';
import { blockType, type CtyType } from './values/tf-types';
import { decodeJsonState, encodeMsgpack } from './values/value-codec';
import { checkKnown, decodeObject } from './values/dynamic-value';
import { bytesOrUndefined, int64ToNumber, type Message } from './protocol/grpc-services';
import { CallSignals, type OnCancel } from './call-signals';
import { gateFromEnv, gatedRpc, requestWeight } from './memory-gate';

/**
 * One RPC. `onCancel`, when given, is called once with a function that aborts the call; the transport calls
 * it when the client cancels the call. After the call has completed it does nothing, and the reason (built
 * only for a call still running: an Error costs a stack trace) is not asked for.
 */
export type Rpc = (req: Message, onCancel?: OnCancel) => Promise<Message>;
type Method = (req: Message, signal?: AbortSignal) => Promise<Message>;

interface Typed<T> {
  handler: T;
  type: CtyType;
}

const SERVER_CAPABILITIES = {
  plan_destroy: false,
  // Terraform may reuse a cached schema instead of asking every provider process again.
  get_provider_schema_optional: true,
  move_resource_state: false,
};

export class ProviderServer<P> {
  private providerData: P | undefined;
  private readonly calls = new CallSignals();
  /** Large calls take turns (memory-gate.ts); SCIMFORM_PROVIDER_MEMORY_BUDGET_MB sets the budget. */
  readonly gate = gateFromEnv(process.env);
  private readonly resources = new Map<string, Typed<ResourceType<P>>>();
  private readonly dataSources = new Map<string, Typed<DataSourceType<P>>>();
  private readonly providerType: CtyType;
  private schemaResponse: Message | undefined;

  constructor(
    readonly definition: ProviderDefinition<P>,
    private readonly log: Logger,
  ) {
    this.providerType = blockType(definition.schema.block);
    for (const r of definition.resources) this.resources.set(r.name, { handler: r, type: blockType(r.schema.block) });
    for (const d of definition.dataSources) this.dataSources.set(d.name, { handler: d, type: blockType(d.schema.block) });
  }

  /** Aborts in-flight handlers and calls the definition's stop hook (StopProvider, shutdown). */
  async stop(reason = 'Terraform asked the provider to stop'): Promise<void> {
    this.calls.stopAll(() => Object.assign(new Error(reason), { name: 'AbortError' }));
    await this.definition.stop?.();
  }

  /** Every RPC by its tfplugin6 method name, each wrapped so that nothing it throws escapes. */
  rpcs(): Record<string, Rpc> {
    const methods: Record<string, Method> = {
      GetMetadata: () => this.getMetadata(),
      GetProviderSchema: () => this.getProviderSchema(),
      ValidateProviderConfig: (r) => this.validateProviderConfig(r),
      ValidateResourceConfig: (r, s) => this.validateResourceConfig(r, s),
      ValidateDataResourceConfig: (r, s) => this.validateDataResourceConfig(r, s),
      UpgradeResourceState: (r) => this.upgradeResourceState(r),
      GetResourceIdentitySchemas: async () => ({ identity_schemas: {}, diagnostics: [] }),
      UpgradeResourceIdentity: async () => this.unsupported('Resource identity', 'This provider does not declare resource identities.'),
      ConfigureProvider: (r, s) => this.configureProvider(r, s),
      ReadResource: (r, s) => this.readResource(r, s),
      PlanResourceChange: (r, s) => this.planResourceChange(r, s),
      ApplyResourceChange: (r, s) => this.applyResourceChange(r, s),
      ImportResourceState: (r, s) => this.importResourceState(r, s),
      MoveResourceState: async (r) =>
        this.unsupported('Moving resource state', `Cannot move ${r.source_type_name} into ${r.target_type_name}: this provider does not support moved blocks across resource types.`),
      ReadDataSource: (r, s) => this.readDataSource(r, s),
      ValidateEphemeralResourceConfig: async (r) => this.noEphemeral(r.type_name),
      OpenEphemeralResource: async (r) => this.noEphemeral(r.type_name),
      RenewEphemeralResource: async (r) => this.noEphemeral(r.type_name),
      CloseEphemeralResource: async (r) => this.noEphemeral(r.type_name),
      GetFunctions: async () => ({ functions: {}, diagnostics: [] }),
      CallFunction: async (r) => ({ error: { text: `This provider has no function ${JSON.stringify(r.name)}.` } }),
      StopProvider: () => this.stopProvider(),
    };
    const wrapped: Record<string, Rpc> = {};
    for (const [name, fn] of Object.entries(methods)) {
      // Diagnostics go out with paths located for Terraform against the RPC's schema block.
      const toWire = (res: Message, req: Message): Message => {
        if (!Array.isArray(res.diagnostics) || !res.diagnostics.length) return res;
        const block = this.blockFor(req, name);
        return { ...res, diagnostics: (res.diagnostics as Diagnostic[]).map((d) => diagnosticToProto(locateForTerraform(d, block))) };
      };
      wrapped[name] = async (req, onCancel) => {
        const turn = await this.gate.enter(gatedRpc(name) ? requestWeight(req) : 0, req?.type_name);
        const started = Date.now();
        const { signal, release } = this.calls.forCall(onCancel);
        try {
          const res = await fn(req, signal);
          this.log.debug(`rpc ${name} done`, { rpc: name, type_name: req?.type_name || undefined, duration_ms: Date.now() - started, ...turn.facts });
          return toWire(res, req);
        } catch (err) {
          this.log.error(`rpc ${name} failed`, { rpc: name, type_name: req?.type_name || undefined, error: (err as Error)?.message ?? String(err) });
          return toWire({ diagnostics: errorToDiagnostics(err) }, req);
        } finally {
          release();
          turn.leave();
        }
      };
    }
    return wrapped;
  }

  // -------------------------------------------------------------------------------------------------
  // Information

  private async getMetadata(): Promise<Message> {
    return {
      server_capabilities: SERVER_CAPABILITIES,
      diagnostics: [],
      resources: [...this.resources.keys()].map((type_name) => ({ type_name })),
      data_sources: [...this.dataSources.keys()].map((type_name) => ({ type_name })),
      functions: [],
      ephemeral_resources: [],
    };
  }

  private async getProviderSchema(): Promise<Message> {
    if (this.schemaResponse) return this.schemaResponse;
    const problems: Diagnostic[] = [];
    const check = (where: string, schema: Schema) => {
      for (const p of checkSchema(where, schema)) problems.push(...errorToDiagnostics(p));
      return schemaToProto(schema);
    };
    const resource_schemas: Record<string, Message> = {};
    const data_source_schemas: Record<string, Message> = {};
    const provider = check(`provider ${this.definition.typeName}`, this.definition.schema);
    for (const [name, r] of this.resources) resource_schemas[name] = check(`resource ${name}`, r.handler.schema);
    for (const [name, d] of this.dataSources) data_source_schemas[name] = check(`data source ${name}`, d.handler.schema);
    this.schemaResponse = {
      provider,
      resource_schemas,
      data_source_schemas,
      functions: {},
      ephemeral_resource_schemas: {},
      server_capabilities: SERVER_CAPABILITIES,
      diagnostics: this.diags(problems),
    };
    return this.schemaResponse;
  }

  // -------------------------------------------------------------------------------------------------
  // Provider

  private async validateProviderConfig(req: Message): Promise<Message> {
    const config = decodeObject(req.config, this.providerType) ?? {};
    const diagnostics = (await this.definition.validateConfig?.(config)) ?? [];
    return { diagnostics: this.diags(this.gate.problem ? [this.gate.problem, ...diagnostics] : diagnostics) };
  }

  private async configureProvider(req: Message, callSignal?: AbortSignal): Promise<Message> {
    const config = decodeObject(req.config, this.providerType) ?? {};
    this.log.debug('configuring provider', { terraform_version: req.terraform_version });
    const res = await this.definition.configure(config, { log: this.log, signal: this.signal(callSignal) });
    this.providerData = res.providerData;
    return { diagnostics: this.diags(res.diagnostics) };
  }

  private async stopProvider(): Promise<Message> {
    try {
      await this.stop();
      return { Error: '' };
    } catch (err) {
      return { Error: (err as Error)?.message ?? String(err) };
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Managed resources

  private async validateResourceConfig(req: Message, callSignal?: AbortSignal): Promise<Message> {
    const { handler, type } = this.resource(req.type_name);
    const config = decodeObject(req.config, type) ?? {};
    const diagnostics = (await handler.validate?.(config, this.context(callSignal))) ?? [];
    return { diagnostics: this.diags(diagnostics) };
  }

  private async upgradeResourceState(req: Message): Promise<Message> {
    const { handler, type } = this.resource(req.type_name);
    const version = int64ToNumber(req.version);
    const json = bytesOrUndefined(req.raw_state?.json);
    if (!json) {
      const flat = req.raw_state?.flatmap && Object.keys(req.raw_state.flatmap).length > 0;
      if (flat) throw badState(`Cannot read the stored state of ${req.type_name}`, 'The state is in the legacy flatmap format, which this provider does not read. Remove the resource from state and import it again.');
      return { upgraded_state: { msgpack: encodeMsgpack(null, type) }, diagnostics: [] };
    }
    const raw = JSON.parse(json.toString('utf8')) as Record<string, unknown>;
    const current = handler.schema.version;
    if (version > current) {
      throw badState(
        `The stored state of ${req.type_name} is newer than this provider`,
        `It was written with schema version ${version}; this provider knows version ${current}. Use the provider version that wrote the state.`,
      );
    }
    let state: Value;
    if (version < current && handler.upgrade) {
      state = handler.upgrade(version, raw);
    } else {
      const dropped: string[] = [];
      state = decodeJsonState(raw, type, dropped);
      if (dropped.length) this.log.debug('dropped attributes no longer in the schema', { type_name: req.type_name, attributes: dropped });
    }
    return { upgraded_state: { msgpack: encodeMsgpack(state, type) }, diagnostics: [] };
  }

  private async readResource(req: Message, callSignal?: AbortSignal): Promise<Message> {
    const { handler, type } = this.resource(req.type_name);
    const state = decodeObject(req.current_state, type);
    const priv = bytesOrUndefined(req.private);
    if (state === null) return { new_state: { msgpack: encodeMsgpack(null, type) }, private: priv, diagnostics: [] };
    let res: Awaited<ReturnType<ResourceType<P>['read']>>;
    try {
      res = await handler.read({ state, private: priv }, this.context(callSignal));
    } catch (err) {
      // Keep the stored state on failure: a failed read must not drop the resource.
      return { new_state: req.current_state, private: priv, diagnostics: this.diags(errorToDiagnostics(err, `Reading ${req.type_name}`)) };
    }
    const diagnostics = [...(res.diagnostics ?? [])];
    if (res.state !== null) checkKnown(res.state, type, 'read');
    return {
      new_state: { msgpack: encodeMsgpack(res.state, type) },
      private: res.private ?? priv,
      diagnostics: this.diags(diagnostics),
    };
  }

  private async planResourceChange(req: Message, callSignal?: AbortSignal): Promise<Message> {
    const { handler, type } = this.resource(req.type_name);
    const proposed = decodeObject(req.proposed_new_state, type);
    const priorPrivate = bytesOrUndefined(req.prior_private);
    if (proposed === null) {
      // Destroy: Terraform plans it itself; answer with the null planned state.
      return { planned_state: { msgpack: encodeMsgpack(null, type) }, planned_private: priorPrivate, diagnostics: [] };
    }
    const prior = decodeObject(req.prior_state, type);
    const config = decodeObject(req.config, type) ?? {};
    const merged = mergeProposed(handler.schema.block, proposed, prior, config);
    if (!handler.plan) {
      return { planned_state: { msgpack: encodeMsgpack(merged, type) }, planned_private: priorPrivate, diagnostics: [] };
    }
    const res = await handler.plan({ prior, proposed: merged, config, priorPrivate }, this.context(callSignal));
    return {
      planned_state: { msgpack: encodeMsgpack(res.planned, type) },
      requires_replace: (res.requiresReplace ?? []).map(pathToProto),
      planned_private: res.plannedPrivate ?? priorPrivate,
      diagnostics: this.diags(res.diagnostics),
    };
  }

  private async applyResourceChange(req: Message, callSignal?: AbortSignal): Promise<Message> {
    const { handler, type } = this.resource(req.type_name);
    const prior = decodeObject(req.prior_state, type);
    const planned = decodeObject(req.planned_state, type);
    const config = decodeObject(req.config, type) ?? {};
    const plannedPrivate = bytesOrUndefined(req.planned_private);
    const ctx = this.context(callSignal);

    if (planned === null) {
      if (prior === null) return { new_state: { msgpack: encodeMsgpack(null, type) }, diagnostics: [] };
      try {
        const res = await handler.delete({ prior, private: plannedPrivate }, ctx);
        if (hasErrors(res.diagnostics)) {
          return { new_state: req.prior_state, private: plannedPrivate, diagnostics: this.diags(res.diagnostics) };
        }
        return { new_state: { msgpack: encodeMsgpack(null, type) }, diagnostics: this.diags(res.diagnostics) };
      } catch (err) {
        // The object still exists as far as we know: keep it in state.
        return { new_state: req.prior_state, private: plannedPrivate, diagnostics: this.diags(errorToDiagnostics(err, `Deleting ${req.type_name}`)) };
      }
    }

    const operation = prior === null ? 'create' : 'update';
    let res: { state: ObjectValue; private?: Buffer; diagnostics?: Diagnostic[] };
    try {
      res =
        prior === null
          ? await handler.create({ planned, config, plannedPrivate }, ctx)
          : await handler.update({ prior, planned, config, plannedPrivate }, ctx);
    } catch (err) {
      const diagnostics = this.diags(errorToDiagnostics(err, `${operation === 'create' ? 'Creating' : 'Updating'} ${req.type_name}`));
      // No new_state: Terraform then keeps the prior state (nothing for a failed create).
      return prior === null ? { diagnostics } : { new_state: req.prior_state, private: plannedPrivate, diagnostics };
    }
    checkKnown(res.state, type, operation);
    return {
      new_state: { msgpack: encodeMsgpack(res.state, type) },
      private: res.private ?? plannedPrivate,
      diagnostics: this.diags(res.diagnostics),
    };
  }

  private async importResourceState(req: Message, callSignal?: AbortSignal): Promise<Message> {
    const { handler, type } = this.resource(req.type_name);
    if (!handler.import) {
      throw unsupported(`Importing ${req.type_name}`, `Resource type ${req.type_name} cannot be imported; declare it and let apply create or adopt it.`);
    }
    const res = await handler.import(String(req.id), this.context(callSignal));
    if (hasErrors(res.diagnostics)) return { imported_resources: [], diagnostics: this.diags(res.diagnostics) };
    checkKnown(res.state, type, 'import');
    return {
      imported_resources: [{ type_name: req.type_name, state: { msgpack: encodeMsgpack(res.state, type) } }],
      diagnostics: this.diags(res.diagnostics),
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Data sources

  private async validateDataResourceConfig(req: Message, callSignal?: AbortSignal): Promise<Message> {
    const { handler, type } = this.dataSource(req.type_name);
    const config = decodeObject(req.config, type) ?? {};
    const diagnostics = (await handler.validate?.(config, this.context(callSignal))) ?? [];
    return { diagnostics: this.diags(diagnostics) };
  }

  private async readDataSource(req: Message, callSignal?: AbortSignal): Promise<Message> {
    const { handler, type } = this.dataSource(req.type_name);
    const config = decodeObject(req.config, type) ?? {};
    const res = await handler.read(config, this.context(callSignal));
    if (hasErrors(res.diagnostics)) return { diagnostics: this.diags(res.diagnostics) };
    checkKnown(res.state, type, 'read');
    return { state: { msgpack: encodeMsgpack(res.state, type) }, diagnostics: this.diags(res.diagnostics) };
  }

  // -------------------------------------------------------------------------------------------------
  // Helpers

  private resource(name: string): Typed<ResourceType<P>> {
    const r = this.resources.get(name);
    if (!r) throw unknownType('resource', name, [...this.resources.keys()]);
    return r;
  }

  private dataSource(name: string): Typed<DataSourceType<P>> {
    const d = this.dataSources.get(name);
    if (!d) throw unknownType('data source', name, [...this.dataSources.keys()]);
    return d;
  }

  private noEphemeral(name: string): Message {
    return { diagnostics: this.diags(errorToDiagnostics(unknownType('ephemeral resource', name, []))) };
  }

  private unsupported(what: string, detail: string): Message {
    return { diagnostics: this.diags(errorToDiagnostics(unsupported(what, detail))) };
  }

  /** The signal handlers get: the call's own signal (see CallSignals.forCall), else the provider's stop signal. */
  private signal(callSignal?: AbortSignal): AbortSignal {
    return callSignal ?? this.calls.stopSignal;
  }

  private context(callSignal?: AbortSignal): HandlerContext<P> {
    return { signal: this.signal(callSignal), log: this.log, providerData: this.providerData };
  }

  /** Handlers answer with Diagnostic objects; `rpcs()` turns them into wire messages. */
  private diags(diagnostics: Diagnostic[] | undefined): Diagnostic[] {
    return diagnostics ?? [];
  }

  /** The schema block an RPC's diagnostics refer to. */
  private blockFor(req: Message | undefined, rpc: string): BlockSchema | undefined {
    if (/Provider/.test(rpc)) return this.definition.schema.block;
    const name = req?.type_name;
    if (typeof name !== 'string') return undefined;
    if (/Data/.test(rpc)) return this.dataSources.get(name)?.handler.schema.block;
    return this.resources.get(name)?.handler.schema.block;
  }
}
