// The bench's pure parts: argument parsing, the shared directory fixture, and goal evaluation.

import { parseBenchArgs } from '../../bench/bench-args';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchDirectory, scimUserBody, shardDirectory, withStateAttributes } from '../../bench/fixture-data';
import { writeWorkspace } from '../../bench/workspace';
import { mergeStates } from '../../bench/state-merge';
import { evaluate, formatTable } from '../../bench/metrics';

describe('bench arguments', () => {
  it('defaults to 10,000 users, 200 groups and parallelism 10', () => {
    const o = parseBenchArgs([], '/tmp/out.json');
    expect(o).toMatchObject({ users: 10_000, groups: 200, parallelism: 10, synthPersons: 10_000, startupRuns: 20, out: '/tmp/out.json' });
  });

  it('scales groups as N / 50 and accepts --groups and --skip', () => {
    expect(parseBenchArgs(['--users', '2000'], 'x').groups).toBe(40);
    const o = parseBenchArgs(['--users=20', '--groups', '2', '--skip', 'synth,startup'], 'x');
    expect(o.groups).toBe(2);
    expect([...o.skip]).toEqual(['synth', 'startup']);
  });

  it('names the bad argument', () => {
    expect(() => parseBenchArgs(['--users', 'ten'], 'x')).toThrow(/--users ten.*integer/);
    expect(() => parseBenchArgs(['--skip', 'everything'], 'x')).toThrow(/phases are/);
    expect(() => parseBenchArgs(['--user', '5'], 'x')).toThrow(/unknown option/);
  });
});

describe('bench directory', () => {
  it('deals every user into exactly one group of about N / G members', () => {
    const d = benchDirectory(10_000, 200);
    expect(d.users).toHaveLength(10_000);
    expect(new Set(d.groups.map((g) => g.members.length))).toEqual(new Set([50]));
    expect(new Set(d.groups.flatMap((g) => g.members)).size).toBe(10_000);
  });

  it('shards into self-contained slices: each group travels with all of its members', () => {
    const d = benchDirectory(10_000, 200);
    const shards = shardDirectory(d, 1000);
    expect(shards).toHaveLength(10);
    for (const s of shards) {
      const keys = new Set(s.users.map((u) => u.key));
      expect(s.users).toHaveLength(1000);
      expect(s.groups.every((g) => g.members.every((m) => keys.has(m)))).toBe(true);
    }
    expect(shards.flatMap((s) => s.users)).toHaveLength(10_000);
    expect(shardDirectory(benchDirectory(20, 2), 1000)).toHaveLength(1);
  });

  it('builds SCIM bodies with the attributes the workspace manages', () => {
    const [u] = benchDirectory(1, 0).users;
    expect(scimUserBody(u!)).toMatchObject({ userName: 'user00000@bench.example', name: { givenName: 'Given00000' }, active: true });
  });
});

