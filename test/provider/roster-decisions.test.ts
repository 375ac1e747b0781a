// The decisions of scim_roster as plain functions: reading an entry from the server (managed attributes take the
// app's value with scim_user's case rules, unmanaged ones stay null), planning entries, static validation of
// manager references, the three-way rule for attributes an entry starts to manage, bounded concurrency, and the
// evenly spaced per-minute budget.
import { profiles, type ScimUser } from '../../providers/scim/client';
import { RateLimiter } from '../../providers/scim/client/rate-limiter';
import type { ObjectValue } from '../../providers/scim/plugin/provider-definition';
import { runBounded } from '../../providers/scim/resources/bounded-concurrency';
import { entryAsUser, entryChanged, readEntry } from '../../providers/scim/resources/roster-entry';
import { plannedEntries, validateRoster } from '../../providers/scim/resources/roster-plan';
import { decideUpdate } from '../../providers/scim/resources/user-three-way';
import { reconcile } from '../../providers/scim/resources/user-mapping';

const entry = (e: ObjectValue): ObjectValue => ({ user_name: 'alice@example.com', title: null, display_name: null, name: null, emails: null, roles: null, active: true, manager: null, ...e });

test('a read keeps the entry as declared where the app means the same, and takes the app value where it differs', () => {
  const e = entry({ user_name: 'Alice@Example.com', title: 'Engineer', emails: [{ value: 'Alice@Example.com', type: null, primary: null }] });
  const remote: ScimUser = { id: '1', userName: 'alice@example.com', title: 'Director', displayName: 'Alice M', emails: [{ value: 'alice@example.com', type: 'work', primary: true }], active: false };
  const read = readEntry(e, remote, profiles.proxy);
  expect(read.user_name).toBe('Alice@Example.com'); // case-insensitive userName: no diff
  expect(read.emails).toEqual([{ value: 'Alice@Example.com', type: null, primary: null }]); // the app folds email case
  expect(read.title).toBe('Director'); // drift shows in the plan
  expect(read.display_name).toBeNull(); // not managed: the app's value is not recorded
  expect(read.active).toBe(false);
  expect(entryChanged(read, e)).toBe(true);
  expect(entryChanged(readEntry(e, { ...remote, title: 'Engineer', active: true }, profiles.proxy), e)).toBe(false);
});

test('planned entries default active to true and keep everything else as configured', () => {
  expect(plannedEntries({ a: entry({ active: null }), b: entry({ active: false }) })).toEqual({ a: entry({ active: true }), b: entry({ active: false }) });
});

test('validation names the entry: unknown manager key, self-management, both manager forms, scim_user rules', () => {
  const diags = validateRoster({
    entries: {
      a: entry({ manager: 'zz' }),
      b: entry({ manager: 'b' }),
      c: entry({ manager: 'a', manager_user_name: 'x@example.com' }),
      d: entry({ emails: [{ value: 'not-an-email', type: null, primary: null }] }),
    },
  });
  expect(diags.map((d) => d.summary)).toEqual([
    'scim_roster entry "a": manager "zz" is not a key of this roster',
    'scim_roster entry "b": manager is the entry itself',
    'scim_roster entry "c": both manager and manager_user_name are set',
    'scim_roster entry "d" emails: Invalid email address',
  ]);
  expect(diags.every((d) => d.path === undefined)).toBe(true); // no source snippet of a whole cdk.tf.json roster
});

test('an attribute an entry starts to manage is written whatever the app had (no prior value to protect); managed ones keep the three-way rule', () => {
  const prior = entryAsUser(entry({ title: 'Engineer' }), null);
  const planned = entryAsUser(entry({ title: 'Manager', department: 'R&D' }), null);
  const now: ScimUser = { id: '1', userName: 'alice@example.com', title: 'Director', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Sales' } };
  const unmanaged = (a: { tf: string }) => a.tf === 'department';
  const d = decideUpdate(prior, planned, reconcile(prior, now, profiles.generic), profiles.generic, unmanaged);
  expect(d.write.map((a) => a.tf)).toEqual(['department']);
  expect(d.conflicts.map((c) => c.attribute.tf)).toEqual(['title']);
});

test('runBounded keeps at most `limit` tasks in flight and survives failing tasks', async () => {
  let inFlight = 0;
  let peak = 0;
  const done: number[] = [];
  await runBounded([...Array(20).keys()], 3, async (i) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 2));
    inFlight--;
    if (i % 5 === 0) throw new Error('boom');
    done.push(i);
  });
  expect(peak).toBe(3);
  expect(done).toHaveLength(16);
});

test('a per-minute budget spaces requests evenly, without a burst', async () => {
  const limiter = new RateLimiter(50, 1); // 50 per second, as writes_per_minute = 3000
  const times: number[] = [];
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 11 }, async () => {
    await limiter.take();
    times.push(Date.now() - t0);
  }));
  times.sort((a, b) => a - b);
  expect(times[1]).toBeGreaterThanOrEqual(15); // the second waits ~20 ms: no burst
  expect(times[10]).toBeGreaterThanOrEqual(190);
});
