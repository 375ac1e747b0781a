// A group of 300 members (SCIMFORM_LARGE_GROUP_N) with the real terraform binary: planning and applying it costs a handful of
// requests (listings and PATCH batches), never one request per member; a no-op plan is exactly one read of the
// group; a change of 10 members is one PATCH; `member_batch_size` sets the batches. (Why not 7,000:
// Terraform's own apply-time check of a large set attribute grows quadratically; 7,000 members are measured with
// the keyed form `member_ids` by the bench's large-group phase and tested at 250 in keyed-group.test.ts; see
// docs/guides/rosters.md, "Groups at size".)
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import type { TerraformWorkdir } from '../support/terraform';
import type { RequestLogEntry } from '../../sandbox';
import { config, initialised, memberIds, output, providerBlock, requests, seedUsers, writes } from './group-fixture';

// SCIMFORM_LARGE_GROUP_N measures other sizes with the same assertions (the figures in docs/guides/rosters.md).
// 300 is the smallest size at which the last test's 300 replaced members are the whole group and still need
// 3 PATCHes of member_batch_size = 250 (600 operations), where the default batch of 100 would need 6.
const N = Number(process.env.SCIMFORM_LARGE_GROUP_N ?? 300);

let sb: TestSandbox;
let wd: TerraformWorkdir;
let ids: string[];
let groupId: string;

const body = (members: string[]) => `resource "scim_group" "everyone" {
  display_name = "Everyone"
  members = [
${members.map((m) => `    "${m}",`).join('\n')}
  ]
}
`;

/** Requests addressed to one user or group by id (what "one request per member" would look like). */
const perResource = (log: RequestLogEntry[]) => log.filter((e) => /^\/(Users|Groups)\/[^/?]+/.test(e.path) && e.method === 'GET');

beforeAll(async () => {
  sb = await startTestSandbox();
  ids = await seedUsers(
    sb,
    'generic',
    Array.from({ length: N + 300 }, (_, i) => `bulk-${String(i).padStart(4, '0')}@example.com`),
  );
  wd = await initialised(config(providerBlock(sb, 'generic'), body(ids.slice(0, N))));
});

afterAll(async () => {
  await wd?.cleanup();
  await sb?.stop();
});

test(`plan of a new ${N}-member group reads listings, not each member`, async () => {
  await sb.admin.clearRequestLog('generic');
  const r = await wd.plan();
  expect(output(r)).not.toMatch(/Error/);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
  const log = await sb.admin.requestLog('generic');
  expect(log.length).toBeLessThan(20);
  expect(perResource(log)).toEqual([]);
});

test(`apply creates it with one POST and ${Math.ceil(N / 100)} PATCH batches of 100 members`, async () => {
  await sb.admin.clearRequestLog('generic');
  const r = await wd.apply();
  expect(output(r)).not.toMatch(/Error/);
  expect(r.code).toBe(0);
  const log = await sb.admin.requestLog('generic');
  expect(requests(log, 'POST', '/Groups')).toHaveLength(1);
  expect(requests(log, 'PATCH', '/Groups')).toHaveLength(Math.ceil(N / 100));
  expect(log.length).toBeLessThan(30 + Math.ceil(N / 100));
  groupId = (await sb.admin.listGroups('generic'))[0].id;
  expect(await memberIds(sb, 'generic', groupId)).toEqual(ids.slice(0, N).sort());
});

test(`a no-op plan of the ${N}-member group is one read of the group: one GET /Groups listing, nothing else`, async () => {
  await sb.admin.clearRequestLog('generic');
  const r = await wd.plan(['-detailed-exitcode']);
  expect(output(r)).toContain('No changes.');
  expect(r.code).toBe(0);
  const log = await sb.admin.requestLog('generic');
  expect(log.map((e) => `${e.method} ${e.path.split('?')[0]}`)).toEqual(['GET /Groups']);
});

test('a change of 10 members (5 out, 5 in) is one PATCH', async () => {
  const next = [...ids.slice(5, N), ...ids.slice(N, N + 5)];
  wd.setHcl(config(providerBlock(sb, 'generic'), body(next)));
  await sb.admin.clearRequestLog('generic');
  const r = await wd.apply();
  expect(output(r)).toContain('0 added, 1 changed, 0 destroyed');
  const log = await sb.admin.requestLog('generic');
  expect(writes(log).map((e) => `${e.method} ${e.path}`)).toEqual([`PATCH /Groups/${groupId}`]);
  expect(await memberIds(sb, 'generic', groupId)).toEqual([...next].sort());
  ids = [...next, ...ids.slice(0, 5), ...ids.slice(N + 5)];
});

test('replacing 300 members with member_batch_size = 250 sends 3 PATCH requests, each adding and removing', async () => {
  // ids now starts with the N current members, then 300 others.
  const next = [...ids.slice(300, N), ...ids.slice(N, N + 300)];
  wd.setHcl(config(providerBlock(sb, 'generic', { extra: '  member_batch_size = 250\n' }), body(next)));
  await sb.admin.clearRequestLog('generic');
  const r = await wd.apply();
  expect(output(r)).toContain('0 added, 1 changed, 0 destroyed');
  const log = await sb.admin.requestLog('generic');
  expect(requests(log, 'PATCH', '/Groups')).toHaveLength(3);
  expect(log.length).toBeLessThan(30);
  expect(await memberIds(sb, 'generic', groupId)).toEqual([...next].sort());
  const again = await wd.plan(['-detailed-exitcode']);
  expect(output(again)).toContain('No changes.');
  expect(again.code).toBe(0);
});
