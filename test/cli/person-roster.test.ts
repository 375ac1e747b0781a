// The decisions behind `--person KEY` (no Terraform): which rosters are targeted, and the override that keeps
// every other entry as it is now while KEY's entry takes its desired value; the errors that name the key.
import { overrideDocument, personNotFound, personOverride, personUserTargets } from '../../cli/workflow/person-roster';
import type { JsonState } from '../../cli/report/plan-json';
import { asEntriesJson, jsonConfig, jsonState } from './entries-json-fixture';

const config = {
  resource: {
    scim_roster: {
      accounts_00: { entries: { ada: { user_name: 'ada@x', title: 'CTO' }, bob: { user_name: 'bob@x' }, kim: { user_name: 'kim@x', manager: 'ada' } } },
      accounts_01: { entries: { eve: { user_name: 'eve@x' } } },
    },
    scim_group: { group_eng: { display_name: 'Engineering' } },
  },
};
const roster = (name: string, entries: Record<string, unknown>) => ({
  address: `scim_roster.${name}`,
  mode: 'managed' as const,
  type: 'scim_roster',
  name,
  values: { id: 'roster', entries, accounts: {}, on_destroy: 'deactivate' },
});
const state = (rosters: ReturnType<typeof roster>[]): JsonState => ({ values: { root_module: { resources: rosters as never } } });
const now = state([
  roster('accounts_00', { ada: { user_name: 'ada@x', title: 'Hand-edited', active: true, nick_name: null }, bob: { user_name: 'bob@x', title: null, active: true }, leo: { user_name: 'leo@x', active: true } }),
  roster('accounts_01', { eve: { user_name: 'eve@x', active: true } }),
]);

test('a new person: only their roster is targeted; every other entry keeps its current value (nulls unset)', () => {
  expect(personOverride('wiki', 'kim', config, now)).toEqual({
    targets: ['scim_roster.accounts_00'],
    override: {
      resource: {
        scim_roster: {
          accounts_00: {
            entries: {
              ada: { user_name: 'ada@x', title: 'Hand-edited', active: true },
              bob: { user_name: 'bob@x', active: true },
              leo: { user_name: 'leo@x', active: true },
              kim: { user_name: 'kim@x', manager: 'ada' },
            },
          },
        },
      },
    },
  });
});

test('a changed person takes the desired entry; a leaver is left out of the roster; a stranger targets nothing', () => {
  expect(personOverride('wiki', 'ada', config, now)?.override!.resource.scim_roster.accounts_00.entries!.ada).toEqual({ user_name: 'ada@x', title: 'CTO' });
  const leo = personOverride('wiki', 'leo', config, now)!;
  expect(leo.targets).toEqual(['scim_roster.accounts_00']);
  expect(Object.keys(leo.override!.resource.scim_roster.accounts_00.entries!).sort()).toEqual(['ada', 'bob']);
  expect(personOverride('wiki', 'zed', config, now)).toBeUndefined();
});

test('a roster not in the state yet (first apply) starts empty; a person moving slice touches both rosters', () => {
  expect(personOverride('wiki', 'eve', config, state([]))?.override!.resource.scim_roster).toEqual({ accounts_01: { entries: { eve: { user_name: 'eve@x' } } } });
  const moved = state([roster('accounts_00', { eve: { user_name: 'eve@x', active: true } }), roster('accounts_01', {})]);
  const eve = personOverride('wiki', 'eve', config, moved)!;
  expect(eve.targets).toEqual(['scim_roster.accounts_00', 'scim_roster.accounts_01']);
  expect(eve.override!.resource.scim_roster.accounts_00.entries).toEqual({});
  expect(eve.override!.resource.scim_roster.accounts_01.entries).toEqual({ eve: { user_name: 'eve@x' } });
});

test('a manager without an account yet is an error naming both keys and the fix', () => {
  expect(() => personOverride('wiki', 'kim', config, state([roster('accounts_00', {})]))).toThrow(
    /--person kim: in wiki, kim's manager "ada" has no account yet .*scimform apply --person ada/,
  );
});

test('not found: unknown key, key of another app, person not provisioned in the app', () => {
  expect(personNotFound('zed', ['wiki'], [], []).message).toMatch(/^--person zed: no app among wiki holds or declares an account for the person key "zed"/);
  expect(personNotFound('zoe', ['wiki'], ['crm'], []).message).toContain('--person zoe: the selected app(s) (wiki) hold no account of zoe and declare none; zoe is in crm. Select that app with --stack crm');
  expect(personNotFound('bob', ['wiki'], [], [{ app: 'wiki', detail: 'left on 2026-11-30 — not provisioned' }]).message).toContain(
    '--person bob: bob is not provisioned in wiki (left on 2026-11-30)',
  );
});

test('a per-user stack: the person\'s scim_user as synth recorded it, declared, or only in the state (a leaver)', () => {
  const users = { resource: { scim_user: { user_ada: { user_name: 'ada@x' } } } };
  const meta = { users: { 'scim_user.user_ada': { person: 'ada' }, 'scim_user.user_bob': { person: 'bob' } } };
  const st = state([]);
  (st.values!.root_module!.resources as unknown[]).push({ address: 'scim_user.user_tim', mode: 'managed', type: 'scim_user', name: 'user_tim', values: {} });
  expect(personUserTargets('ada', users, meta, st)).toEqual(['scim_user.user_ada']);
  expect(personUserTargets('tim', users, meta, st)).toEqual(['scim_user.user_tim']);
  expect(personUserTargets('zed', users, meta, st)).toEqual([]);
});

