// Entry point of the terraform-provider-scim binary (bundled into one file by scripts/build-provider.ts).
import { serve } from './plugin/serve';
import { runMain } from './plugin/startup-snapshot';
import { createScimProvider } from './provider';
import { version } from '../../package.json';

runMain(() => void serve(createScimProvider(), { version, address: 'scimform/scim' }));
