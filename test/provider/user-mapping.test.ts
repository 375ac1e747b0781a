// Mapping between scim_user Terraform values and SCIM JSON, and the read reconciliation that keeps plans quiet.
import { ENTERPRISE_USER, profiles, type ScimUser } from '../../providers/scim/client';
import type { ObjectValue } from '../../providers/scim/plugin/provider-definition';
import { desiredUser, importedState, managedAttributes, reconcile, userToTf } from '../../providers/scim/resources/user-mapping';

const NAME_NULL = { given_name: null, family_name: null, middle_name: null, formatted: null, honorific_prefix: null, honorific_suffix: null };

/** A scim_user value with every attribute null except the given ones. */
function tf(values: ObjectValue): ObjectValue {
  const base: ObjectValue = {
    id: null, user_name: null, external_id: null, display_name: null, nick_name: null, title: null, user_type: null,
    preferred_language: null, locale: null, timezone: null, name: null, emails: null, phone_numbers: null, roles: null,
    active: true, employee_number: null, cost_center: null, organization: null, division: null, department: null,
    manager_id: null, on_destroy: 'deactivate', adopt_existing: null, existing_id: null, meta: null,
  };
  return { ...base, ...values };
}

describe('Terraform → SCIM', () => {
  test('a new user carries only the declared attributes, in SCIM names', () => {
    const user = desiredUser(
      tf({
        user_name: 'alice@example.com',
        display_name: 'Alice Martin',
        name: { ...NAME_NULL, given_name: 'Alice', family_name: 'Martin' },
        emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
        roles: ['admin'],
        department: 'R&D',
        manager_id: 'bob-id',
        title: '',
      }),
    );
    expect(user).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER],
      userName: 'alice@example.com',
      displayName: 'Alice Martin',
      name: { givenName: 'Alice', familyName: 'Martin' },
      emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
      roles: [{ value: 'admin' }],
      active: true,
      [ENTERPRISE_USER]: { department: 'R&D', manager: { value: 'bob-id' } },
    });
  });

  test('on an existing account, unset attributes keep the server value and "" removes one', () => {
    const current: ScimUser = {
      id: 'u1',
      userName: 'alice',
      displayName: 'Old',
      title: 'Engineer',
      nickName: 'Ali',
      active: false,
      name: { givenName: 'Alice', formatted: 'Alice M.' },
      [ENTERPRISE_USER]: { costCenter: 'CC1', department: 'Ops' },
      meta: { resourceType: 'User' },
    };
    const user = desiredUser(tf({ user_name: 'alice', display_name: 'New', title: '', name: { ...NAME_NULL, family_name: 'Martin' }, department: 'R&D' }), current);
    expect(user.displayName).toBe('New');
    expect(user.title).toBeUndefined();
    expect(user.nickName).toBe('Ali');
    expect(user.active).toBe(false); // active is changed separately, never by the body
    expect(user.name).toEqual({ givenName: 'Alice', formatted: 'Alice M.', familyName: 'Martin' });
    expect(user[ENTERPRISE_USER]).toEqual({ costCenter: 'CC1', department: 'R&D' });
    expect(user.id).toBeUndefined();
    expect(user.meta).toBeUndefined();
  });

  test('managed attributes are the ones the value sets', () => {
    expect(managedAttributes(tf({ user_name: 'a', display_name: 'A', emails: [], cost_center: 'x' }))).toEqual(['userName', 'displayName', 'emails', ENTERPRISE_USER]);
  });
});

describe('SCIM → Terraform', () => {
  test('every attribute maps to its snake_case name', () => {
    const v = userToTf({
      id: 'u1',
      userName: 'alice',
      externalId: 'e1',
      phoneNumbers: [{ value: '+32 2', type: 'work' }],
      roles: [{ value: 'r' }],
      [ENTERPRISE_USER]: { employeeNumber: '7', manager: { value: 'm1' } },
      meta: { created: '2024-01-01T00:00:00Z' },
    });
    expect(v).toMatchObject({
      id: 'u1',
      user_name: 'alice',
      external_id: 'e1',
      phone_numbers: [{ value: '+32 2', type: 'work', primary: null }],
      roles: ['r'],
      employee_number: '7',
      manager_id: 'm1',
      active: true,
      name: null,
      emails: null,
      meta: { created: '2024-01-01T00:00:00Z', resource_type: null },
    });
  });
});

