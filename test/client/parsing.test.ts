// Lenient parsing of what real servers send: boolean strings, capitalised keys, numbers as strings.
import { ENTERPRISE_USER, parseGroup, parseListResponse, parseUser } from '../../providers/scim/client';
import { parseServiceProviderConfig } from '../../providers/scim/client/capabilities';

describe('lenient SCIM parsing', () => {
  it('accepts "True"/"false" strings, missing schemas, capitalised keys, and keeps unknown attributes', () => {
    const u = parseUser({
      ID: '42',
      UserName: 'bob@example.com',
      active: 'False',
      Emails: [{ Value: 'Bob@example.com', Primary: 'True', type: 'work' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:user': { Department: 'Ops', manager: 'm1' },
      addresses: [{ locality: 'Brussels' }],
    });
    expect(u).toMatchObject({
      id: '42',
      userName: 'bob@example.com',
      active: false,
      emails: [{ value: 'Bob@example.com', primary: true, type: 'work' }],
      [ENTERPRISE_USER]: { department: 'Ops', manager: { value: 'm1' } },
      addresses: [{ locality: 'Brussels' }],
    });
    expect(u.schemas).toBeUndefined();
  });

  it('rejects a user without userName with a clear message', () => {
    expect(() => parseUser({ id: '1' })).toThrow(/userName/);
  });

  it('reads list responses with Resources or resources and numbers as strings', () => {
    expect(parseListResponse({ totalResults: '3', startIndex: '1', Resources: [{ a: 1 }] })).toEqual({ totalResults: 3, startIndex: 1, itemsPerPage: undefined, resources: [{ a: 1 }] });
    expect(parseListResponse({ TotalResults: 0, resources: [] }).totalResults).toBe(0);
  });

  it('parses groups with members', () => {
    expect(parseGroup({ id: 'g', displayName: 'Ops', members: [{ value: 'u1', display: 'U' }, 'u2'] })).toEqual({ id: 'g', displayName: 'Ops', members: [{ value: 'u1', display: 'U' }, { value: 'u2' }] });
  });

  it('parses a ServiceProviderConfig leniently', () => {
    const caps = parseServiceProviderConfig({
      patch: { supported: 'true' },
      bulk: { supported: false, maxOperations: '0' },
      filter: { supported: true, maxResults: '200' },
      authenticationSchemes: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token' }],
    });
    expect(caps).toMatchObject({ patch: true, bulk: { supported: false, maxOperations: 0 }, filter: { supported: true, maxResults: 200 }, etag: false, discovered: true });
    expect(caps.authenticationSchemes[0].type).toBe('oauthbearertoken');
  });
});
