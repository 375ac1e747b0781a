// NODE_EXTRA_CA_CERTS through the real terraform binary: the provider's launcher empties it for node (Node
// would parse the file at every start-up) and the provider trusts that file itself for https endpoints
// (providers/scim/launch-trust.ts). Users who trust a private CA that way see the same behaviour as before:
// trusted with the variable, refused with a hint without it, and the same without the start-up snapshot.
import * as fs from 'node:fs';
import { hclWithProvider, output, startTestSandbox, workdir, type TestSandbox, type Workdir } from './tf-fixture';
import { startTlsPassThrough, type TlsPassThrough } from '../support/tls-pass-through';
import { ensureProviderInstalled } from '../support/terraform';
import { launcherBuild } from '../../scripts/build-provider';
import { usableSnapshot } from '../../scripts/startup-snapshot';
import { BUNDLED_CA_MARKER_SUFFIX, defaultsToBundledRoots } from '../../providers/scim/launch-trust';

let sb: TestSandbox;
let front: TlsPassThrough;
let wd: Workdir;

beforeAll(async () => {
  sb = await startTestSandbox();
  front = await startTlsPassThrough(sb.credentials.generic.baseUrl);
  const provider = `provider "scim" {\n  endpoint    = "${front.url}"\n  token       = "${sb.credentials.generic.token}"\n  max_retries = 0\n}`;
  wd = await workdir(hclWithProvider(provider, 'data "scim_users" "all" {}\n\noutput "count" {\n  value = length(data.scim_users.all.users)\n}'));
  await wd.init();
});

afterAll(async () => {
  await wd?.cleanup();
  await front?.stop();
  await sb?.stop();
});

const plan = (env: Record<string, string>) => wd.run(['plan', '-no-color', '-input=false', '-lock=false'], env);

test('a private CA named by NODE_EXTRA_CA_CERTS is trusted by the provider Terraform starts', async () => {
  const [trusted, refused, withoutSnapshot] = await Promise.all([
    plan({ NODE_EXTRA_CA_CERTS: front.caFile }),
    plan({ NODE_EXTRA_CA_CERTS: '' }),
    plan({ NODE_EXTRA_CA_CERTS: front.caFile, SCIMFORM_NO_SNAPSHOT: '1' }),
  ]);
  expect(output(trusted)).toContain('count = 0');
  expect(trusted.code).toBe(0);
  expect(output(withoutSnapshot)).toContain('count = 0');
  expect(withoutSnapshot.code).toBe(0);
  expect(refused.code).not.toBe(0);
  expect(output(refused)).toMatch(/TLS certificate is not trusted .*set ca_file/);
});

test("the case above ran the launcher's own path: the snapshot, with the store emptied where this node trusts its bundled roots", async () => {
  const { executable } = await ensureProviderInstalled();
  const blob = usableSnapshot(launcherBuild(fs.readFileSync(executable, 'utf8'))!);
  expect(blob).toBeDefined();
  expect(fs.existsSync(blob + BUNDLED_CA_MARKER_SUFFIX)).toBe(defaultsToBundledRoots(process.config as never));
});
