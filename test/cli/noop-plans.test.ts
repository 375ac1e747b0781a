// The count of managed accounts a plan without changes is reported with (cli/report/noop-plans.ts): scim_user
// resources plus roster entries of the stack's cdk.tf.json, and no count when the configuration declares
// accounts in a way it cannot follow (the report then reads the plan back with terraform show -json).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { declaredAccounts } from '../../cli/report/noop-plans';
import { jsonConfig } from './entries-json-fixture';

let tmp: string;
beforeAll(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-noop-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function stack(name: string, config: unknown): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

const entry = (u: string) => ({ user_name: u, active: true });

describe('declaredAccounts', () => {
  test('counts the entries of every roster slice, empty slices included, plus scim_user resources', () => {
    const dir = stack('rosters', {
      resource: {
        scim_roster: {
          accounts_00: { entries: { E1: entry('a@x'), E2: entry('b@x') } },
          accounts_01: { entries: {} },
          accounts_02: { entries: { E3: entry('c@x') } },
        },
        scim_user: { legacy: { user_name: 'd@x' } },
        scim_group: { team: { display_name: 'Team' } },
        terraform_data: { roster_slices: { input: { slices: 3 } } },
      },
    });
    expect(declaredAccounts(dir)).toBe(4);
  });

  test('counts a roster given as entries_json as the same roster given as entries', () => {
    const typed = {
      resource: {
        scim_roster: { accounts_00: { entries: { E1: entry('a@x'), E2: entry('b@x') } }, accounts_01: { entries: {} }, accounts_02: { entries: { E3: entry('c@x') } } },
        scim_user: { legacy: { user_name: 'd@x' } },
      },
    };
    expect(declaredAccounts(stack('rosters-typed', typed))).toBe(4);
    expect(declaredAccounts(stack('rosters-json', jsonConfig(typed)))).toBe(4);
    // Each key is an account, whatever its string holds; the map given as an expression cannot be counted.
    expect(declaredAccounts(stack('json-template', { resource: { scim_roster: { r: { entries_json: { E1: '${jsonencode(local.e1)}' } } } } }))).toBe(1);
    expect(declaredAccounts(stack('json-expr', { resource: { scim_roster: { r: { entries_json: '${local.people}' } } } }))).toBeUndefined();
  });

  test('counts per-user stacks and stacks without accounts', () => {
    expect(declaredAccounts(stack('users', { resource: { scim_user: { a: { user_name: 'a@x' }, b: { user_name: 'b@x' } } } }))).toBe(2);
    expect(declaredAccounts(stack('none', { provider: {} }))).toBe(0);
  });

  test('gives no count when the configuration cannot be counted from its text', () => {
    expect(declaredAccounts(stack('count', { resource: { scim_user: { a: { count: 3, user_name: 'a@x' } } } }))).toBeUndefined();
    expect(declaredAccounts(stack('each', { resource: { scim_roster: { r: { for_each: '${var.x}', entries: {} } } } }))).toBeUndefined();
    expect(declaredAccounts(stack('expr', { resource: { scim_roster: { r: { entries: '${local.people}' } } } }))).toBeUndefined();
    expect(declaredAccounts(stack('broken', '{ not json'))).toBeUndefined();
    expect(declaredAccounts(path.join(tmp, 'missing'))).toBeUndefined();
  });
});
