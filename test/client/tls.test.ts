// HTTPS endpoints with a private CA: trusted through caFile, refused with a clear hint without it. The
// sandbox sits behind a small TLS pass-through so the SCIM answers are the real server's. A process whose
// default store the provider's launcher emptied trusts Node's bundled roots plus NODE_EXTRA_CA_CERTS (tls-trust.ts).
import * as os from 'node:os';
import * as path from 'node:path';
import { getProfile, ScimClient, type ProvisioningLogLine, type ScimClientOptions } from '../../providers/scim/client';
import { defaultTlsOptions, trustBundledRootsByDefault, trustNodeDefaultStore } from '../../providers/scim/client/tls-trust';
import { startTlsPassThrough, type TlsPassThrough } from '../support/tls-pass-through';
import { startClientSandbox, type ClientSandbox } from './client-sandbox';

let env: ClientSandbox;
let front: TlsPassThrough;
let endpoint: string;
let caFile: string;

beforeAll(async () => {
  env = await startClientSandbox();
  front = await startTlsPassThrough(env.sb.credentials.generic.baseUrl);
  endpoint = front.url;
  caFile = front.caFile;
});
afterAll(async () => {
  trustNodeDefaultStore();
  await front.stop();
  await env.stop();
});

const client = (extra: Partial<ScimClientOptions>) =>
  new ScimClient({ endpoint, auth: { kind: 'bearer', token: env.sb.credentials.generic.token }, profile: getProfile('generic'), maxRetries: 1, retryBaseDelayMs: 10, ...extra });

test('trusts a server certificate signed by the CA in caFile', async () => {
  const c = client({ caFile });
  try {
    expect((await c.capabilities()).discovered).toBe(true);
    expect(await c.findUser({ userName: 'nobody@example.com' })).toBeUndefined();
  } finally {
    await c.close();
  }
});

test('without caFile the untrusted certificate is refused with a hint, not retried', async () => {
  const attempts: ProvisioningLogLine[] = [];
  const c = client({ onLog: (l) => attempts.push(l) });
  try {
    const err = await c.capabilities().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SCIM_UNREACHABLE', message: expect.stringMatching(/TLS certificate is not trusted .*set ca_file/) });
    expect(attempts).toHaveLength(1);
  } finally {
    await c.close();
  }
});

test('a missing caFile is named in the error', () => {
  expect(() => client({ caFile: path.join(os.tmpdir(), 'no-such-ca.pem') })).toThrow(/cannot read CA file .*no-such-ca\.pem/);
});

describe('with the default store emptied by the launcher (client/tls-trust.ts)', () => {
  afterEach(() => trustNodeDefaultStore());

  test('the extra CA file handed on from NODE_EXTRA_CA_CERTS is trusted', async () => {
    trustBundledRootsByDefault(caFile);
    const c = client({});
    try {
      expect((await c.capabilities()).discovered).toBe(true);
    } finally {
      await c.close();
    }
  });

  test('without an extra CA file only the bundled roots are trusted: the private CA is refused', async () => {
    trustBundledRootsByDefault(undefined);
    const c = client({});
    try {
      const err = await c.capabilities().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'SCIM_UNREACHABLE', message: expect.stringMatching(/TLS certificate is not trusted .*set ca_file/) });
    } finally {
      await c.close();
    }
  });

  test('an unreadable extra CA file is a warning, as Node treats NODE_EXTRA_CA_CERTS, and the bundled roots still apply', async () => {
    const missing = path.join(os.tmpdir(), 'no-such-extra-ca.pem');
    const warnings: string[] = [];
    trustBundledRootsByDefault(missing, (m) => warnings.push(m));
    const c = client({});
    try {
      const err = await c.capabilities().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'SCIM_UNREACHABLE', message: expect.stringMatching(/not trusted/) });
      expect(warnings).toEqual([expect.stringContaining(`Ignoring extra certs from \`${missing}\``)]);
    } finally {
      await c.close();
    }
  });

  test('the authorities are parsed once per process: every connection shares one TLS context', () => {
    expect(defaultTlsOptions()).toBeUndefined(); // Node's default store: nothing to add
    trustBundledRootsByDefault(caFile);
    const first = defaultTlsOptions();
    expect(first?.secureContext).toBeDefined();
    expect(defaultTlsOptions()).toBe(first);
  });

  test('ca_file still replaces the default authorities', async () => {
    trustBundledRootsByDefault(undefined);
    const c = client({ caFile });
    try {
      expect((await c.capabilities()).discovered).toBe(true);
    } finally {
      await c.close();
    }
  });
});
