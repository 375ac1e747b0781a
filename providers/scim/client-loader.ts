// Loads the SCIM client stack (layer 2: the ScimClient with undici, the zod parsers, comparison rules)
// the first time layer 3 needs it (Terraform configures the provider, or a resource compares users),
// not at start-up: many provider processes only answer GetProviderSchema and validation calls. esbuild
// bundles a `require()` of an ES module as a lazily evaluated module, so none of it runs before the
// first call. Light parts of layer 2 (errors, profiles, SCIM URNs) are imported directly instead.
// While Node builds the provider's start-up snapshot (scripts/startup-snapshot.ts), layer 2 is evaluated
// at once instead, so the snapshot holds it: a provider started from the snapshot pays for neither
// (layer 2 reads no environment, opens no socket and starts no timer when it is loaded).
import * as v8 from 'node:v8';
import type * as ScimClientModule from './client';

let loaded: typeof ScimClientModule | undefined;

export function loadScimClient(): typeof ScimClientModule {
  loaded ??= require('./client') as typeof ScimClientModule;
  return loaded;
}

if (v8.startupSnapshot?.isBuildingSnapshot()) loadScimClient();
