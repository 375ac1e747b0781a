// The access decision without CDKTF or constructs: plain people and assignments in, who gets an account
// (roles, status) and why the others do not out.
import { decideAccess, explainAccess, type DecisionPerson, type ResolvedAssignment } from '../../lib/access-decision';

type P = DecisionPerson & { dept: string };
const person = (key: string, leftOn?: string, asOf = '2026-01-01'): P => ({
  key,
  dept: key === 'linus' ? 'Sales' : 'Eng',
  status: leftOn ? { kind: 'leaver', leaveDate: leftOn } : { kind: 'active' },
  hasLeft: () => !!leftOn && leftOn <= asOf,
});
const ada = person('ada');
const grace = person('grace');
const linus = person('linus');
const tim = person('tim', '2025-01-31');
const zoe = person('zoe', '2026-12-31');
const mary = person('mary');
const eng = { key: 'eng' };
const assignments: ResolvedAssignment<P, typeof eng>[] = [
  { label: 'team:eng', people: [ada, grace, linus, tim, zoe], team: eng },
  { label: 'person:ada', role: 'Admin', people: [ada] },
  { label: 'person:grace', role: 'Editor', people: [grace] },
  { label: 'person:mary', role: 'default access', people: [mary] },
];
const scope = { test: (p: P) => p.dept === 'Eng', describe: 'department EQUALS Eng' };

test('active accounts with the roles of every assignment; leavers, Default Access only and out of scope get none, each with why', () => {
  const d = decideAccess(assignments, { scope, onDestroy: 'deactivate' });
  expect(d.provisioned.map((g) => [g.person.key, g.status, g.roles, g.via, g.viaTeams])).toEqual([
    ['ada', 'active', ['Admin'], ['team:eng', 'person:ada (Admin)'], [eng]],
    ['grace', 'active', ['Editor'], ['team:eng', 'person:grace (Editor)'], [eng]],
    // a leave date still ahead keeps the account until then
    ['zoe', 'active', [], ['team:eng'], [eng]],
  ]);
  expect(d.excluded.map((e) => [e.person.key, e.reason, e.detail, e.existingAccount])).toEqual([
    ['linus', 'out-of-scope', 'outside the scoping filter (department EQUALS Eng)', 'deactivated'],
    ['mary', 'default-access', 'assigned only with the "Default Access" role (person:mary (default access)), which is not provisioned', 'none'],
    ['tim', 'leaver', 'left on 2025-01-31', 'deactivated'],
  ]);
});

test('the leaver policy decides what happens to an existing account, and explanations say it', () => {
  const d = decideAccess(assignments, { scope, onDestroy: 'delete' });
  expect(d.excluded.find((e) => e.person.key === 'tim')).toMatchObject({ existingAccount: 'deleted', outcome: 'not provisioned; an existing account is deleted' });
  expect(explainAccess(d, 'tim')).toBe('tim: left on 2025-01-31 — not provisioned; an existing account is deleted');
  expect(explainAccess(d, 'ada')).toBe('ada: active account with role(s) Admin, via team:eng, person:ada (Admin)');
  expect(explainAccess(d, 'nobody')).toBe('nobody: not assigned to this app — no account');
});

test('Default Access beside a real assignment provisions the person, without that role', () => {
  const d = decideAccess(
    [
      { label: 'person:mary', role: 'Default Access', people: [mary] },
      { label: 'team:eng', people: [mary] },
    ],
    { scope: { test: () => true, describe: 'everyone' }, onDestroy: 'deactivate' },
  );
  expect(d.provisioned.map((g) => [g.person.key, g.roles])).toEqual([['mary', []]]);
  expect(d.excluded).toEqual([]);
});
