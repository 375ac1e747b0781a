// The roster adapter without Terraform: the entry pseudo-address of the lib/CLI contract, a roster whose
// entries are unknown at plan, which the report shows instead of hiding (the per-entry changes themselves are
// tested on real plans in roster-report.test.ts), and a roster given as entries_json, which reads exactly as
// the same roster given as entries.
import { buildAppReport } from '../../cli/report/build-report';
import type { JsonChange, JsonPlan, JsonResourceChange, JsonState, JsonValue } from '../../cli/report/plan-json';
import { entryAddress, explodeRosterPlan, parseEntryAddress } from '../../cli/report/roster-changes';
import { reportFromPlans } from '../../cli/report/report-from-plans';
import { renderTerminal } from '../../cli/report/render-terminal';
import { hasChanges } from '../../cli/report/stack-plans';
import { outOfBandChanges } from '../../cli/drift/build-drift';
import { DEFAULT_GUARD_OPTIONS } from '../../cli/guard/deactivation-guard';
import type { StackMetadata } from '../../cli/workflow/stack-metadata';
import { jsonPlan, tfEntry } from './entries-json-fixture';

test('entry addresses: the contract form, and back', () => {
  expect(entryAddress('scim_roster.accounts_03', 'E1001')).toBe('scim_roster.accounts_03.entries["E1001"]');
  expect(parseEntryAddress('scim_roster.accounts_03.entries["E1001"]')).toEqual({ roster: 'scim_roster.accounts_03', key: 'E1001' });
  expect(parseEntryAddress('scim_user.user_ada')).toBeUndefined();
});

test('a roster whose whole entries map is known only after apply stays visible as one update, never hidden', () => {
  const rc = (actions: JsonResourceChange['change']['actions']): JsonResourceChange => ({
    address: 'scim_roster.accounts_00',
    mode: 'managed',
    type: 'scim_roster',
    name: 'accounts_00',
    change: { actions, before: { entries: { ada: { user_name: 'ada@x' } } }, after: { entries: null }, after_unknown: { entries: true, accounts: true } },
  });
  const plan = explodeRosterPlan({ format_version: '1.2', resource_changes: [rc(['update'])] });
  const report = buildAppReport('wiki', plan);
  expect(report.users.update).toEqual([
    { address: 'scim_roster.accounts_00', userName: 'scim_roster.accounts_00', changes: [{ path: 'entries', before: { value: null }, after: { unknown: true } }] },
  ]);
});

