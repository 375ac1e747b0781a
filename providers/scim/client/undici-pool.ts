// The two parts of undici the HTTP transport uses (the connection Pool and its `request` call), loaded when
// the first Pool is made, from their own modules rather than from undici's index, and the V8 setting that
// keeps undici's first response cheap (WASM_TIERING_BUDGET).
// - undici's index evaluates all of undici (fetch, WebSocket, EventSource, cookies, caches, mocks: ~110
//   modules), and its cookie module's `globalThis.Headers` check loads Node's own bundled undici as well:
//   ~85 ms of CPU in every provider process that makes a SCIM call, for code we never run. undici has no
//   "exports" map, so these paths are public to `require`; the types are undici's own.
//   test/client/undici-pool.test.ts fails if an undici upgrade moves them.
// - Loading on first use keeps undici out of the provider's start-up snapshot (client-loader.ts): Node 20
//   cannot build one with it (undici requires node:http, which fails in `node --build-snapshot`).
import * as v8 from 'node:v8';
import type { Dispatcher, Pool } from 'undici';

export type { Pool };

type RequestFn = (this: Dispatcher, opts: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
let undici: { Pool: typeof Pool; request: RequestFn } | undefined;

/**
 * V8's budget (roughly bytes of WebAssembly executed per function) before it recompiles a hot WebAssembly
 * function with its optimizing compiler; V8's default is 1,800,000. undici parses HTTP with llhttp compiled
 * to WebAssembly, and at the default its huge parse function is recompiled during the very first response:
 * ~0.1 s of CPU in every provider process that makes a SCIM call, more than the rest of a one-user plan's
 * SCIM work. At 100,000,000 a short run stays on V8's baseline code (fast enough for a few responses),
 * while a long one (a roster of thousands, a big group read) still gets the optimized parser after a few
 * MB of responses. It applies to every WebAssembly module in the process; llhttp is the provider's only one.
 */
export const WASM_TIERING_BUDGET = 100_000_000;

function load(): NonNullable<typeof undici> {
  if (!undici) {
    // Before undici compiles llhttp (at its first connection).
    v8.setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
    undici = {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      Pool: require('undici/lib/dispatcher/pool') as typeof Pool,
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      request: require('undici/lib/api/api-request') as RequestFn,
    };
  }
  return undici;
}

/** `new Pool(origin, options)` of undici. */
export function createPool(origin: string, options: Pool.Options): Pool {
  return new (load().Pool)(origin, options);
}

/** `pool.request(opts)` of undici's full build (its index adds `request` to every dispatcher's prototype). */
export function poolRequest(pool: Pool, opts: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
  return load().request.call(pool, opts);
}
