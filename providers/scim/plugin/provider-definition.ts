// What a provider built on the plugin layer declares: schemas, resource and data source handlers,
// diagnostics and values. Layer 1 (this folder) turns these into tfplugin6 RPCs; it knows nothing of SCIM.

/** Terraform value types (cty), as plain data. */
export type TfType =
  | 'string'
  | 'number'
  | 'bool'
  | 'dynamic'
  | { list: TfType }
  | { set: TfType }
  | { map: TfType }
  | { object: Record<string, TfType>; optional?: string[] };

/** A value not known until apply (msgpack extension type 0 on the wire). */
export const Unknown: unique symbol = Symbol.for('scimform.unknown');
export type UnknownValue = typeof Unknown;
export const isUnknown = (v: unknown): v is UnknownValue => v === Unknown;

/**
 * Values as seen by handlers: null, strings, numbers, booleans, arrays (list and set), plain objects
 * (object, map and nested attributes), or Unknown anywhere inside.
 */
export type Value = null | string | number | boolean | UnknownValue | Value[] | { [key: string]: Value };
export type ObjectValue = { [key: string]: Value };

/** A known object value (object, map or nested attribute): not null, a list or Unknown. */
export const isObjectValue = (v: Value | undefined): v is ObjectValue => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether Unknown appears anywhere inside a value. */
export function containsUnknown(v: Value | undefined): boolean {
  if (v === undefined || v === null) return false;
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (typeof v === 'object') return Object.values(v).some(containsUnknown);
  return false;
}

export interface AttributeSchema {
  /** Exactly one of `type` and `nested`. */
  type?: TfType;
  nested?: NestedAttributes;
  /** Markdown description; required on every attribute (docs are generated from it). */
  description: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
}

export interface NestedAttributes {
  nesting: 'single' | 'list' | 'set' | 'map';
  attributes: Record<string, AttributeSchema>;
}

export interface BlockSchema {
  description: string;
  attributes: Record<string, AttributeSchema>;
  blocks?: Record<string, NestedBlockSchema>;
  deprecated?: boolean;
}

export interface NestedBlockSchema {
  nesting: 'single' | 'list' | 'set' | 'map' | 'group';
  block: BlockSchema;
  minItems?: number;
  maxItems?: number;
}

export interface Schema {
  version: number;
  block: BlockSchema;
}

/** A step of an attribute path: a string names an attribute, a number indexes a list element,
 * `{ key }` names a map key (or a set element by its string form). */
export type PathStep = string | number | { key: string };
export type AttributePath = PathStep[];

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  path?: AttributePath;
}

/** Throw from any handler to report one error diagnostic (optionally at an attribute). Any other
 * thrown error becomes an error diagnostic with its message; the provider process never crashes. */
export class DiagnosticError extends Error {
  constructor(
    readonly summary: string,
    readonly detail?: string,
    readonly path?: AttributePath,
  ) {
    super(detail ? `${summary}: ${detail}` : summary);
    this.name = 'DiagnosticError';
  }
}

export interface Logger {
  trace(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** Passed to every handler. `signal` aborts when Terraform calls StopProvider (or the RPC is cancelled). */
export interface HandlerContext<P> {
  signal: AbortSignal;
  log: Logger;
  /** What `configure` returned; undefined before configure or when the configuration had unknowns. */
  providerData: P | undefined;
}

export interface PlanRequest {
  /** null when the resource is being created. */
  prior: ObjectValue | null;
  /** Terraform's proposed new state, already merged by layer 1: config values, prior values for
   * unset optional+computed attributes, and Unknown for unset computed attributes on create. */
  proposed: ObjectValue;
  config: ObjectValue;
  priorPrivate?: Buffer;
}

export interface PlanResponse {
  planned: ObjectValue;
  /** Attribute paths whose change forces replacement. */
  requiresReplace?: AttributePath[];
  plannedPrivate?: Buffer;
  diagnostics?: Diagnostic[];
}

export interface ResourceType<P> {
  /** Full type name, e.g. `scim_user`. */
  name: string;
  schema: Schema;
  validate?(config: ObjectValue, ctx: HandlerContext<P>): Diagnostic[] | Promise<Diagnostic[]>;
  /** Customise the plan. Without it the proposed state is planned as is. Called for creates, updates
   * and no-op plans; not for destroys (Terraform plans those itself). */
  plan?(req: PlanRequest, ctx: HandlerContext<P>): Promise<PlanResponse>;
  create(
    req: { planned: ObjectValue; config: ObjectValue; plannedPrivate?: Buffer },
    ctx: HandlerContext<P>,
  ): Promise<{ state: ObjectValue; private?: Buffer; diagnostics?: Diagnostic[] }>;
  /** Return state null when the remote object is gone (Terraform then plans to re-create it). */
  read(
    req: { state: ObjectValue; private?: Buffer },
    ctx: HandlerContext<P>,
  ): Promise<{ state: ObjectValue | null; private?: Buffer; diagnostics?: Diagnostic[] }>;
  update(
    req: { prior: ObjectValue; planned: ObjectValue; config: ObjectValue; plannedPrivate?: Buffer },
    ctx: HandlerContext<P>,
  ): Promise<{ state: ObjectValue; private?: Buffer; diagnostics?: Diagnostic[] }>;
  delete(req: { prior: ObjectValue; private?: Buffer }, ctx: HandlerContext<P>): Promise<{ diagnostics?: Diagnostic[] }>;
  /** `terraform import TYPE.NAME <id>`: return one or more partial states; ReadResource follows. */
  import?(id: string, ctx: HandlerContext<P>): Promise<{ state: ObjectValue; diagnostics?: Diagnostic[] }>;
  /** Upgrade a stored state written by an older schema version (raw JSON as stored). Without it, the
   * stored JSON is decoded against the current schema. */
  upgrade?(fromVersion: number, raw: Record<string, unknown>): ObjectValue;
}

export interface DataSourceType<P> {
  name: string;
  schema: Schema;
  validate?(config: ObjectValue, ctx: HandlerContext<P>): Diagnostic[] | Promise<Diagnostic[]>;
  read(config: ObjectValue, ctx: HandlerContext<P>): Promise<{ state: ObjectValue; diagnostics?: Diagnostic[] }>;
}

export interface ProviderDefinition<P> {
  /** Provider type name, e.g. `scim`. */
  typeName: string;
  schema: Schema;
  validateConfig?(config: ObjectValue): Diagnostic[] | Promise<Diagnostic[]>;
  /** May be called with Unknown values inside `config` during plan: return providerData undefined then
   * (handlers must cope) or whatever can be built from the known part. */
  configure(
    config: ObjectValue,
    ctx: { log: Logger; signal: AbortSignal },
  ): Promise<{ providerData: P | undefined; diagnostics?: Diagnostic[] }>;
  resources: ResourceType<P>[];
  dataSources: DataSourceType<P>[];
  /** Called on StopProvider and on shutdown: abort in-flight work, close connections. */
  stop?(): Promise<void>;
}
