// The provider's entry decision: run `main` now, or, while Node builds a start-up snapshot of the bundle
// (`node --build-snapshot`, scripts/startup-snapshot.ts), warm what a snapshot can keep (the evaluated
// modules, the protobuf message types) and make `main` the snapshot's main function. Everything that
// must be fresh per process (environment, AutoMTLS key and certificate, the listening socket, node:http2
// and node:tls, which Node 20 cannot snapshot) happens in `main`.
import * as v8 from 'node:v8';
import { loadProtocolRoot } from './protocol/protocol-root';

export function runMain(main: () => void): void {
  const snapshot = v8.startupSnapshot;
  if (snapshot?.isBuildingSnapshot()) {
    // Every message type's encoder, decoder and converters, which protobufjs otherwise generates (source
    // text, then `new Function`) in each process at the first message of that type: up to ~50 ms of CPU in
    // a provider process that configures and applies (bench/terraform-cpu.ts).
    setUpMessageTypes(loadProtocolRoot());
    snapshot.setDeserializeMainFunction(main);
  } else {
    main();
  }
}

/** Generates the code of every message type below `namespace` (protobufjs `Type#setup`). */
function setUpMessageTypes(namespace: { nestedArray?: unknown[] }): void {
  for (const nested of namespace.nestedArray ?? []) {
    const type = nested as { nestedArray?: unknown[]; fieldsArray?: unknown; setup?: () => unknown };
    if (type.fieldsArray !== undefined && typeof type.setup === 'function') type.setup();
    setUpMessageTypes(type);
  }
}
