// Entry point of the terraform-provider-scim binary (bundled into one file by scripts/build-provider.ts).
import { setFlagsFromString } from 'node:v8';
import { serve } from './plugin/serve';
import { runMain } from './plugin/startup-snapshot';
import { prepareStaticResponses } from './plugin/static-responses';
import { createScimProvider } from './provider';
import { version } from '../../package.json';
import { trustBundledRootsByDefault } from './client/tls-trust';
import { launcherTrust } from './launch-trust';

/**
 * The old generation grows 50 % past what the last full GC kept before the next one, instead of V8's up to 4×: a
 * provider makes mostly garbage (a roster call's copies die with the call), and the heap grew to ~4× what was alive.
 * bench/roster-repro.ts, 10,000 people in 8 rosters: first apply 318 → 192 MiB, no-op plan 220 → 144 MiB, for
 * ~5 % more provider CPU in the apply; 20 % gave the same peaks for 27 % more (docs/guides/rosters.md "Provider
 * memory"). Set per process, not on node's command line, where Node would refuse the start-up snapshot. (Not
 * exported: an export from the entry would make the bundle refer to `module`, which a snapshot build lacks.)
 */
const V8_RUNTIME_FLAGS = '--heap-growing-percent=50';

// Building a start-up snapshot: encode GetProviderSchema/GetMetadata once, for every process started from it.
void prepareStaticResponses(createScimProvider);
runMain(() => {
  setFlagsFromString(V8_RUNTIME_FLAGS);
  const trust = launcherTrust(process.env);
  if (trust) trustBundledRootsByDefault(trust.extraCaFile);
  void serve(createScimProvider(), { version, address: 'scimform/scim' });
});
