// Jest globalSetup: builds and installs the scim provider into .scimform/mirror once for the whole run,
// before any worker starts, so that no suite rebuilds it while another one's terraform runs from it.
// Lock files under the repo that pin an older build of this version are refreshed here, once.
import { installProvider } from '../../scripts/install-provider';

export default async function globalSetup(): Promise<void> {
  await installProvider({ skipIfCurrent: true });
}