describe('bench workspaces', () => {
  const read = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'main.tf.json'), 'utf8'));
  let tmp: string;
  beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-bench-ws-'))));
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes one block per user and group, members as static references (what a CDKTF synth emits)', () => {
    const d = benchDirectory(4, 2);
    const scim = read(writeWorkspace(path.join(tmp, 's'), 'scim', d, { address: 'http://127.0.0.1:1/state/s' }, 'http://127.0.0.1:2/scim/v2'));
    expect(Object.keys(scim.resource.scim_user)).toEqual(['u00000', 'u00001', 'u00002', 'u00003']);
    expect(scim.resource.scim_group.g00001.members).toEqual(['${scim_user.u00002.id}', '${scim_user.u00003.id}']);
    expect(JSON.stringify(scim)).not.toContain('for_each');
    const td = read(writeWorkspace(path.join(tmp, 't'), 'terraform_data', d, { address: 'http://127.0.0.1:1/state/t' }));
    expect(td.resource.terraform_data.g00000.triggers_replace.members).toEqual(['${terraform_data.u00000.id}', '${terraform_data.u00001.id}']);
    expect(td.resource.terraform_data.u00000.triggers_replace).toMatchObject({ user_name: 'user00000@bench.example', department: 'Engineering' });
  });

  it('builds the schema-sized floor from the attributes in the scim state', () => {
    const d = benchDirectory(2, 1);
    const attrs = (id: string, extra: Record<string, unknown>) => ({ id, display_name: 'x', title: null, meta: { version: 'W/"1"' }, ...extra });
    const state = Buffer.from(JSON.stringify({
      resources: [
        { type: 'scim_user', name: 'u00000', instances: [{ attributes: attrs('a', {}) }] },
        { type: 'scim_user', name: 'u00001', instances: [{ attributes: attrs('b', {}) }] },
        { type: 'scim_group', name: 'g00000', instances: [{ attributes: attrs('g', { members: ['a', 'b'] }) }] },
      ],
    }));
    const full = withStateAttributes(d, state);
    const td = read(writeWorkspace(path.join(tmp, 'f'), 'terraform_data', full, { address: 'http://127.0.0.1:1/state/f' }));
    // each value once: triggers_replace is stored as given; `input` would be stored again as `output`
    expect(JSON.stringify(td)).not.toContain('"input"');
    expect(td.resource.terraform_data.u00001.triggers_replace).toEqual(attrs('b', {}));
    // the group keeps its attributes but points at the terraform_data users, as the graph must
    expect(td.resource.terraform_data.g00000.triggers_replace).toEqual(attrs('g', { members: ['${terraform_data.u00000.id}', '${terraform_data.u00001.id}'] }));
    expect(() => withStateAttributes(benchDirectory(3, 1), state)).toThrow(/scim_user\.u00002 is missing/);
  });
});

describe('bench goals', () => {
  it('passes at the goal, fails above it, and leaves unmeasured goals open', () => {
    const rows = evaluate({ userpath_noop_plan_ratio: 3, userpath_deploy_ratio: 2.01, noop_plan_requests: 200, noop_plan_ratio: 9 }, 10_000);
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.userpath_noop_plan_ratio!.pass).toBe(true);
    expect(by.userpath_deploy_ratio!.pass).toBe(false);
    expect(by.noop_plan_requests).toMatchObject({ goal: 200, pass: true });
    expect(by.userpath_growth).toMatchObject({ goal: 1.1, pass: null });
    expect(formatTable(rows)).toMatch(/\| `userpath_deploy_ratio`\s+\|.*\| 2\.01 ×\s+\| ≤ 2\.00\s+\| FAIL/);
  });

  it('keeps the per-user keys as information: their ratio goals are retired, RSS and no-op requests stay goals', () => {
    const by = Object.fromEntries(evaluate({ noop_plan_ratio: 9, apply_ratio: 9, provider_startup_ms: 900 }, 1000).map((r) => [r.key, r]));
    expect(by.noop_plan_ratio).toMatchObject({ goal: null, pass: null });
    expect(by.apply_ratio).toMatchObject({ goal: null, pass: null });
    expect(by.provider_startup_ms).toMatchObject({ goal: null });
    expect(by.provider_startup_ratio!.goal).toBe(1.3);
    expect(by.provider_peak_rss_mb!.goal).toBe(256);
    expect(by.noop_plan_requests!.goal).toBe(20);
  });
});

describe('state merge', () => {
  const state = (keys: string[], serial: number) =>
    Buffer.from(JSON.stringify({ version: 4, terraform_version: '1.11.4', serial, lineage: 'l', outputs: {}, resources: [{ mode: 'managed', type: 't', name: 'u', provider: 'p', instances: keys.map((k) => ({ index_key: k, attributes: { id: k } })) }] }));

  it('joins the instances of the same resource from every shard', () => {
    const merged = JSON.parse(mergeStates([state(['a', 'b'], 7), state(['c'], 3)]).toString());
    expect(merged.resources).toHaveLength(1);
    expect(merged.resources[0].instances.map((i: { index_key: string }) => i.index_key)).toEqual(['a', 'b', 'c']);
    expect(merged.serial).toBe(1);
  });

  it('refuses overlapping shards', () => {
    expect(() => mergeStates([state(['a'], 1), state(['a'], 1)])).toThrow(/overlap at t\.u\["a"\]/);
  });
});
