// Loads our protocol declarations (tfplugin6, go-plugin services, health) into a protobufjs Root, and
// lists the services' methods. From source (tests, ts-node) the .proto files are parsed at run time; the
// provider bundle replaces this module with a prebuilt JSON descriptor and a prebuilt method table
// (scripts/build-provider.ts), so start-up skips parsing and the handshake does not wait for the Root.
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import { describeMethods, type ProtocolMethod } from './protocol-methods';

export { describeMethods, type ProtocolMethod } from './protocol-methods';

export const PROTOCOL_FILES = ['tfplugin6.proto', 'go-plugin.proto', 'health.proto'];

/** Parses the .proto files next to this module (keeping snake_case field names). */
export function parseProtocolFiles(dir: string = __dirname): protobuf.Root {
  const root = new protobuf.Root();
  root.loadSync(
    PROTOCOL_FILES.map((f) => path.join(dir, f)),
    { keepCase: true },
  );
  root.resolveAll();
  return root;
}

let cached: protobuf.Root | undefined;

export function loadProtocolRoot(): protobuf.Root {
  cached ??= parseProtocolFiles();
  return cached;
}

/** The methods of every service in `root`, by fully qualified service name ('tfplugin6.Provider'). */
export function serviceMethods(root: protobuf.Root): Record<string, ProtocolMethod[]> {
  const services: Record<string, ProtocolMethod[]> = {};
  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Service) services[nested.fullName.replace(/^\./, '')] = describeMethods(nested);
      if (nested instanceof protobuf.Namespace) visit(nested);
    }
  };
  visit(root);
  return services;
}

let cachedServices: Record<string, ProtocolMethod[]> | undefined;

/** The methods of our protocol's services (what the gRPC server needs before any message is decoded). */
export function protocolServices(): Record<string, ProtocolMethod[]> {
  cachedServices ??= serviceMethods(loadProtocolRoot());
  return cachedServices;
}
