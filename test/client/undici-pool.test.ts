// The transport loads undici's Pool and `request` from their own modules, on first use
// (providers/scim/client/undici-pool.ts): they must be the very ones undici's index exports, the provider
// bundle must carry nothing else of undici, and layer 2 must stay loadable into the provider's start-up
// snapshot (which Node 20 cannot build once undici is loaded).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as undici from 'undici';
import { createPool } from '../../providers/scim/client/undici-pool';
import { bundleProvider, type Bundle } from '../../scripts/build-provider';
import { buildStartupSnapshot } from '../../scripts/startup-snapshot';

let bundle: Bundle;
beforeAll(async () => {
  bundle = await bundleProvider({ minify: false, codeCache: false });
});

test("createPool makes undici's Pool, and the request module is the request method undici gives every pool", async () => {
  const pool = createPool('http://127.0.0.1:9', { connections: 1 });
  expect(pool).toBeInstanceOf(undici.Pool);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  expect(require('undici/lib/api/api-request')).toBe(pool.request);
  await pool.close();
});

test("the provider bundle carries undici's Pool and nothing of its fetch, WebSocket, cookies or mocks", () => {
  // esbuild marks each bundled module with a `// path` comment line.
  const undiciModules = [...bundle.program.matchAll(/^\/\/ node_modules\/undici\/(\S+)$/gm)].map((m) => m[1]!);
  expect(undiciModules).toContain('lib/dispatcher/pool.js');
  expect(undiciModules).toContain('lib/api/api-request.js');
  // (The Pool's body mixin brings fetch's Body and FormData helpers, but not fetch itself.)
  const unused = /^(index\.js|lib\/(mock|cache|interceptor)\/|lib\/web\/(websocket|cookies|eventsource|cache)\/|lib\/web\/fetch\/index\.js)/;
  expect(undiciModules.filter((m) => unused.test(m))).toEqual([]);
});

test('the provider start-up snapshot builds with layer 2 evaluated in it (undici is not loaded before the first Pool)', () => {
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-snapshot-'));
  try {
    const built = buildStartupSnapshot(bundle, { cacheDir });
    expect(built.skipped).toBeUndefined();
    expect(fs.existsSync(built.blob!)).toBe(true);
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}, 120_000);
