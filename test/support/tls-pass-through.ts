// A TLS front for a plain-HTTP test server: an https server on 127.0.0.1 (port 0) with a fresh self-signed
// certificate for `localhost` (a private CA nobody trusts by default) that forwards every request to the
// target and streams the answer back, so tests of https endpoints see the real server's SCIM answers.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateServerCertificate } from '../../providers/scim/plugin/auto-mtls';

export interface TlsPassThrough {
  /** `https://localhost:PORT` + the target URL's path. */
  url: string;
  /** PEM file of the certificate that signs the front (its own CA). */
  caFile: string;
  stop(): Promise<void>;
}

/** Serves `target` (an http:// URL; its path is kept) over https on a loopback port. */
export async function startTlsPassThrough(target: string): Promise<TlsPassThrough> {
  const cert = generateServerCertificate(1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-tls-front-'));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, cert.certPem);
  const upstreamUrl = new URL(target);
  const server = https.createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
    const upstream = http.request(
      { host: upstreamUrl.hostname, port: upstreamUrl.port, path: req.url, method: req.method, headers: req.headers, agent: false },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://localhost:${port}${upstreamUrl.pathname.replace(/\/+$/, '')}`,
    caFile,
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
