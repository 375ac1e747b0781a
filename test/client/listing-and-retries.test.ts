// Listing consistency and safe retries against the real sandbox: a tenant that changes while it is paged
// is read again (no account skipped), absence is confirmed by filter before any POST (no twin), a PATCH
// `remove` whose target is already gone (400 noTarget, first attempt or retry) is success, filter values
// with control characters round-trip, a refused read cache says so in the provisioning log, a per-call
// signal aborts that call's requests in flight while the client keeps working, and a group write carries
// If-Match so an edit made since the read is refused (412) instead of overwritten.
import type { ProvisioningLogLine } from '../../providers/scim/client';
import { startClientSandbox, type ClientSandbox } from './client-sandbox';

let env: ClientSandbox;

beforeAll(async () => {
  env = await startClientSandbox(11);
});
afterAll(() => env.stop());
beforeEach(async () => {
  await env.sb.admin.resetTenant('generic');
  await env.sb.admin.resetTenant('proxy');
});

const seed = async (tenant: 'generic' | 'proxy', names: string[]) => {
  const ids: string[] = [];
  for (const n of names) ids.push((await env.sb.admin.createUser(tenant, { userName: n })).id);
  return ids;
};

test('an account deleted while the listing is paged does not make the listing skip another one', async () => {
  const names = Array.from({ length: 6 }, (_, i) => `page${i}@example.com`);
  const ids = await seed('generic', names);
  // Pages of 2; the other admin deletes the first account once the first page is read (each page takes 300 ms
  // on the server, so the deletion lands before pages 2 and 3 are answered). page2 then shifts into page 1.
  await env.sb.admin.setFaults('generic', { maxPageSize: 2, latencyMs: 300 });
  const lines: ProvisioningLogLine[] = [];
  let deleted: Promise<void> | undefined;
  const client = env.client('generic', {
    connections: 1,
    onLog: (l) => {
      lines.push(l);
      if (l.action === 'list-users' && l.status === 200 && !deleted) deleted = env.sb.admin.deleteUser('generic', ids[0]);
    },
  });
  const listed = await client.listUsers();
  await deleted;
  await env.sb.admin.setFaults('generic', {});
  expect(listed.map((u) => u.userName).sort()).toEqual(names.slice(1));
  expect(lines.some((l) => /listing changed while it was paged \(totalResults went from 6 to 5\); reading it again/.test(l.detail ?? ''))).toBe(true);
});

test('a group created after the cache was filled is adopted by createGroup, never created twice', async () => {
  const client = env.client('proxy');
  expect(await client.findGroup({ displayName: 'Late' })).toBeUndefined(); // fills the cache: no "Late"
  const other = await env.sb.admin.createGroup('proxy', { displayName: 'late' });
  await env.sb.admin.clearRequestLog('proxy');
  const { group, adopted } = await client.createGroup({ displayName: 'Late' });
  expect(adopted).toBe(true);
  expect(group.id).toBe(other.id);
  expect((await env.sb.admin.requestLog('proxy')).filter((e) => e.method === 'POST')).toEqual([]);
  expect(await env.sb.admin.listGroups('proxy')).toHaveLength(1);
});

test('removing a member another admin already removed is success; the planned add still happens', async () => {
  const [a, b, c] = await seed('proxy', ['a@example.com', 'b@example.com', 'c@example.com']);
  const g = await env.sb.admin.createGroup('proxy', { displayName: 'Strict', members: [a, b] });
  await env.sb.admin.setFaults('proxy', { strictMemberRemove: true });
  await env.sb.admin.patchGroup('proxy', g.id, { members: [a] }); // b removed out of band
  const lines: ProvisioningLogLine[] = [];
  const client = env.client('proxy', { onLog: (l) => lines.push(l) });
  await client.updateGroupMembers(g.id, [c], [b]);
  const members = ((await env.sb.admin.getGroup('proxy', g.id)).members as { value: string }[]).map((m) => m.value).sort();
  expect(members).toEqual([a, c].sort());
  const patches = (await env.sb.admin.requestLog('proxy')).filter((e) => e.method === 'PATCH').map((e) => e.status);
  expect(patches).toEqual([400, 204]);
  expect(lines.some((l) => /noTarget: 1 member\(s\) to remove already gone/.test(l.detail ?? ''))).toBe(true);
});

