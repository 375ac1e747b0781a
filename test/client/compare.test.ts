// Comparison without noise: case-insensitive identifiers, multi-valued attributes as sets, empty ≡ absent.
import { ENTERPRISE_USER, getProfile, sameUserAttribute, userChanges, type ScimUser } from '../../providers/scim/client';

const generic = getProfile('generic');
const proxy = getProfile('proxy');

describe('sameUserAttribute', () => {
  it.each([
    ['userName', 'Alice@Example.com', 'alice@example.com', true],
    ['externalId', 'ABC', 'abc', false],
    ['displayName', 'alice smith', 'Alice Smith', false],
    ['locale', 'en-US', 'en-us', true],
    ['title', undefined, '', true],
    ['title', null, undefined, true],
    ['title', 'x', undefined, false],
    ['name.givenName', 'Al', 'Al', true],
    ['active', true, 'True', true],
    ['active', false, true, false],
    [`${ENTERPRISE_USER}.department`, 'Sales', 'Sales', true],
    [`${ENTERPRISE_USER}:department`, 'Sales', 'sales', false],
    [`${ENTERPRISE_USER}.manager`, { value: 'm1', displayName: 'Boss' }, { value: 'm1' }, true],
    [`${ENTERPRISE_USER}.manager`, { value: 'm1' }, 'm2', false],
  ])('%s: %p vs %p → %p', (attr, a, b, same) => {
    expect(sameUserAttribute(attr, a, b, generic)).toBe(same);
  });

  it('compares multi-valued attributes as sets, primary=false ≡ absent, email case ignored', () => {
    const a = [
      { value: 'A@x.com', type: 'work', primary: true },
      { value: 'b@x.com', type: 'home', primary: false },
    ];
    const b = [
      { value: 'b@x.com', type: 'Home' },
      { value: 'a@x.com', type: 'work', primary: true },
    ];
    expect(sameUserAttribute('emails', a, b, generic)).toBe(true);
    expect(sameUserAttribute('emails', a, [b[1]], generic)).toBe(false);
    expect(sameUserAttribute('emails', [], undefined, generic)).toBe(true);
  });

  it('treats the Proxy app lower-casing stored emails as no change', () => {
    expect(sameUserAttribute('emails', [{ value: 'Bob.Jones@Example.com', primary: true }], [{ value: 'bob.jones@example.com', primary: true }], proxy)).toBe(true);
  });

  it('compares complex top-level attributes (name, the enterprise URN) leaf by leaf', () => {
    expect(sameUserAttribute('name', { givenName: 'A', familyName: '' }, { givenName: 'A' }, generic)).toBe(true);
    expect(sameUserAttribute(ENTERPRISE_USER, { department: 'x', manager: { value: '1' } }, { department: 'x', manager: { value: '2' } }, generic)).toBe(false);
  });
});

describe('userChanges', () => {
  const current: ScimUser = {
    id: '1',
    userName: 'alice@example.com',
    displayName: 'Alice',
    name: { givenName: 'Alice', familyName: 'Smith' },
    active: true,
    emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
    title: 'Engineer',
    [ENTERPRISE_USER]: { department: 'R&D' },
    meta: { resourceType: 'User', created: '2024-01-01' },
  };

  it('reports nothing when only case and server-added defaults differ', () => {
    const desired: ScimUser = { userName: 'Alice@Example.com', displayName: 'Alice', emails: [{ value: 'ALICE@example.com', type: 'work', primary: true }] };
    expect(userChanges(current, desired, generic)).toEqual([]);
  });

  it('lists changed leaves, and cleared managed attributes', () => {
    const desired: ScimUser = { userName: 'alice@example.com', displayName: 'Alice S', name: { givenName: 'Alice', familyName: 'Jones' }, [ENTERPRISE_USER]: { department: 'Ops' } };
    expect(userChanges(current, desired, generic)).toEqual(['displayName', 'name.familyName', `${ENTERPRISE_USER}.department`]);
    expect(userChanges(current, { userName: 'alice@example.com' }, generic, ['userName', 'title', 'name'])).toEqual(['name.givenName', 'name.familyName', 'title']);
  });

  it('leaves unmanaged attributes alone and never removes an unset boolean', () => {
    expect(userChanges(current, { userName: 'alice@example.com' }, generic, ['userName', 'active'])).toEqual([]);
    expect(userChanges(current, { userName: 'alice@example.com', active: false }, generic)).toEqual(['active']);
  });
});
