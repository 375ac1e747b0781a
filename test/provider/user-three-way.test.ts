// The three-way decision of a scim_user update (prior state → planned state, against the account read now) and
// the wording of the conflict error, without Terraform or a server.
import { profiles, type ScimUser } from '../../providers/scim/client';
import type { ObjectValue } from '../../providers/scim/plugin/provider-definition';
import { reconcile } from '../../providers/scim/resources/user-mapping';
import { decideUpdate } from '../../providers/scim/resources/user-three-way';
import { conflictError } from '../../providers/scim/resources/user-update';

const NAME_NULL = { given_name: null, family_name: null, middle_name: null, formatted: null, honorific_prefix: null, honorific_suffix: null };

function tf(values: ObjectValue): ObjectValue {
  return {
    id: 'u1', user_name: 'alice@example.com', external_id: null, display_name: 'Alice', nick_name: null, title: 'Engineer', user_type: null,
    preferred_language: null, locale: null, timezone: null, name: { ...NAME_NULL, given_name: 'Alice' }, emails: null, phone_numbers: null, roles: null,
    active: true, employee_number: null, cost_center: null, organization: null, division: null, department: null,
    manager_id: null, on_destroy: 'deactivate', adopt_existing: null, existing_id: null, existing_active: null, meta: null, ...values,
  };
}

const server = (extra: Partial<ScimUser> = {}): ScimUser => ({ id: 'u1', userName: 'alice@example.com', displayName: 'Alice', title: 'Engineer', name: { givenName: 'Alice' }, active: true, ...extra });
const decide = (prior: ObjectValue, planned: ObjectValue, now: ScimUser, profile = profiles.generic) => {
  const d = decideUpdate(prior, planned, reconcile(prior, now, profile), profile);
  return { write: d.write.map((a) => a.tf), already: d.already.map((a) => a.tf), conflicts: d.conflicts.map((c) => c.attribute.tf) };
};

test('only what the plan changes is written; edits the plan does not touch are left alone', () => {
  const prior = tf({});
  const planned = tf({ title: 'Manager' });
  // An admin deactivated the account and renamed it since the plan: neither is in the plan.
  expect(decide(prior, planned, server({ active: false, displayName: 'Renamed', nickName: 'Ali' }))).toEqual({ write: ['title'], already: [], conflicts: [] });
});

test('the account already has the planned value → nothing to write', () => {
  expect(decide(tf({}), tf({ title: 'Manager' }), server({ title: 'Manager' }))).toEqual({ write: [], already: ['title'], conflicts: [] });
});

test('the planned attribute changed to a third value → conflict', () => {
  expect(decide(tf({}), tf({ title: 'Manager' }), server({ title: 'Director' }))).toEqual({ write: [], already: [], conflicts: ['title'] });
  // removed in the app is a third value too
  expect(decide(tf({}), tf({ title: 'Manager' }), server({ title: undefined })).conflicts).toEqual(['title']);
});

test('active is written only when the plan changes it', () => {
  expect(decide(tf({ active: false }), tf({ active: true }), server({ active: false })).write).toEqual(['active']);
  expect(decide(tf({}), tf({ active: false }), server({ active: true })).write).toEqual(['active']);
  expect(decide(tf({}), tf({ active: false }), server({ active: false })).already).toEqual(['active']);
});

test('name parts are decided one by one', () => {
  const prior = tf({});
  const planned = tf({ name: { ...NAME_NULL, given_name: 'Alicia' } });
  expect(decide(prior, planned, server({ name: { givenName: 'Alice', middleName: 'J' } })).write).toEqual(['name.given_name']);
});

test('comparisons follow the profile: a case-only difference in an email is no conflict where the app lower-cases emails', () => {
  const email = (value: string) => [{ value, type: null, primary: null }];
  const prior = tf({ emails: email('Alice@Example.com') });
  const planned = tf({ emails: email('Alice.M@Example.com') });
  const now = server({ emails: [{ value: 'alice.m@example.com' }] });
  expect(decide(prior, planned, now, profiles.proxy)).toEqual({ write: [], already: ['emails'], conflicts: [] });
  expect(decide(prior, planned, now, profiles.generic).already).toEqual(['emails']); // emails are case-insensitive in SCIM anyway
  expect(decide(prior, planned, server({ emails: [{ value: 'someone.else@example.com' }] }), profiles.proxy).conflicts).toEqual(['emails']);
});

test('a case-only user_name change the server already has is not a conflict', () => {
  expect(decide(tf({}), tf({ user_name: 'Alice@Example.com' }), server({ userName: 'ALICE@example.com' })).conflicts).toEqual([]);
});

test('the conflict error names the resource, the attribute, prior, planned and current values, and says to re-plan', () => {
  const prior = tf({});
  const planned = tf({ title: 'Manager' });
  const d = decideUpdate(prior, planned, reconcile(prior, server({ title: 'Director' }), profiles.generic), profiles.generic);
  const e = conflictError({ client: undefined as never, endpoint: 'https://app.example/scim/v2', id: 'u1', prior, planned }, d.conflicts, false);
  expect(e.summary).toBe('scim_user alice@example.com (SCIM id u1) was changed in the app since the plan');
  expect(e.detail).toContain('- title: the plan changes it from "Engineer" to "Manager", but the account now has "Director"');
  expect(e.detail).toContain('Apply stopped without writing anything to this account, and the change made in the app is kept.');
  expect(e.detail).toContain('Re-run terraform plan (or scimform plan)');
  expect(e.path).toEqual(['title']);
});
