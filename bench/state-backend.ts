// An in-memory Terraform state store served over HTTP on 127.0.0.1 (Terraform's `http` backend protocol:
// GET/POST/DELETE of the state document at one address, no locking), which the bench can also read and
// write directly (to merge shard states). Every bench workspace uses it: Terraform's local backend
// rewrites and fsyncs the whole state file after every resource (a 300-resource, 6 MB apply took 35.7 s
// locally vs 2.0 s here), while remote backends keep updates in memory and persist every 20 s.

import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StateBackend {
  /** The `terraform { backend "http" { ... } }` settings for one named state. */
  backendConfig(name: string): { address: string };
  /** Bytes of the stored state document, for diagnostics. */
  size(name: string): number;
  get(name: string): Buffer | undefined;
  put(name: string, document: Buffer): void;
  close(): Promise<void>;
}

export function startStateBackend(): Promise<StateBackend> {
  const states = new Map<string, Buffer>();
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').replace(/^\/state\//, '').split('?')[0]!);
    if (req.method === 'GET') {
      const body = states.get(name);
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length }).end(body);
      return;
    }
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        states.set(name, Buffer.concat(chunks));
        res.writeHead(200).end();
      });
      return;
    }
    if (req.method === 'DELETE') {
      states.delete(name);
      res.writeHead(200).end();
      return;
    }
    res.writeHead(405).end();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        backendConfig: (name) => ({ address: `http://127.0.0.1:${port}/state/${encodeURIComponent(name)}` }),
        size: (name) => states.get(name)?.length ?? 0,
        get: (name) => states.get(name),
        put: (name, document) => void states.set(name, document),
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
