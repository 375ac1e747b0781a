// The transport loads undici's Pool and `request` from their own modules (providers/scim/client/undici-pool.ts):
// they must be the very ones undici's index exports, or an undici upgrade has moved them.
import * as undici from 'undici';
import { createPool } from '../../providers/scim/client/undici-pool';

test("createPool makes undici's Pool, and the request module is the request method undici gives every pool", async () => {
  const pool = createPool('http://127.0.0.1:9', { connections: 1 });
  expect(pool).toBeInstanceOf(undici.Pool);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(require('undici/lib/api/api-request')).toBe(pool.request);
  await pool.close();
});

test("the provider bundle carries undici's Pool and nothing of its fetch, WebSocket, cookies or mocks", async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { bundleProvider } = require('../../scripts/build-provider') as typeof import('../../scripts/build-provider');
  const { program } = await bundleProvider({ minify: false, codeCache: false });
  // esbuild marks each bundled module with a `// path` comment line.
  const undiciModules = [...program.matchAll(/^\/\/ node_modules\/undici\/(\S+)$/gm)].map((m) => m[1]!);
  expect(undiciModules).toContain('lib/dispatcher/pool.js');
  expect(undiciModules).toContain('lib/api/api-request.js');
  // (The Pool's body mixin brings fetch's Body and FormData helpers, but not fetch itself.)
  const unused = /^(index\.js|lib\/(mock|cache|interceptor)\/|lib\/web\/(websocket|cookies|eventsource|cache)\/|lib\/web\/fetch\/index\.js)/;
  expect(undiciModules.filter((m) => unused.test(m))).toEqual([]);
});
