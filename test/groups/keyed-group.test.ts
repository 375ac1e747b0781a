// A pushed group with the real terraform binary, its membership keyed by person key (`member_ids`), at 250
// members (SCIMFORM_KEYED_GROUP_N sets another size): the first apply is one POST and 3 PATCH batches of 100; a
// no-op plan is one read of the group (one GET /Groups); a change of 10 members is one PATCH; a member added and
// one removed in the app show up per key in the plan and one PATCH puts them back. The same at 7,000 members is
// the bench's large-group phase (`npm run bench`, bench/large-group-phase.ts, issue 18). (With the set form
// `members`, Terraform's own apply-time check takes minutes at that size: see docs/guides/rosters.md, "Groups at size".)
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import type { TerraformWorkdir } from '../support/terraform';
import { config, initialised, memberIds, output, providerBlock, requests, writes } from './group-fixture';

// The mechanism (batches, one read, one PATCH per change) shows at any size above one batch.
const N = Number(process.env.SCIMFORM_KEYED_GROUP_N ?? 250);
const BATCHES = Math.ceil(N / 100);
/** A member the app loses out of band in the last test. */
const LOST = Math.min(100, N - 1);
let sb: TestSandbox;
let wd: TerraformWorkdir;
let ids: string[];
let groupId: string;

const key = (i: number) => `P${String(i).padStart(4, '0')}`;
/** member_ids for the people `indexes` (key P<index> → that person's SCIM id). */
const body = (indexes: number[]) => `resource "scim_group" "everyone" {
  display_name = "Everyone"
  member_ids = {
${indexes.map((i) => `    ${key(i)} = "${ids[i]}"`).join('\n')}
  }
}
`;
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const shape = (log: { method: string; path: string }[]) => log.map((e) => `${e.method} ${e.path.split('?')[0]}`);

beforeAll(async () => {
  sb = await startTestSandbox();
  // Out of band, 16 at a time (the admin API): the accounts exist before terraform runs.
  ids = new Array(N + 10);
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < ids.length) {
        const i = next++;
        ids[i] = (await sb.admin.createUser('generic', { userName: `person-${i}@example.com` })).id;
      }
    }),
  );
  wd = await initialised(config(providerBlock(sb, 'generic'), body(range(0, N))));
});

afterAll(async () => {
  await wd?.cleanup();
  await sb?.stop();
});

test(`the first apply creates the group of ${N} members with one POST and ${BATCHES} PATCH batches of 100`, async () => {
  await sb.admin.clearRequestLog('generic');
  const r = await wd.apply();
  expect(output(r)).toContain('1 added, 0 changed, 0 destroyed');
  const log = await sb.admin.requestLog('generic');
  expect(shape(writes(log))).toEqual(['POST /Groups', ...Array(BATCHES).fill(expect.stringMatching(/^PATCH \/Groups\/[^/]+$/))]);
  groupId = (await sb.admin.listGroups('generic'))[0].id;
  expect(await memberIds(sb, 'generic', groupId)).toEqual(ids.slice(0, N).sort());
});

test('a no-op plan is one read of the group: one GET /Groups listing, nothing else', async () => {
  await sb.admin.clearRequestLog('generic');
  const r = await wd.plan(['-detailed-exitcode']);
  expect(output(r)).toContain('No changes.');
  expect(r.code).toBe(0);
  expect(shape(await sb.admin.requestLog('generic'))).toEqual(['GET /Groups']);
});

test('a change of 10 members (5 out, 5 in) is one PATCH', async () => {
  const next = [...range(5, N), ...range(N, N + 5)];
  wd.setHcl(config(providerBlock(sb, 'generic'), body(next)));
  await sb.admin.clearRequestLog('generic');
  const r = await wd.apply();
  expect(output(r)).toContain('0 added, 1 changed, 0 destroyed');
  const log = await sb.admin.requestLog('generic');
  expect(shape(writes(log))).toEqual([`PATCH /Groups/${groupId}`]);
  // The plan checks that the 5 new members exist through a listing of the users (pages of 1,000; once in the plan,
  // once in apply's own plan), never one GET per member.
  expect(requests(log, 'GET', '/Users/')).toEqual([]);
  expect(requests(log, 'GET', '/Users').length).toBeLessThanOrEqual(2 * Math.ceil((N + 10) / 1000));
  expect(await memberIds(sb, 'generic', groupId)).toEqual(next.map((i) => ids[i]).sort());
});

test('a member added and one removed in the app show up per key in the plan; one PATCH puts them back', async () => {
  const intruder = ids[N + 9];
  const current = [...range(5, N), ...range(N, N + 5)].map((i) => ids[i]);
  await sb.admin.patchGroup('generic', groupId, { members: [...current.filter((id) => id !== ids[LOST]), intruder].map((value) => ({ value })) });
  const plan = await wd.plan(['-detailed-exitcode']);
  expect(plan.code).toBe(2);
  const text = output(plan);
  expect(text).toContain(`+ "${key(LOST)}" = "${ids[LOST]}"`);
  expect(text).toContain(`- "${intruder}" = "${intruder}" -> null`);
  expect(text).toContain(`(${N - 1} unchanged elements hidden)`);
  await sb.admin.clearRequestLog('generic');
  const r = await wd.apply();
  expect(output(r)).toContain('0 added, 1 changed, 0 destroyed');
  expect(shape(writes(await sb.admin.requestLog('generic')))).toEqual([`PATCH /Groups/${groupId}`]);
  expect(await memberIds(sb, 'generic', groupId)).toEqual([...current].sort());
});
