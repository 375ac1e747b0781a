// The scim_user handlers run their SCIM requests under the call's own signal (HandlerContext.signal): a call
// Terraform cancels (a cancelled RPC, StopProvider) stops its request in flight at once, even though the
// provider's client is shared with other calls that go on. Asserted against a slow sandbox.
import { getProfile, type ScimUser } from '../../providers/scim/client';
import type { HandlerContext, ObjectValue } from '../../providers/scim/plugin/provider-definition';
import type { ScimProviderData } from '../../providers/scim/provider-config';
import { userResource } from '../../providers/scim/resources/user-resource';
import { startClientSandbox, type ClientSandbox } from '../client/client-sandbox';

const LATENCY_MS = 3000;
let env: ClientSandbox;
let slowUntil = 0;

beforeAll(async () => {
  env = await startClientSandbox();
});
afterAll(async () => {
  await env?.sb.admin.setFaults('generic', {}).catch(() => undefined);
  // The sandbox still answers the request the provider gave up on; let it finish so nothing outlives the suite.
  const wait = slowUntil - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  await env?.stop();
});

const quiet = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

test('a cancelled read stops its request in flight; the shared client keeps working for other calls', async () => {
  const client = env.client('generic', { readCache: false });
  const { user } = await client.createUser({ userName: 'slow.read@example.com' } as ScimUser);
  const providerData: ScimProviderData = { client, profile: getProfile('generic'), endpoint: client.endpoint, onDestroy: 'deactivate' };
  const call = new AbortController();
  const ctx: HandlerContext<ScimProviderData> = { signal: call.signal, log: quiet, providerData };
  const state: ObjectValue = { id: user.id ?? null, user_name: 'slow.read@example.com' };

  await env.sb.admin.setFaults('generic', { latencyMs: LATENCY_MS });
  const started = Date.now();
  setTimeout(() => call.abort(new Error('the operation was cancelled')), 200);
  const res = await userResource.read!({ state }, ctx);
  const took = Date.now() - started;
  slowUntil = Date.now() + LATENCY_MS + 500;
  await env.sb.admin.setFaults('generic', {});

  expect(took).toBeLessThan(LATENCY_MS - 1000);
  expect(res.state).toEqual(state); // nothing learnt: the state stays as it was
  expect(res.diagnostics?.map((d) => `${d.summary} ${d.detail}`).join('\n')).toMatch(/Cannot read SCIM user .*slow\.read@example\.com[\s\S]*aborted/);
  // Another call with its own (live) signal still reads through the same client.
  const other = await userResource.read!({ state }, { ...ctx, signal: new AbortController().signal });
  expect(other.state?.user_name).toBe('slow.read@example.com');
}, 20_000);
