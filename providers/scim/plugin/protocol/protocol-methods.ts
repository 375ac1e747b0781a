// The method table of a gRPC service as the server registers it (name, message types, streaming), read
// from a protobufjs Service. Shared by protocol-root.ts and the provider bundle's prebuilt protocol module
// (scripts/build-provider.ts), which must not load protobufjs before the handshake.
import type * as protobuf from 'protobufjs';

/** One RPC as the gRPC server registers it; message types are fully qualified ('.tfplugin6.Schema'). */
export interface ProtocolMethod {
  name: string;
  requestType: string;
  responseType: string;
  requestStream: boolean;
  responseStream: boolean;
}

/** The methods of one service, message types resolved. */
export function describeMethods(service: protobuf.Service): ProtocolMethod[] {
  return service.methodsArray.map((m) => {
    m.resolve();
    return {
      name: m.name,
      requestType: m.resolvedRequestType!.fullName,
      responseType: m.resolvedResponseType!.fullName,
      requestStream: !!m.requestStream,
      responseStream: !!m.responseStream,
    };
  });
}
