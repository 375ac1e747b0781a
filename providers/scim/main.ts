// Entry point of the terraform-provider-scim binary (bundled into one file by scripts/build-provider.ts).
import { serve } from './plugin/serve';
import { runMain } from './plugin/startup-snapshot';
import { prepareStaticResponses } from './plugin/static-responses';
import { createScimProvider } from './provider';
import { version } from '../../package.json';

// Building a start-up snapshot: encode GetProviderSchema/GetMetadata once, for every process started from it.
void prepareStaticResponses(createScimProvider);
runMain(() => void serve(createScimProvider(), { version, address: 'scimform/scim' }));
