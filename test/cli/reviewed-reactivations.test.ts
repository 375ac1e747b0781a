// Which reactivations the reviewer approved (from the saved plan's warnings), and when the follow-up plan after
// apply may finish them: only `active` false → true on exactly those accounts, nothing else.
import { isOnlyReactivation, otherChanges, reactivationTargets, reviewedReactivations } from '../../cli/workflow/reviewed-reactivations';

const warning = (address: string, summary: string, detail: string) => ({ severity: 'warning' as const, summary, detail, address });

test('only warnings that said "reactivating it" count as reviewed reactivations', () => {
  expect(
    reviewedReactivations([
      warning('scim_user.user_grace', 'scim_user will adopt existing account 7 (userName "grace")', 'Apply will adopt it and bring it to the declared state, reactivating it, instead of …'),
      warning('scim_user.user_ada', 'scim_user will adopt existing account 8 (userName "ada")', 'Apply will adopt it and bring it to the declared state instead of …'),
      warning('scim_group.group_eng', 'scim_group "Engineering" will adopt existing group 9', ''),
    ]),
  ).toEqual(['scim_user.user_grace']);
});

const change = (address: string, before: Record<string, unknown>, after: Record<string, unknown>, after_unknown: Record<string, unknown> = {}) => ({
  address,
  change: { actions: ['update'], before, after, after_unknown },
});
const reviewed = new Set(['scim_user.user_grace']);
const grace = { user_name: 'grace', title: 'CTO', emails: [{ value: 'g@x', primary: true }], meta: { version: '1' } };

test('active false → true on a reviewed account, with only meta unknown, is the reviewed reactivation', () => {
  const rc = change('scim_user.user_grace', { ...grace, active: false }, { ...grace, active: true, meta: null }, { emails: [{}], meta: true });
  expect(isOnlyReactivation(rc, reviewed)).toBe(true);
});

test('anything else is not: another attribute, an unknown value, another account, a replacement', () => {
  expect(otherChanges(change('scim_user.user_grace', { ...grace, active: false }, { ...grace, active: true, title: 'CEO' }), reviewed)).toEqual(['title']);
  expect(otherChanges(change('scim_user.user_grace', { ...grace, active: false }, { ...grace, active: true }, { emails: [{ value: true }] }), reviewed)).toEqual(['emails']);
  expect(otherChanges(change('scim_user.user_ada', { ...grace, active: false }, { ...grace, active: true }), reviewed)).toEqual(['not a reviewed reactivation']);
  expect(otherChanges(change('scim_user.user_grace', { ...grace, active: true }, { ...grace, active: false }), reviewed)).toEqual(['active']);
  const replace = { address: 'scim_user.user_grace', change: { actions: ['delete', 'create'], before: grace, after: grace } };
  expect(otherChanges(replace, reviewed)).toEqual(['delete/create']);
});

test('a roster entry adopted inactive is reviewed by its entry address and planned by targeting its roster', () => {
  const reviewedEntries = reviewedReactivations([
    warning('scim_roster.accounts_02', 'scim_roster entry "E7" will adopt existing account 7 (userName "grace")', 'Apply will adopt it … ; reactivating it takes a second plan and apply …'),
    warning('scim_roster.accounts_02', 'scim_roster entry "E8" will adopt existing account 8 (userName "ada")', 'Apply will adopt it …'),
    warning('scim_roster.accounts_05', 'scim_roster entry "E9" will adopt existing account 9 (userName "bob")', '… reactivating it …'),
  ]);
  expect(reviewedEntries).toEqual(['scim_roster.accounts_02.entries["E7"]', 'scim_roster.accounts_05.entries["E9"]']);
  expect(reactivationTargets([...reviewedEntries, 'scim_roster.accounts_02.entries["E1"]', 'scim_user.user_ada'])).toEqual([
    'scim_roster.accounts_02',
    'scim_roster.accounts_05',
    'scim_user.user_ada',
  ]);
});
