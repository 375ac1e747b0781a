// The bench's large-group phase without Terraform: its --group-members option (default 70 % of --users, so
// 7,000 at the default 10,000), the rule that stops the run when the requests are not the batched ones, and
// its goal row (the no-op plan is one read).
import { parseBenchArgs } from '../../bench/bench-args';
import { largeGroupProblems } from '../../bench/large-group-phase';
import { unexpectedRequests } from '../../bench/errors';
import { evaluate } from '../../bench/metrics';

const patches = (n: number, id = 'g1') => Array.from({ length: n }, () => `PATCH /Groups/${id}`);

describe('--group-members', () => {
  it('defaults to 70 % of the users: 7,000 of 10,000 (issue 18), 14 of 20', () => {
    expect(parseBenchArgs([], 'x').groupMembers).toBe(7000);
    expect(parseBenchArgs(['--users', '20'], 'x').groupMembers).toBe(14);
    expect(parseBenchArgs(['--users', '1', '--userpath-small', '0'], 'x').groupMembers).toBe(1);
  });

  it('is set by --group-members, skipped by --skip large-group, and a bad value is named', () => {
    expect(parseBenchArgs(['--group-members', '250'], 'x').groupMembers).toBe(250);
    expect([...parseBenchArgs(['--skip', 'large-group'], 'x').skip]).toEqual(['large-group']);
    expect(() => parseBenchArgs(['--group-members', '0'], 'x')).toThrow(/--group-members 0: must be an integer ≥ 1/);
  });
});

describe('the batched requests of a large group', () => {
  const good = {
    apply: ['GET /Groups', 'GET /Users', 'POST /Groups', ...patches(70)],
    noopPlan: ['GET /Groups'],
    changeApply: ['GET /Groups', 'GET /Users', 'PATCH /Groups/g1'],
  };

  it('accepts 1 POST + ceil(M / 100) PATCH, one GET /Groups for the no-op plan, one PATCH for a change', () => {
    expect(largeGroupProblems(7000, 100, good)).toEqual([]);
    expect(largeGroupProblems(7001, 100, { ...good, apply: ['POST /Groups', ...patches(71)] })).toEqual([]);
  });

  it('names every departure: unbatched apply, a plan reading more than the group, a change in several writes', () => {
    const problems = largeGroupProblems(7000, 100, {
      apply: ['POST /Groups', ...patches(7000)],
      noopPlan: ['GET /Groups', 'GET /Users/u1'],
      changeApply: ['GET /Users/u7', 'PATCH /Groups/g1', 'PATCH /Groups/g1'],
    });
    expect(problems).toEqual([
      'first apply: expected 1 POST /Groups and 70 PATCH /Groups/{id} (batches of 100), got 7001 request(s): 1 POST, 7000 PATCH (first: POST /Groups, PATCH /Groups/g1, PATCH /Groups/g1)',
      'no-op plan: expected exactly one read (GET /Groups), got 2 request(s): 2 GET (first: GET /Groups, GET /Users/u1)',
      'change of 10 members: expected one PATCH /Groups/{id}, got 2 request(s): 2 PATCH (first: PATCH /Groups/g1, PATCH /Groups/g1)',
      'change of 10 members: the new members were read one GET /Users/{id} each instead of through listings',
    ]);
    expect(largeGroupProblems(10, 100, { ...good, apply: [], noopPlan: [] })[0]).toBe('first apply: expected 1 POST /Groups and 1 PATCH /Groups/{id} (batches of 100), got no request');
  });

  it('stops the run with an error that lists the problems and the small-size test to run', () => {
    const err = unexpectedRequests('large group of 7000 members', ['no-op plan: expected exactly one read (GET /Groups), got no request']);
    expect(err.code).toBe('BENCH_UNEXPECTED_REQUESTS');
    expect(err.message).toContain('the large group of 7000 members did not make the batched requests');
    expect(err.message).toContain('  - no-op plan: expected exactly one read (GET /Groups), got no request');
    expect(err.message).toContain('npx jest test/groups/keyed-group.test.ts');
  });

  it('has a goal of one request for the no-op plan; its timings are information', () => {
    const by = Object.fromEntries(evaluate({ large_group_noop_plan_requests: 2, large_group_apply_s: 30 }, 10_000).map((r) => [r.key, r]));
    expect(by.large_group_noop_plan_requests).toMatchObject({ goal: 1, pass: false });
    expect(by.large_group_apply_s).toMatchObject({ value: 30, goal: null, pass: null });
  });
});