test('a PATCH remove retried after a lost answer and refused with noTarget counts as done', async () => {
  const names = Array.from({ length: 10 }, (_, i) => `m${i}@example.com`);
  const ids = await seed('proxy', names);
  const g = await env.sb.admin.createGroup('proxy', { displayName: 'Flaky', members: ids });
  // Answers are lost after the write is applied (4 in 10); the server refuses removing a non-member.
  await env.sb.admin.setFaults('proxy', { strictMemberRemove: true, dropRate: 0.4, dropPhase: 'after' });
  const lines: ProvisioningLogLine[] = [];
  const client = env.client('proxy', { maxRetries: 10, onLog: (l) => lines.push(l) });
  for (const id of ids) await client.updateGroupMembers(g.id, [], [id]);
  await env.sb.admin.setFaults('proxy', {});
  expect((await env.sb.admin.getGroup('proxy', g.id)).members ?? []).toEqual([]);
  expect(lines.some((l) => l.status === 400 && /noTarget on a retry: the earlier attempt already applied this PATCH/.test(l.detail ?? ''))).toBe(true);
});

test('filter values with control characters and quotes find the right group', async () => {
  const name = 'Ops\t"night"\nshift \\ 1';
  const created = await env.sb.admin.createGroup('generic', { displayName: name });
  await env.sb.admin.createGroup('generic', { displayName: 'Ops' });
  const client = env.client('generic', { readCache: false });
  expect((await client.findGroup({ displayName: name }))?.id).toBe(created.id);
  const log = (await env.sb.admin.requestLog('generic')).filter((e) => e.path.startsWith('/Groups?filter='));
  expect(log.map((e) => e.status)).toEqual([200]);
  // Sent as a JSON string: no raw control character reaches the server (strict servers reject them).
  expect(log[0].path).toContain('displayName eq "Ops\\t\\"night\\"\\nshift \\\\ 1"');
});

test('a refused listing switches the read cache off with a provisioning-log line saying why', async () => {
  const [id] = await seed('generic', ['cache@example.com']);
  await env.sb.admin.setFaults('generic', { failNext: 1, failStatus: 400 });
  const lines: ProvisioningLogLine[] = [];
  const client = env.client('generic', { onLog: (l) => lines.push(l) });
  expect((await client.getUser(id))?.userName).toBe('cache@example.com');
  const refusal = lines.find((l) => l.action === 'cache-refused');
  expect(refusal?.detail).toMatch(/^read cache off for \/Users: the listing failed \(.*400.*\); every read now goes to the server by id or filter$/);
});

test('a per-call signal aborts that call in flight; the client keeps serving other calls', async () => {
  const [id] = await seed('generic', ['slow@example.com']);
  const client = env.client('generic', { readCache: false });
  await env.sb.admin.setFaults('generic', { latencyMs: 1000 });
  const call = new AbortController();
  const started = Date.now();
  const pending = client.withSignal(call.signal).getUser(id);
  setTimeout(() => call.abort(), 100);
  await expect(pending).rejects.toMatchObject({ code: 'SCIM_ABORTED' });
  expect(Date.now() - started).toBeLessThan(800);
  await expect(client.withSignal(call.signal).getUser(id)).rejects.toMatchObject({ code: 'SCIM_ABORTED' });
  await env.sb.admin.setFaults('generic', {});
  expect((await client.getUser(id))?.userName).toBe('slow@example.com');
});

test('a group write carries If-Match of the version read: an edit made since is refused with 412, not overwritten', async () => {
  const client = env.client('generic');
  const { group } = await client.createGroup({ displayName: 'Versioned', externalId: 'v-1' });
  const read = (await client.getGroup(group.id!, { fresh: true, excludeMembers: true }))!;
  expect(read.meta?.version).toBeTruthy();
  await env.sb.admin.patchGroup('generic', group.id!, { externalId: 'edited-by-admin' });
  const err = await client.updateGroup(group.id!, read, { ...read, displayName: 'Versioned 2' }, { ifMatch: read.meta!.version }).catch((e: unknown) => e);
  expect(err).toMatchObject({ status: 412 });
  expect(await env.sb.admin.getGroup('generic', group.id!)).toMatchObject({ displayName: 'Versioned', externalId: 'edited-by-admin' });
  const again = (await client.getGroup(group.id!, { fresh: true, excludeMembers: true }))!;
  await client.updateGroup(group.id!, again, { ...again, displayName: 'Versioned 2' }, { ifMatch: again.meta!.version });
  expect(await env.sb.admin.getGroup('generic', group.id!)).toMatchObject({ displayName: 'Versioned 2', externalId: 'edited-by-admin' });
});
