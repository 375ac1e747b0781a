// Jest globalSetup: builds and installs the scim provider into .scimform/mirror once for the whole run,
// before any worker starts, so that no suite rebuilds it while another one's terraform runs from it.
// Lock files under the repo that pin an older build of this version are refreshed here, once.
// It also takes NODE_EXTRA_CA_CERTS out of the run's environment (workers and every process they start
// inherit it): Node parses that file at each start-up (~85 ms of CPU per process on the 2-core test
// machine, ~250 scimform and synth processes per run), and no test talks to anything but loopback servers
// with certificates of their own. The tests about the variable set it themselves
// (test/provider/extra-ca-certs.test.ts).
import { installProvider } from '../../scripts/install-provider';

export default async function globalSetup(): Promise<void> {
  delete process.env.NODE_EXTRA_CA_CERTS;
  await installProvider({ skipIfCurrent: true });
}