test('person keys are own keys only: "constructor" is not a key of every roster', () => {
  expect(personOverride('wiki', 'constructor', config, now)).toBeUndefined();
  const withIt = { resource: { scim_roster: { accounts_00: { entries: { constructor: { user_name: 'c@x' } } } } } };
  expect(personOverride('wiki', 'constructor', withIt, state([]))?.override!.resource.scim_roster.accounts_00.entries).toEqual({ constructor: { user_name: 'c@x' } });
});

test('the slice-count guard of a ScimApp (terraform_data.roster_slices) is planned with the person\'s rosters', () => {
  const guarded = { resource: { ...config.resource, terraform_data: { roster_slices: { input: { slices: 2 } } } } };
  expect(personOverride('wiki', 'kim', guarded, now)?.targets).toEqual(['scim_roster.accounts_00', 'terraform_data.roster_slices']);
  expect(personOverride('wiki', 'kim', config, now)?.targets).toEqual(['scim_roster.accounts_00']);
});

describe('a roster configured as entries_json', () => {
  const json = jsonConfig(config);
  const kimText = asEntriesJson(config.resource.scim_roster.accounts_00.entries).kim;
  /** The rosters now, as the provider writes entries_json back: any text that means the entry (kept verbatim). */
  const nowStrings = {
    ada: '{"title":"Hand-edited","user_name":"ada@x"}',
    bob: '{ "user_name": "bob@x" }',
    leo: '{"user_name":"leo@x","active":true}',
  };
  const jsonRoster = (name: string, strings: Record<string, string>) => ({ ...roster(name, {}), values: { id: 'roster', entries: null, entries_json: strings, accounts: {}, on_destroy: 'deactivate' } });
  const jsonNow = state([jsonRoster('accounts_00', nowStrings), jsonRoster('accounts_01', { eve: '{"user_name":"eve@x"}' })] as never);
  const written = (o: ReturnType<typeof personOverride>) => JSON.stringify(overrideDocument(o!.override!));

  test('the override sets entries_json: every other entry\'s string as it is now, the person\'s desired string; never entries', () => {
    const kim = personOverride('wiki', 'kim', json, jsonNow)!;
    expect(kim.targets).toEqual(['scim_roster.accounts_00']);
    expect(JSON.parse(written(kim))).toEqual({
      resource: { scim_roster: { accounts_00: { entries_json: { ...nowStrings, kim: kimText } } } },
    });
    expect(written(kim)).not.toContain('"entries"');
    // The same decisions as for typed entries: targets, who is kept, a leaver left out.
    expect(personOverride('wiki', 'ada', json, jsonNow)!.override!.resource.scim_roster.accounts_00.entries_json!.ada).toBe('{"user_name":"ada@x","title":"CTO"}');
    const leo = personOverride('wiki', 'leo', json, jsonNow)!;
    expect(leo.targets).toEqual(personOverride('wiki', 'leo', config, now)!.targets);
    expect(Object.keys(leo.override!.resource.scim_roster.accounts_00.entries_json!).sort()).toEqual(['ada', 'bob']);
    expect(personOverride('wiki', 'zed', json, jsonNow)).toBeUndefined();
  });

  test('a string is kept as Terraform must read it: a literal ${ or %{ of the state written doubled', () => {
    const templated = state([jsonRoster('accounts_00', { ada: '{"user_name":"ada@x","title":"R&D ${team} 100%{x}"}' })] as never);
    expect(personOverride('wiki', 'kim', json, templated)!.override!.resource.scim_roster.accounts_00.entries_json!.ada).toBe('{"user_name":"ada@x","title":"R&D $${team} 100%%{x}"}');
    expect(personOverride('wiki', 'kim', config, templated)!.override!.resource.scim_roster.accounts_00.entries!.ada).toEqual({ user_name: 'ada@x', title: 'R&D $${team} 100%%{x}' });
  });

  test('the manager check reads the desired entry\'s JSON', () => {
    expect(() => personOverride('wiki', 'kim', json, state([jsonRoster('accounts_00', {})] as never))).toThrow(
      /--person kim: in wiki, kim's manager "ada" has no account yet .*scimform apply --person ada/,
    );
  });

  test('a state still in the other form: its entries are written in the configuration\'s form', () => {
    // Configuration switched to entries_json, state still typed: the typed entries as JSON text, nulls left out.
    const toJson = personOverride('wiki', 'kim', json, now)!.override!.resource.scim_roster.accounts_00;
    expect(toJson).toEqual({
      entries_json: {
        ada: JSON.stringify({ user_name: 'ada@x', title: 'Hand-edited', active: true }),
        bob: JSON.stringify({ user_name: 'bob@x', active: true }),
        leo: JSON.stringify({ user_name: 'leo@x', active: true }),
        kim: kimText,
      },
    });
    // Configuration typed, state as entries_json: the strings as typed entries.
    expect(personOverride('wiki', 'kim', config, jsonState(now))).toEqual(personOverride('wiki', 'kim', config, now));
    expect(personOverride('wiki', 'kim', config, jsonNow)!.override!.resource.scim_roster.accounts_00).toEqual({
      entries: { ada: { title: 'Hand-edited', user_name: 'ada@x' }, bob: { user_name: 'bob@x' }, leo: { user_name: 'leo@x', active: true }, kim: { user_name: 'kim@x', manager: 'ada' } },
    });
  });
});
