// PATCH generation: changed attributes only, whole multi-valued attributes, removes, URN paths, batches.
import { ENTERPRISE_USER, getProfile, userChanges, type ConnectorProfile, type ScimUser } from '../../providers/scim/client';
import { isPatchable, memberPatchBatches, userPatchOperations } from '../../providers/scim/client/patch-builder';
import { userPutBody } from '../../providers/scim/client/wire';

const generic = getProfile('generic');
const promapp = getProfile('promapp');

const current: ScimUser = {
  id: 'u1',
  userName: 'alice@example.com',
  displayName: 'Alice',
  title: 'Engineer',
  name: { givenName: 'Alice', familyName: 'Smith' },
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
  [ENTERPRISE_USER]: { department: 'R&D', manager: { value: 'boss1', displayName: 'Boss' } },
};

describe('user PATCH operations', () => {
  it('replaces whole multi-valued attributes, removes cleared ones, uses URN paths and {value} for manager', () => {
    const desired: ScimUser = {
      userName: 'alice@example.com',
      displayName: 'Alice',
      title: '',
      emails: [
        { value: 'alice@example.com', type: 'work', primary: true },
        { value: 'a@home.example', type: 'home' },
      ],
      [ENTERPRISE_USER]: { department: 'Ops', manager: { value: 'boss2' } },
    };
    const changes = userChanges(current, desired, generic, ['userName', 'displayName', 'title', 'emails', ENTERPRISE_USER]);
    expect(userPatchOperations(changes, desired, generic)).toEqual([
      { op: 'remove', path: 'title' },
      {
        op: 'replace',
        path: 'emails',
        value: [
          { value: 'alice@example.com', type: 'work', primary: true },
          { value: 'a@home.example', type: 'home' },
        ],
      },
      { op: 'replace', path: `${ENTERPRISE_USER}:department`, value: 'Ops' },
      { op: 'replace', path: `${ENTERPRISE_USER}:manager`, value: { value: 'boss2' } },
    ]);
  });

  it('writes op names capitalised when the profile says so', () => {
    const capitalised: ConnectorProfile = { ...generic, patchOpCase: 'capitalised' };
    expect(userPatchOperations(['displayName', 'title'], { userName: 'x', displayName: 'B' }, capitalised)).toEqual([
      { op: 'Replace', path: 'displayName', value: 'B' },
      { op: 'Remove', path: 'title' },
    ]);
  });

  it('knows what Promapp PATCH may change (names, emails) and sends userName by PUT', () => {
    expect(isPatchable('name.givenName', promapp)).toBe(true);
    expect(isPatchable('emails', promapp)).toBe(true);
    expect(isPatchable('userName', promapp)).toBe(false);
    expect(isPatchable('title', promapp)).toBe(false);
    expect(isPatchable('userName', generic)).toBe(true);
  });

  it('builds a full PUT body: the current resource merged with the desired changes', () => {
    const desired: ScimUser = { userName: 'alice.smith@example.com', title: '' };
    const body = userPutBody({ ...current, meta: { resourceType: 'User' } }, desired, ['userName', 'title']);
    expect(body).toEqual({
      id: 'u1',
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER],
      userName: 'alice.smith@example.com',
      displayName: 'Alice',
      name: { givenName: 'Alice', familyName: 'Smith' },
      emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
      [ENTERPRISE_USER]: { department: 'R&D', manager: { value: 'boss1' } },
    });
  });
});

describe('member PATCH batches', () => {
  const ids = (p: string, n: number) => Array.from({ length: n }, (_, i) => `${p}${i}`);

  it('carries the add and the remove operations in one PATCH for a small change', () => {
    const [only, ...rest] = memberPatchBatches(['u4', 'u5'], ['u1'], generic, 100);
    expect(rest).toEqual([]);
    expect(only.Operations).toEqual([
      { op: 'add', path: 'members', value: [{ value: 'u4' }, { value: 'u5' }] },
      { op: 'remove', path: 'members[value eq "u1"]' },
    ]);
  });

  it('splits 1,000 members into batches of the configured size', () => {
    const bodies = memberPatchBatches(ids('a', 950), ids('r', 50), generic, 100);
    expect(bodies).toHaveLength(10);
    const count = (b: (typeof bodies)[number]) => b.Operations.reduce((n, o) => n + (Array.isArray(o.value) ? o.value.length : 1), 0);
    expect(bodies.every((b) => count(b) <= 100)).toBe(true);
    expect(bodies.reduce((n, b) => n + count(b), 0)).toBe(1000);
  });

  it('escapes member ids in remove paths and supports the value-list form', () => {
    expect(memberPatchBatches([], ['we"ird\\id'], generic, 10)[0].Operations).toEqual([{ op: 'remove', path: 'members[value eq "we\\"ird\\\\id"]' }]);
    const valueList: ConnectorProfile = { ...generic, memberRemoveForm: 'value-list', patchOpCase: 'capitalised' };
    expect(memberPatchBatches([], ['u1', 'u2'], valueList, 10)[0].Operations).toEqual([{ op: 'Remove', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] }]);
  });
});
