// Loads our protocol declarations (tfplugin6, go-plugin services, health) into a protobufjs Root.
// From source (tests, ts-node) the .proto files are parsed at run time; the provider bundle replaces
// this module with a prebuilt JSON descriptor (scripts/build-provider.ts) so start-up skips parsing.
import * as path from 'node:path';
import * as protobuf from 'protobufjs';

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
