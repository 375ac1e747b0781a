// The bench's pure parts: argument parsing, the shared directory fixture, and goal evaluation.

import { parseBenchArgs } from '../../bench/bench-args';
import { benchDirectory, scimUserBody, shardDirectory } from '../../bench/fixture-data';
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

describe('bench goals', () => {
  it('passes at the goal, fails above it, and leaves unmeasured goals open', () => {
    const rows = evaluate({ noop_plan_ratio: 1.5, apply_ratio: 1.31, noop_plan_requests: 200 }, 10_000);
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.noop_plan_ratio!.pass).toBe(true);
    expect(by.apply_ratio!.pass).toBe(false);
    expect(by.noop_plan_requests).toMatchObject({ goal: 200, pass: true });
    expect(by.provider_startup_ms!.pass).toBeNull();
    expect(formatTable(rows)).toMatch(/\| `apply_ratio`\s+\|.*\| 1\.31 ×\s+\| ≤ 1\.30\s+\| FAIL/);
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
