// Which reactivations the reviewer approved (from the saved plan's warnings), and when the follow-up plan after
// apply may finish them: only `active` false → true on exactly those accounts, nothing else.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { finishReviewedReactivations, isOnlyReactivation, otherChanges, reactivationTargets, reviewedReactivations } from '../../cli/workflow/reviewed-reactivations';

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

describe('the follow-up plan of a roster', () => {
  const judy = { user_name: 'judy@x', title: 'Eng', active: false };
  const carol = { user_name: 'carol@x', title: 'Eng', active: true };
  const accounts = { judy: { id: 'j1', existing_id: 'j1', existing_active: false }, carol: { id: 'c1', existing_id: null, existing_active: null } };
  /** `terraform show -json` of a follow-up plan that updates the roster from `before` to `after`. */
  const rosterUpdate = (before: object, after: object, afterUnknown: object) => ({
    format_version: '1.2',
    resource_changes: [
      {
        address: 'scim_roster.accounts_00',
        mode: 'managed',
        type: 'scim_roster',
        name: 'accounts_00',
        change: { actions: ['update'], before, after, after_unknown: afterUnknown },
      },
    ],
  });
  /** The follow-up plan: the roster with judy reactivated, and carol as given. */
  const followUp = (carolAfter: Record<string, unknown>) =>
    rosterUpdate(
      { id: 'roster', on_destroy: 'deactivate', accounts, entries: { judy, carol } },
      { id: 'roster', on_destroy: 'deactivate', accounts, entries: { judy: { ...judy, active: true }, carol: carolAfter } },
      { accounts: { judy: {}, carol: {} }, entries: { judy: {}, carol: {} } },
    );
  const fake = (shown: unknown) => {
    const calls: string[][] = [];
    const terraform = async (args: string[]) => {
      calls.push(args);
      if (args[0] === 'plan') return { code: 2, stdout: '', stderr: '' };
      if (args[0] === 'show') return { code: 0, stdout: JSON.stringify(shown), stderr: '' };
      return { code: 0, stdout: '', stderr: '' };
    };
    return { calls, terraform };
  };
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-follow-up-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const judyAddress = 'scim_roster.accounts_00.entries["judy"]';

  test('only the reviewed entry reactivated: the roster is targeted and the plan applied', async () => {
    const { calls, terraform } = fake(followUp(carol));
    const out = await finishReviewedReactivations(dir, [judyAddress], terraform, ['-refresh=false']);
    expect(out).toEqual({ reactivated: [judyAddress] });
    expect(calls[0]).toEqual(expect.arrayContaining(['-refresh=false', '-target=scim_roster.accounts_00']));
    expect(calls.map((c) => c[0])).toEqual(['plan', 'show', 'apply']);
  });

  test('a roster given as entries_json: strings that say the same in another order, or with unset attributes left out, are no change', async () => {
    const asJson = (entries: Record<string, string>) => ({ id: 'roster', on_destroy: 'deactivate', accounts, entries: null, entries_json: entries });
    const shown = rosterUpdate(
      // As the provider wrote them back after the adoption, and as configured.
      asJson({ judy: '{"active":false,"name":{"given_name":"Judy","family_name":"Doe"},"title":"Eng","user_name":"judy@x"}', carol: '{"user_name":"carol@x","title":"Eng"}' }),
      asJson({ judy: '{"user_name":"judy@x","title":"Eng","name":{"family_name":"Doe","given_name":"Judy"}}', carol: '{"title":"Eng","user_name":"carol@x","active":true,"nick_name":null}' }),
      { accounts: { judy: {}, carol: {} }, entries_json: {} },
    );
    const { calls, terraform } = fake(shown);
    expect(await finishReviewedReactivations(dir, [judyAddress], terraform)).toEqual({ reactivated: [judyAddress] });
    expect(calls.map((c) => c[0])).toEqual(['plan', 'show', 'apply']);
  });

  test('another entry changed too: nothing applied, the same re-plan message naming the entry', async () => {
    const { calls, terraform } = fake(followUp({ ...carol, title: 'Changed by hand' }));
    const out = await finishReviewedReactivations(dir, [judyAddress], terraform);
    expect(out.reactivated).toEqual([]);
    expect(out.notDone).toBe(
      'scim_roster.accounts_00.entries["carol"] (not a reviewed reactivation) changed in the app since the plan; run `scimform plan` again to review it',
    );
    expect(calls.map((c) => c[0])).toEqual(['plan', 'show']);
  });
});
