// The provider's entry decision: run `main` now, or, while Node builds a start-up snapshot of the bundle
// (`node --build-snapshot`, scripts/startup-snapshot.ts), warm what a snapshot can keep (the evaluated
// modules; static-responses.ts sets up the protobuf message types) and make `main` the snapshot's main
// function. Everything that must be fresh per process (environment, AutoMTLS key and certificate, the listening socket, node:http2
// and node:tls, which Node 20 cannot snapshot) happens in `main`.
import * as v8 from 'node:v8';
import { loadProtocolRoot } from './protocol/protocol-root';

export function runMain(main: () => void): void {
  const snapshot = v8.startupSnapshot;
  if (snapshot?.isBuildingSnapshot()) {
    loadProtocolRoot();
    snapshot.setDeserializeMainFunction(main);
  } else {
    main();
  }
}
