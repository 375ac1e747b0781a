// The access matrix: accounts of one person in several apps join into one row; pending, active and
// deactivated cells; CSV safe for spreadsheets; HTML self-contained with every value escaped.
import { buildAccessMatrix } from '../../cli/access/build-access-matrix';
import { accountsFromConfig, accountsFromState, synthPeople } from '../../cli/access/account-records';
import type { JsonState } from '../../cli/report/plan-json';
import { csvField, renderAccessCsv, renderAccessHtml, renderAccessMarkdown } from '../../cli/access/render-access';
import type { AccountRecord } from '../../cli/access/access-model';
import { jsonConfig, jsonState, tfEntry } from './entries-json-fixture';

const rec = (app: string, source: 'state' | 'config', r: Partial<AccountRecord> & { userName: string }): AccountRecord => ({
  app,
  source,
  address: `scim_user.${r.userName.replace(/\W/g, '_')}`,
  emails: [],
  active: true,
  roles: [],
  ...r,
});

describe('access matrix', () => {
  const ada = { userName: 'ada@example.com', externalId: 'ada', displayName: 'Ada Lovelace', emails: ['ada@example.com'], primaryEmail: 'ada@example.com' };
  const matrix = buildAccessMatrix([
    { app: 'proxyclick', state: [rec('proxyclick', 'state', ada)], config: [rec('proxyclick', 'config', ada)] },
    {
      app: 'proxy',
      state: [
        rec('proxy', 'state', { ...ada, userName: 'ada', roles: ['Admin'] }),
        rec('proxy', 'state', { userName: 'bob', externalId: 'bob', displayName: 'Bob', active: false }),
      ],
      config: [rec('proxy', 'config', { ...ada, userName: 'ada', roles: ['Admin'] }), rec('proxy', 'config', { userName: 'bob', externalId: 'bob', active: false })],
    },
    { app: 'promapp', state: [], config: [rec('promapp', 'config', { userName: 'ADA@example.com', emails: ['ada@example.com'] })] },
  ]);

  test('one row per person, matched by externalId, email or userName across apps', () => {
    expect(matrix.apps).toEqual(['promapp', 'proxy', 'proxyclick']);
    expect(matrix.people.map((p) => p.displayName)).toEqual(['Ada Lovelace', 'Bob']);
    const a = matrix.people[0];
    expect(a.apps.proxyclick).toMatchObject({ status: 'active', userName: 'ada@example.com' });
    expect(a.apps.proxy).toMatchObject({ status: 'active', roles: ['Admin'] });
    expect(a.apps.promapp).toMatchObject({ status: 'pending', note: 'declared, not provisioned yet' });
    expect(matrix.people[1].apps.proxy.status).toBe('deactivated');
    expect(matrix.people[1].apps.proxyclick).toBeUndefined();
  });

  test('Markdown shows status icons, roles and per-app totals', () => {
    const md = renderAccessMarkdown(matrix);
    expect(md).toContain('| Person | promapp | proxy | proxyclick |');
    expect(md).toContain('✅ active (Admin)');
    expect(md).toContain('⏳ pending');
    expect(md).toContain('⛔ deactivated');
    expect(md).toContain('| **Total** | 0 active, 0 deactivated, 1 pending | 1 active, 1 deactivated, 0 pending | 1 active, 0 deactivated, 0 pending |');
  });

  test('CSV quotes fields and neutralises spreadsheet formulas', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('Lovelace, Ada')).toBe('"Lovelace, Ada"');
    const csv = renderAccessCsv(matrix).split('\r\n');
    expect(csv[0]).toBe('person,key,email,promapp status,promapp role,promapp userName,proxy status,proxy role,proxy userName,proxyclick status,proxyclick role,proxyclick userName');
    expect(csv[1]).toBe('Ada Lovelace,ada,ada@example.com,pending,,ADA@example.com,active,Admin,ada,active,,ada@example.com');
  });

  test('HTML is one self-contained page with escaped values', () => {
    const hostile = buildAccessMatrix([{ app: 'x', state: [rec('x', 'state', { userName: '<script>alert(1)</script>', displayName: '"><img src=x>' })] }]);
    const html = renderAccessHtml(hostile);
    expect(html).not.toMatch(/<script>|<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
    expect(html).toContain("Content-Security-Policy");
  });

  test('config records skip interpolations and resources with count/for_each', () => {
    const recs = accountsFromConfig('p', {
      resource: {
        scim_user: {
          user_ada: { user_name: 'ada', roles: ['Admin'], external_id: 'ada', emails: [{ value: 'ada@example.com', primary: true }] },
          user_x: { user_name: '${var.name}' },
          user_many: { user_name: 'm', count: 3 },
        },
      },
    });
    expect(recs).toEqual([
      expect.objectContaining({ address: 'scim_user.user_ada', userName: 'ada', roles: ['Admin'], primaryEmail: 'ada@example.com', active: true }),
    ]);
  });

  test('synth metadata joins accounts by person key and shows who is deliberately not provisioned', () => {
    const config = {
      '//': {
        scimform: {
          users: { 'scim_user.user_ada': { person: 'ada' } },
          excluded: [
            { person: 'kat', reason: 'leaver', detail: 'left on 2025-01-31 — not provisioned; an existing account is deactivated' },
            { person: 'tim', reason: 'leaver', detail: 'left on 2025-06-30', existingAccount: 'deleted', name: 'Tim Berners-Lee', email: 'tim@example.com' },
          ],
        },
      },
      resource: { scim_user: { user_ada: { user_name: 'a.lovelace', display_name: 'Ada Lovelace' } } },
    };
    const m = buildAccessMatrix([
      { app: 'promapp', config: accountsFromConfig('promapp', config), state: [], excluded: config['//'].scimform.excluded },
      { app: 'proxy', state: [rec('proxy', 'state', { userName: 'ada-x', personKey: 'ada', active: true })] },
    ]);
    expect(m.people.map((p) => [p.key, Object.fromEntries(Object.entries(p.apps).map(([a, c]) => [a, c.status]))])).toEqual([
      ['ada', { promapp: 'pending', proxy: 'active' }],
      ['kat', { promapp: 'left' }],
      ['tim', { promapp: 'left' }],
    ]);
    // A leaver whose resource already left state: the decision deactivated (or deleted) the account, not "not provisioned".
    expect(renderAccessMarkdown(m)).toContain('| kat | 🚪 left <br>_left on 2025-01-31; account deactivated_ | — |');
    // A leaver provisioned nowhere still shows with the name and email synth recorded.
    expect(renderAccessMarkdown(m)).toContain('| Tim Berners-Lee <br>`tim@example.com` | 🚪 left <br>_left on 2025-06-30; account deleted_ | — |');
    expect(renderAccessMarkdown(m)).not.toContain('🚫 not provisioned <br>');
  });

  test("an assignment's role shows even where the app's profile does not send roles (Promapp's Promaster)", () => {
    const config = {
      '//': { scimform: { users: { 'scim_user.user_mary': { person: 'mary', roles: ['Promaster'] }, 'scim_user.user_ada': { person: 'ada', roles: [] } } } },
      resource: { scim_user: { user_mary: { user_name: 'mary@example.com' }, user_ada: { user_name: 'ada@example.com' } } },
    };
    const state = {
      values: {
        root_module: {
          resources: [
            { address: 'scim_user.user_mary', mode: 'managed', type: 'scim_user', name: 'user_mary', values: { user_name: 'mary@example.com', active: true, roles: null } },
            { address: 'scim_user.user_ada', mode: 'managed', type: 'scim_user', name: 'user_ada', values: { user_name: 'ada@example.com', active: true, roles: null } },
          ],
        },
      },
    };
    const people = synthPeople(config);
    const m = buildAccessMatrix([
      { app: 'promapp', config: accountsFromConfig('promapp', config), state: accountsFromState('promapp', state as JsonState, people) },
    ]);
    const cells = Object.fromEntries(m.people.map((p) => [p.key, p.apps.promapp]));
    expect(cells.mary).toMatchObject({ status: 'active', roles: ['Promaster'] });
    expect(cells.ada).toMatchObject({ status: 'active', roles: [] });
    expect(renderAccessMarkdown(m)).toContain('✅ active (Promaster)');
  });
  test('a roster given as entries_json gives the same accounts and matrix as the same roster given as entries', () => {
    const entry = (k: string, extra: Record<string, unknown> = {}) => ({ user_name: `${k}@example.com`, external_id: k, display_name: k, emails: [{ value: `${k}@example.com`, type: 'work', primary: true }], ...extra });
    const config = {
      '//': { scimform: { users: {}, excluded: [{ person: 'bob', reason: 'leaver', detail: 'left on 2026-11-30 — not provisioned' }] } },
      resource: { scim_roster: { accounts_00: { entries: { ada: entry('ada', { roles: ['Admin'] }), dave: entry('dave', { active: false }), kim: entry('kim') } } } },
    };
    const inState = (k: string, extra: Record<string, unknown> = {}) => tfEntry({ ...entry(k), active: true, ...extra });
    const state = {
      values: {
        root_module: {
          resources: [
            {
              address: 'scim_roster.accounts_00',
              mode: 'managed',
              type: 'scim_roster',
              name: 'accounts_00',
              values: {
                id: 'roster',
                on_destroy: 'deactivate',
                entries: { ada: inState('ada', { roles: ['Admin'] }), bob: inState('bob'), dave: inState('dave', { active: false }) },
                entries_json: null,
                accounts: { ada: { id: 'id-ada' }, bob: { id: 'id-bob' }, dave: { id: 'id-dave' } },
              },
            },
          ],
        },
      },
    } as unknown as JsonState;
    const matrix = (cfg: typeof config, st: JsonState) =>
      buildAccessMatrix([{ app: 'wiki', config: accountsFromConfig('wiki', cfg), state: accountsFromState('wiki', st, synthPeople(cfg)), excluded: synthPeople(cfg).excluded }]);
    expect(accountsFromConfig('wiki', jsonConfig(config))).toEqual(accountsFromConfig('wiki', config));
    expect(accountsFromState('wiki', jsonState(state))).toEqual(accountsFromState('wiki', state));
    const md = renderAccessMarkdown(matrix(jsonConfig(config), jsonState(state)));
    expect(md).toBe(renderAccessMarkdown(matrix(config, state)));
    const cells = Object.fromEntries(matrix(jsonConfig(config), jsonState(state)).people.map((p) => [p.key, p.apps.wiki?.status]));
    expect(cells).toEqual({ ada: 'active', bob: 'active', dave: 'deactivated', kim: 'pending' });
    expect(md).toContain('✅ active (Admin)');
  });
});

