// Connector profiles as data: the registry, the four seed apps' quirks, and a clear unknown-profile error.
import { getProfile, profiles, ScimClientError } from '../../providers/scim/client';

describe('connector profiles', () => {
  it('registers the four seed profiles under their names', () => {
    expect(Object.keys(profiles).sort()).toEqual(['generic', 'promapp', 'proxy', 'proxyclick']);
    for (const [name, p] of Object.entries(profiles)) {
      expect(p.name).toBe(name);
      expect(p.notes.length).toBeGreaterThan(20);
      expect(p.memberPatchBatchSize).toBeGreaterThan(0);
    }
  });

  it('describes each app quirk as data', () => {
    expect(getProfile('proxyclick')).toMatchObject({ supportsGroups: false, userNameIsEmail: true, auth: 'bearer' });
    expect(getProfile('promapp')).toMatchObject({ supportsGroups: false, userNameChange: 'put', deleteMeans: 'deactivate', patchableUserPaths: ['name.givenName', 'name.familyName', 'emails'] });
    expect(getProfile('proxy')).toMatchObject({ auth: 'basic', supportsGroups: true, emailCaseFolding: 'lower', pendingUserCannotDeactivate: true });
    expect(getProfile('generic')).toMatchObject({ supportsPatch: 'discover', supportsGroups: true });
  });

  it('names the valid profiles when asked for an unknown one', () => {
    expect(() => getProfile('okta')).toThrow(ScimClientError);
    try {
      getProfile('okta');
    } catch (e) {
      expect((e as ScimClientError).code).toBe('SCIM_UNKNOWN_PROFILE');
      expect((e as Error).message).toMatch(/"okta".*generic, proxyclick, promapp, proxy/);
    }
  });
});
