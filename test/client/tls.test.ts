// HTTPS endpoints with a private CA: trusted through caFile, refused with a clear hint without it. The
// sandbox sits behind a small TLS pass-through so the SCIM answers are the real server's.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { getProfile, ScimClient, type ProvisioningLogLine, type ScimClientOptions } from '../../providers/scim/client';
import { generateServerCertificate } from '../../providers/scim/plugin/auto-mtls';
import { startClientSandbox, type ClientSandbox } from './client-sandbox';

let env: ClientSandbox;
let tlsServer: https.Server;
let dir: string;
let endpoint: string;
let caFile: string;

beforeAll(async () => {
  env = await startClientSandbox();
  const cert = generateServerCertificate(1);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-client-tls-'));
  caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, cert.certPem);
  const target = new URL(env.sb.url);
  tlsServer = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent: false }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  const port = (tlsServer.address() as { port: number }).port;
  endpoint = `https://localhost:${port}${new URL(env.sb.credentials.generic.baseUrl).pathname}`;
});
afterAll(async () => {
  tlsServer.closeAllConnections();
  await new Promise((r) => tlsServer.close(r));
  await env.stop();
  fs.rmSync(dir, { recursive: true, force: true });
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
