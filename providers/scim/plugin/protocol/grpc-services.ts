// Turns services of the protobufjs Root into gRPC service definitions (the shape @grpc/grpc-js's clients
// take, declared here so that grpc-js stays a test-only package): protobufjs encodes and decodes the messages; our node:http2 server (grpc-server.ts) carries
// them in the provider, and grpc-js's client in the tests. Requests reach handlers as decoded protobufjs messages
// (snake_case fields, unset message fields null); responses are plain objects checked by fromObject.
// A definition needs only the method table; each message type is looked up in the Root when the first
// message of that type is encoded or decoded, so registering services does not build the Root.
import type * as protobuf from 'protobufjs';
import { describeMethods, loadProtocolRoot, protocolServices, type ProtocolMethod } from './protocol-root';

export type ServiceName = 'tfplugin6.Provider' | 'plugin.GRPCController' | 'plugin.GRPCStdio' | 'plugin.GRPCBroker' | 'grpc.health.v1.Health';

/** A decoded protobuf message: fields by their .proto names. */
export type Message = Record<string, any>;

/** A response whose bytes are already known (static-responses.ts): sent as they are. */
export class EncodedMessage {
  constructor(readonly bytes: Buffer) {}
}

function messageCodec(lookup: () => protobuf.Type) {
  let type: protobuf.Type | undefined;
  const resolved = () => (type ??= lookup());
  return {
    serialize: (value: Message): Buffer => {
      if (value instanceof EncodedMessage) return value.bytes;
      const t = resolved();
      return Buffer.from(t.encode(t.fromObject(value)).finish());
    },
    deserialize: (bytes: Buffer): Message => resolved().decode(bytes) as unknown as Message,
  };
}

/** One method of a service definition (structurally grpc-js's MethodDefinition). */
export interface MethodDefinition {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestSerialize(value: Message): Buffer;
  requestDeserialize(bytes: Buffer): Message;
  responseSerialize(value: Message): Buffer;
  responseDeserialize(bytes: Buffer): Message;
  originalName: string;
}

/** A service's methods by name (what grpc-js's makeGenericClientConstructor takes). */
export type ServiceDefinition = Record<string, MethodDefinition>;

/** The gRPC definition of service `name`; message types come from `root` (default: our protocol). */
export function serviceDefinition(name: ServiceName, root?: protobuf.Root): ServiceDefinition {
  const methods: ProtocolMethod[] | undefined = root ? describeMethods(root.lookupService(name)) : protocolServices()[name];
  if (!methods) throw new Error(`The protocol declares no service ${name}`);
  const typeRoot = () => root ?? loadProtocolRoot();
  const definition: ServiceDefinition = {};
  for (const method of methods) {
    const req = messageCodec(() => typeRoot().lookupType(method.requestType));
    const res = messageCodec(() => typeRoot().lookupType(method.responseType));
    definition[method.name] = {
      path: `/${name}/${method.name}`,
      requestStream: method.requestStream,
      responseStream: method.responseStream,
      requestSerialize: req.serialize,
      requestDeserialize: req.deserialize,
      responseSerialize: res.serialize,
      responseDeserialize: res.deserialize,
      originalName: method.name,
    };
  }
  return definition;
}

/** int64 fields decode as numbers or Long objects depending on the runtime; read them as numbers. */
export function int64ToNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  if (value && typeof (value as { toNumber?: unknown }).toNumber === 'function') {
    return (value as { toNumber(): number }).toNumber();
  }
  return 0;
}

/** bytes fields decode as Buffer or Uint8Array; empty means absent. */
export function bytesOrUndefined(value: unknown): Buffer | undefined {
  if (value instanceof Uint8Array && value.length > 0) {
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return undefined;
}