describe('reconcile after a read: no noise', () => {
  const generic = profiles.generic;

  test('a case-only difference in userName and email keeps the configured spelling', () => {
    const prior = tf({ id: 'u1', user_name: 'Alice@Example.com', emails: [{ value: 'Alice@Example.com', type: null, primary: null }] });
    const state = reconcile(prior, { id: 'u1', userName: 'alice@example.com', emails: [{ value: 'alice@example.com', type: 'work', primary: true }] }, profiles.proxy);
    expect(state.user_name).toBe('Alice@Example.com');
    expect(state.emails).toEqual([{ value: 'Alice@Example.com', type: null, primary: null }]);
  });

  test('sets compare in any order', () => {
    const emails = [
      { value: 'a@x.com', type: 'work', primary: true },
      { value: 'b@x.com', type: 'home', primary: false },
    ];
    const prior = tf({ id: 'u1', user_name: 'a', emails, roles: ['x', 'y'] });
    const state = reconcile(prior, { id: 'u1', userName: 'a', emails: [{ value: 'b@x.com', type: 'home' }, { value: 'a@x.com', type: 'work', primary: true }], roles: [{ value: 'y' }, { value: 'x' }] }, generic);
    expect(state.emails).toBe(emails);
    expect(state.roles).toEqual(['x', 'y']);
  });

  test('values the server adds to unmanaged attributes are recorded (no diff: they are optional+computed)', () => {
    const prior = tf({ id: 'u1', user_name: 'a', name: { ...NAME_NULL, given_name: 'A' } });
    const state = reconcile(prior, { id: 'u1', userName: 'a', userType: 'Employee', name: { givenName: 'A', formatted: 'A B' } }, generic);
    expect(state.user_type).toBe('Employee');
    expect(state.name).toEqual({ ...NAME_NULL, given_name: 'A', formatted: 'A B' });
  });

  test('a real change made out of band shows up', () => {
    const prior = tf({ id: 'u1', user_name: 'a', display_name: 'Alice', emails: [{ value: 'a@x.com', type: null, primary: null }] });
    const state = reconcile(prior, { id: 'u1', userName: 'a', displayName: 'Mallory', emails: [{ value: 'a@x.com' }, { value: 'm@x.com', type: 'work' }] }, generic);
    expect(state.display_name).toBe('Mallory');
    expect(state.emails).toEqual([
      { value: 'a@x.com', type: null, primary: null },
      { value: 'm@x.com', type: 'work', primary: null },
    ]);
  });

  test('a displayName whose case changed is a real change (caseExact)', () => {
    const state = reconcile(tf({ id: 'u1', user_name: 'a', display_name: 'Alice' }), { id: 'u1', userName: 'a', displayName: 'ALICE' }, generic);
    expect(state.display_name).toBe('ALICE');
  });

  test('emails removed on the server become [] when they were managed', () => {
    const state = reconcile(tf({ id: 'u1', user_name: 'a', emails: [{ value: 'a@x.com', type: null, primary: null }] }), { id: 'u1', userName: 'a' }, generic);
    expect(state.emails).toEqual([]);
  });

  test('"" in the configuration matches an absent value', () => {
    const prior = tf({ id: 'u1', user_name: 'a', title: '', emails: [] });
    const state = reconcile(prior, { id: 'u1', userName: 'a' }, generic);
    expect(state.title).toBe('');
    expect(state.emails).toEqual([]);
  });

  test('deactivation and bookkeeping', () => {
    const prior = tf({ id: 'u1', user_name: 'a', on_destroy: 'delete', existing_id: 'u1', adopt_existing: true });
    const state = reconcile(prior, { id: 'u1', userName: 'a', active: false, meta: { version: 'W/"2"' } }, generic);
    expect(state).toMatchObject({ active: false, on_destroy: 'delete', existing_id: 'u1', adopt_existing: true });
    expect((state.meta as ObjectValue).version).toBe('W/"2"');
    // A server that does not return `active` leaves the known value alone.
    expect(reconcile(tf({ id: 'u1', user_name: 'a', active: false }), { id: 'u1', userName: 'a' }, generic).active).toBe(false);
  });
});

describe('import by user_name', () => {
  const server: ScimUser = {
    id: 'u1',
    userName: 'ada.lovelace@example.com',
    emails: [{ value: 'ada.lovelace@example.com', type: 'work', primary: true }, { value: 'ada@home.example', type: 'home' }],
  };

  test('stores user_name and the matching email in the letter case of the import key', () => {
    const state = importedState(server, 'deactivate', 'Ada.Lovelace@Example.com');
    expect(state.user_name).toBe('Ada.Lovelace@Example.com');
    expect(state.emails).toEqual([
      { value: 'Ada.Lovelace@Example.com', type: 'work', primary: true },
      { value: 'ada@home.example', type: 'home', primary: null },
    ]);
  });

  test('import by id (no key) keeps the server copy as it is', () => {
    const state = importedState(server, 'deactivate');
    expect(state.user_name).toBe('ada.lovelace@example.com');
    expect((state.emails as ObjectValue[])[0].value).toBe('ada.lovelace@example.com');
  });
});