describe('a roster given as entries_json reads exactly as the same roster given as entries', () => {
  const ROSTER = 'scim_roster.accounts_00';
  const E = (k: string) => `${ROSTER}.entries["${k}"]`;
  /** An entry as Terraform shows a typed one. */
  const person = (k: string, extra: Record<string, unknown> = {}) =>
    tfEntry({ user_name: `${k}@example.com`, external_id: k, display_name: k, emails: [{ primary: true, type: 'work', value: `${k}@example.com` }], active: true, ...extra });
  const account = (k: string) => ({ id: `id-${k}`, existing_id: null, existing_active: null });
  const rosterValue = (entries: Record<string, unknown>, accounts: Record<string, unknown>) =>
    ({ id: 'roster', adopt_existing: null, on_destroy: 'deactivate', entries, entries_json: null, accounts }) as unknown as JsonValue;
  const rosterChange = (change: Partial<JsonChange>): JsonResourceChange => ({
    address: ROSTER,
    mode: 'managed',
    type: 'scim_roster',
    name: 'accounts_00',
    change: { actions: ['update'], before: null, after: null, ...change },
  });
  const stateOf = (values: JsonValue): JsonState => ({
    values: { root_module: { resources: [{ address: ROSTER, mode: 'managed', type: 'scim_roster', name: 'accounts_00', values: values as Record<string, JsonValue> }] } },
  });
  const planOf = (rc: JsonResourceChange): JsonPlan => ({
    format_version: '1.2',
    resource_changes: [rc],
    ...(rc.change.before ? { prior_state: stateOf(rc.change.before) } : {}),
  });

  const now = { ada: person('ada'), bob: person('bob'), carol: person('carol', { title: 'Engineer' }), dave: person('dave'), erin: person('erin', { active: false }), fay: person('fay') };
  const accounts = Object.fromEntries(Object.keys(now).map((k) => [k, account(k)]));
  /** Every kind of change of an entry: no-op (ada, fay), leaver (bob), update, deactivation, reactivation, new entries. */
  const everyKind = planOf(
    rosterChange({
      before: rosterValue(now, accounts),
      after: rosterValue(
        { ada: now.ada, carol: person('carol', { title: 'Senior Engineer' }), dave: person('dave', { active: false }), erin: person('erin'), fay: now.fay, grace: person('grace'), heidi: person('heidi', { active: false }) },
        { ada: accounts.ada, carol: accounts.carol, dave: accounts.dave, erin: accounts.erin, fay: accounts.fay },
      ),
      after_unknown: { accounts: { grace: true, heidi: true }, entries: { grace: { emails: [{}] }, heidi: { emails: [{}] } } },
      before_sensitive: { accounts: {}, entries: {} },
      after_sensitive: { accounts: {}, entries: {} },
    }),
  );
  const meta = { title: 'Wiki', excluded: [{ person: 'bob', reason: 'leaver', detail: 'left on 2026-11-30 — not provisioned' }] } as unknown as StackMetadata;
  const reportOf = (plan: JsonPlan) => reportFromPlans([{ stack: { name: 'wiki', dir: '/nowhere', meta }, plan: explodeRosterPlan(plan) }], DEFAULT_GUARD_OPTIONS);
  const linesOf = (plan: JsonPlan) => renderTerminal(reportOf(plan));

  test('every kind of entry change: the same report lines, counts, guard verdict and fingerprint', () => {
    const typed = reportOf(everyKind);
    const json = reportOf(jsonPlan(everyKind));
    expect(json).toEqual(typed);
    expect(json.fingerprint).toBe(typed.fingerprint);
    const text = linesOf(jsonPlan(everyKind));
    expect(text).toBe(linesOf(everyKind));
    for (const line of [
      'wiki — 2 create, 1 update, 2 deactivate, 1 reactivate',
      '+ create       grace@example.com',
      '+ create       heidi@example.com  (created inactive)',
      '~ update       carol@example.com',
      'title: "Engineer" → "Senior Engineer"',
      '+ reactivate   erin@example.com',
      '- deactivate   bob@example.com  (left on 2026-11-30)',
      '- deactivate   dave@example.com',
      'deactivation guard tripped',
    ]) {
      expect(text).toContain(line);
    }
    expect(json.apps[0].managedUsers).toBe(6);
    expect(json.guard).toMatchObject({ tripped: true, blocks: true });
  });

  test('an attribute left out of the JSON is null: {} and {"title": null} are no change, nor is unset active (true)', () => {
    const typedBefore = { ada: person('ada', { title: null }), fay: person('fay', { emails: [{ primary: null, type: 'home', value: 'fay@home.example.com' }, { primary: true, type: 'work', value: 'fay@example.com' }] }) };
    const jsonAfter = {
      // What the provider writes back for an unchanged entry: its set attributes only, `active` left out when true;
      // a set (emails) in another order than Terraform's.
      ada: JSON.stringify({ user_name: 'ada@example.com', external_id: 'ada', display_name: 'ada', emails: [{ value: 'ada@example.com', type: 'work', primary: true }] }),
      fay: JSON.stringify({ user_name: 'fay@example.com', external_id: 'fay', display_name: 'fay', title: null, emails: [{ value: 'fay@example.com', type: 'work', primary: true }, { value: 'fay@home.example.com', type: 'home' }], active: true }),
    };
    const ids = { ada: account('ada'), fay: account('fay') };
    const switched = planOf(rosterChange({ before: rosterValue(typedBefore, ids), after: { ...(rosterValue({}, ids) as object), entries: null, entries_json: jsonAfter } as JsonValue }));
    const report = reportOf(switched);
    expect(report.totals).toEqual(reportOf(planOf(rosterChange({ actions: ['no-op'], before: rosterValue(typedBefore, ids), after: rosterValue(typedBefore, ids) }))).totals);
    expect(renderTerminal(report)).toContain('wiki — no changes');
    expect(report.apps[0].managedUsers).toBe(2);
    // Still a plan to apply (the state takes the JSON form), with no account change in it.
    expect(hasChanges(explodeRosterPlan(switched))).toBe(true);

    const asJson = (v: Record<string, string>) => ({ ...(rosterValue({}, ids) as object), entries: null, entries_json: v }) as JsonValue;
    const sameMeaning = planOf(rosterChange({ before: asJson({ ada: '{"user_name":"ada@example.com"}' }), after: asJson({ ada: '{"title":null,"user_name":"ada@example.com","active":true}' }) }));
    expect(renderTerminal(reportOf(sameMeaning))).toContain('wiki — no changes');
    const titled = planOf(rosterChange({ before: asJson({ ada: '{"user_name":"ada@example.com"}' }), after: asJson({ ada: '{"user_name":"ada@example.com","title":"CTO"}' }) }));
    expect(renderTerminal(reportOf(titled))).toContain('title: (none) → "CTO"');
  });

  test('one entry known only after apply: an update of every attribute to (known after apply), never a deactivation', () => {
    const typed = planOf(
      rosterChange({
        before: rosterValue({ ada: now.ada, carol: now.carol }, { ada: accounts.ada, carol: accounts.carol }),
        after: rosterValue({ ada: now.ada }, { ada: accounts.ada, carol: accounts.carol }),
        after_unknown: { accounts: {}, entries: { carol: true, ivan: true } },
      }),
    );
    const json = jsonPlan(typed);
    expect(json.resource_changes![0].change.after_unknown).toEqual({ accounts: {}, entries_json: { carol: true, ivan: true } });
    const report = reportOf(json);
    expect(report).toEqual(reportOf(typed));
    expect(report.totals).toMatchObject({ create: 1, update: 1, deactivate: 0, delete: 0 });
    expect(report.guard).toMatchObject({ tripped: false });
    const text = renderTerminal(report);
    expect(text).toContain('~ update       carol@example.com');
    expect(text).toContain('title: "Engineer" → (known after apply)');
    expect(text).toContain('active: true → (known after apply)');
    expect(text).toContain(`+ create       ${E('ivan')}`);
  });

  test('the whole map known only after apply: one update of the roster, as for entries', () => {
    const typed = planOf(
      rosterChange({ before: rosterValue({ ada: now.ada }, { ada: accounts.ada }), after: { ...(rosterValue({}, {}) as object), entries: null } as JsonValue, after_unknown: { entries: true, accounts: true } }),
    );
    const json = jsonPlan(typed);
    expect(json.resource_changes![0].change.after_unknown).toEqual({ entries_json: true, accounts: true });
    const report = reportOf(json);
    expect(report).toEqual(reportOf(typed));
    expect(report.apps[0].users.update).toEqual([{ address: ROSTER, userName: ROSTER, changes: [{ path: 'entries', before: { value: null }, after: { unknown: true } }] }]);
  });

  test('a sensitive part makes the whole entry string sensitive: the changed attribute is named, never shown', () => {
    const typed = planOf(
      rosterChange({
        before: rosterValue({ ada: now.ada, carol: person('carol', { title: 'Secret-One' }) }, { ada: accounts.ada, carol: accounts.carol }),
        after: rosterValue({ ada: now.ada, carol: person('carol', { title: 'Secret-Two' }) }, { ada: accounts.ada, carol: accounts.carol }),
        before_sensitive: { entries: { carol: { title: true } } },
        after_sensitive: { entries: { carol: { title: true } } },
      }),
    );
    const json = jsonPlan(typed);
    expect(json.resource_changes![0].change.after_sensitive).toEqual({ entries_json: { carol: true } });
    const text = renderTerminal(reportOf(json));
    expect(text).toContain('~ update       carol@example.com');
    expect(text).toContain('title: (sensitive value changed)');
    expect(text).not.toContain('Secret-');
    expect(JSON.stringify(reportOf(json))).not.toContain('Secret-');
  });

  test('a roster forgotten by a removed block: no account change, no guard, in either form', () => {
    const forgotten = planOf(rosterChange({ actions: ['forget'], before: rosterValue(now, accounts), after: null }));
    const report = reportOf(jsonPlan(forgotten));
    expect(report).toEqual(reportOf(forgotten));
    expect(renderTerminal(report)).toContain('wiki — no changes');
    expect(report.guard).toMatchObject({ tripped: false });
  });

  test('drift: an entry changed out of band reads the same', () => {
    const drifted: JsonPlan = {
      format_version: '1.2',
      resource_drift: [rosterChange({ before: rosterValue({ carol: now.carol, ada: now.ada }, accounts), after: rosterValue({ carol: person('carol', { title: 'Changed By Hand' }), ada: now.ada }, accounts) })],
    };
    const typed = outOfBandChanges(explodeRosterPlan(drifted));
    expect(outOfBandChanges(explodeRosterPlan(jsonPlan(drifted)))).toEqual(typed);
    expect(typed).toEqual([
      { kind: 'user', name: 'carol@example.com', address: E('carol'), what: 'changed', changes: [{ path: 'title', before: { value: 'Engineer' }, after: { value: 'Changed By Hand' } }] },
    ]);
  });

  test('Terraform\'s entries_json["KEY"] address is the same entry', () => {
    expect(parseEntryAddress('scim_roster.accounts_03.entries_json["E1001"]')).toEqual({ roster: 'scim_roster.accounts_03', key: 'E1001' });
  });
});
