// The two parts of undici the HTTP transport uses (the connection Pool and its `request` call), loaded from
// their own modules rather than from undici's index. The index evaluates all of undici (fetch, WebSocket,
// EventSource, cookies, caches, mocks: ~110 modules), and its cookie module's `globalThis.Headers` check
// loads Node's own bundled copy of undici as well: ~85 ms of CPU in every provider process that makes a
// SCIM call, for code we never run. undici has no "exports" map, so these paths are public to `require`;
// the types are undici's own. test/client/undici-pool.test.ts checks that they are still what the index
// exports, so an undici upgrade that moves them fails there.
import type { Dispatcher, Pool as UndiciPool } from 'undici';

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const Pool = require('undici/lib/dispatcher/pool') as typeof UndiciPool;
export type Pool = UndiciPool;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const apiRequest = require('undici/lib/api/api-request') as (this: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;

/** `pool.request(opts)` of undici's full build (the index adds `request` to every dispatcher's prototype). */
export function poolRequest(pool: Pool, opts: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return apiRequest.call(pool, opts);
}
