// Validation of scim_user configurations: diagnostics name the attribute.
import { profiles } from '../../providers/scim/client';
import { validateUserConfig, validateUserForProfile } from '../../providers/scim/resources/user-validation';
import { Unknown } from '../../providers/scim/plugin/provider-definition';

describe('static validation', () => {
  test('empty user_name', () => {
    const d = validateUserConfig({ user_name: '' });
    expect(d).toEqual([expect.objectContaining({ severity: 'error', summary: 'Empty user_name', path: ['user_name'] })]);
  });

  test('invalid email, two primaries', () => {
    const d = validateUserConfig({
      user_name: 'alice',
      emails: [
        { value: 'not-an-email', type: null, primary: true },
        { value: 'a@example.com', type: null, primary: true },
      ],
    });
    expect(d.map((x) => [x.summary, x.path])).toEqual([
      ['Invalid email address', ['emails']],
      ['More than one primary email', ['emails']],
    ]);
    expect(d[0].detail).toContain('not-an-email');
  });

  test('on_destroy values', () => {
    expect(validateUserConfig({ user_name: 'a', on_destroy: 'remove' })).toEqual([expect.objectContaining({ path: ['on_destroy'] })]);
    expect(validateUserConfig({ user_name: 'a', on_destroy: 'delete' })).toEqual([]);
  });

  test('unknown values are not judged', () => {
    expect(validateUserConfig({ user_name: Unknown, emails: Unknown, on_destroy: Unknown })).toEqual([]);
  });
});

describe('Proxyclick: userName is the primary email', () => {
  const p = profiles.proxyclick;
  test('user_name must be an email', () => {
    expect(validateUserForProfile({ user_name: 'alice' }, p)).toEqual([expect.objectContaining({ path: ['user_name'], summary: expect.stringContaining('email') })]);
  });
  test('the primary email must equal user_name (case-insensitively)', () => {
    expect(validateUserForProfile({ user_name: 'alice@x.com', emails: [{ value: 'ALICE@x.com', type: null, primary: null }] }, p)).toEqual([]);
    const d = validateUserForProfile({ user_name: 'alice@x.com', emails: [{ value: 'bob@x.com', type: 'work', primary: true }] }, p);
    expect(d).toEqual([expect.objectContaining({ path: ['emails'] })]);
    expect(d[0].detail).toContain('bob@x.com');
  });
  test('other profiles have no such rule', () => {
    expect(validateUserForProfile({ user_name: 'alice', emails: [{ value: 'bob@x.com', type: null, primary: true }] }, profiles.generic)).toEqual([]);
  });
});
