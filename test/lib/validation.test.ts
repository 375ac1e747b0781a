// Synth-time validation: each mistake fails synth with the construct path, what is wrong and how to fix it.
import { Testing } from 'cdktf';
import { AppAssignment, appTarget, Credential, ScimApp } from '../../lib';
import { directory, scimApp, synth, testApp } from './fixtures';

const failure = (stack: ScimApp): string => {
  try {
    synth(stack);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail');
};

describe('synth-time validation', () => {
  test('duplicate userName in one app, compared case-insensitively', () => {
    const app = testApp();
    const dir = directory(app, {
      people: [{ key: 'ada2', givenName: 'Ada', familyName: 'Twin', email: 'ada.lovelace@EXAMPLE.com', teams: ['eng'] }],
    });
    const wiki = scimApp(app, dir);
    wiki.assignTeam('eng');
    expect(failure(wiki)).toContain(
      '[wiki] SCIMFORM_DUPLICATE_USERNAME: userName "Ada.Lovelace@example.com" would be given to ada and ada2 in wiki ' +
        '(userNames are compared case-insensitively, and each account needs its own). ' +
        "Give these people distinct userNames/emails in the org files, or override this app's userName mapping.",
    );
  });

  test('assignment to an unknown person names the construct and the known keys', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app));
    wiki.assignPerson('zoe');
    expect(failure(wiki)).toContain(
      '[wiki/person-zoe] SCIMFORM_UNKNOWN_PERSON: this assignment names person "zoe", who is not in the directory. ' +
        'Fix the key or add a person with key "zoe" to Org (people). Known people: ada, grace, linus, mary, tim.',
    );
  });

  test('assignment to an unknown team', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app));
    wiki.assignTeam('ops', { role: 'Reader' });
    expect(failure(wiki)).toContain(
      '[wiki/team-ops-reader] SCIMFORM_UNKNOWN_TEAM: team "ops" is not in the directory. Fix the key or add a team with key "ops" to Org (teams). Known teams: eng, sales.',
    );
  });

  test('an assignment needs exactly one of person and team', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app));
    new AppAssignment(wiki, 'both', { person: 'ada', team: 'eng' });
    expect(failure(wiki)).toContain('[wiki/both] SCIMFORM_INVALID_ASSIGNMENT: give exactly one of `person` and `team`.');
  });

  test('group push on a users-only app', () => {
    const app = testApp();
    const pc = scimApp(app, directory(app), { profile: 'proxyclick', pushGroups: ['eng'] }, 'proxyclick');
    pc.assignTeam('eng');
    expect(failure(pc)).toContain(
      '[proxyclick] SCIMFORM_GROUPS_UNSUPPORTED: proxyclick (profile "proxyclick") provisions users only, so team "eng" cannot be pushed as a group. ' +
        'Remove it from pushGroups, or use a profile that supports groups (generic, proxy).',
    );
  });

  test('pushing an unknown team', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), { pushGroups: ['ops'] });
    expect(failure(wiki)).toContain('[wiki] SCIMFORM_UNKNOWN_TEAM: team "ops" is not in the directory.');
  });

  test('missing credential for a non-sandbox endpoint: none declared', () => {
    const app = testApp();
    const pm = new ScimApp(app, 'promapp', { directory: directory(app), profile: 'promapp', title: 'Promapp', endpoint: 'https://api.promapp.com/api/scim' });
    expect(failure(pm)).toContain(
      "[promapp] SCIMFORM_MISSING_CREDENTIAL: Promapp targets https://api.promapp.com/api/scim but has no token (every endpoint but the local sandbox needs credentials). Add credentials: { token: Credential.env('…_TOKEN') } and export that variable.",
    );
  });

  test('missing credential for the sandbox URL given as a real endpoint: not called "not a sandbox endpoint"', () => {
    delete process.env.SCIMFORM_WIKI_TOKEN;
    const app = testApp();
    const dir = directory(app);
    // What main.ts builds when SCIMFORM_WIKI_ENDPOINT is set to the sandbox's URL and SCIMFORM_WIKI_TOKEN is not.
    const target = appTarget({ envPrefix: 'SCIMFORM_WIKI', sandboxTenant: 'generic', auth: 'bearer', env: { SCIMFORM_WIKI_ENDPOINT: 'http://127.0.0.1:8890/generic/scim/v2' } });
    const wiki = new ScimApp(app, 'wiki', { directory: dir, title: 'Wiki', ...target });
    const msg = failure(wiki);
    expect(msg).toContain(
      '[wiki] SCIMFORM_MISSING_CREDENTIAL: Wiki targets http://127.0.0.1:8890/generic/scim/v2 but has no token ' +
        '(this endpoint on this machine was given as a real endpoint, not as the sandbox, so it needs credentials like any app; ' +
        "the sandbox's own tokens are in its credentials.json). Set the environment variable SCIMFORM_WIKI_TOKEN (or TF_VAR_scim_token) before synth.",
    );
    expect(msg).not.toContain('not a sandbox');
  });

  test('missing credential for a non-sandbox endpoint: the named variable is not set', () => {
    delete process.env.SCIMFORM_TEST_PROXY_PASSWORD;
    process.env.SCIMFORM_TEST_PROXY_USERNAME = 'app-key';
    const app = testApp();
    const px = new ScimApp(app, 'proxy', {
      directory: directory(app),
      profile: 'proxy',
      title: 'Proxy',
      endpoint: 'https://scim.proxy.com/v2',
      credentials: { username: Credential.env('SCIMFORM_TEST_PROXY_USERNAME'), password: Credential.env('SCIMFORM_TEST_PROXY_PASSWORD') },
    });
    const msg = failure(px);
    expect(msg).toContain(
      '[proxy] SCIMFORM_MISSING_CREDENTIAL: Proxy targets https://scim.proxy.com/v2 but has no password (every endpoint but the local sandbox needs credentials). ' +
        'Set the environment variable SCIMFORM_TEST_PROXY_PASSWORD (or TF_VAR_scim_password) before synth.',
    );
    expect(msg).not.toContain('app-key');
    // with the variable set, synth passes and still writes no secret
    process.env.SCIMFORM_TEST_PROXY_PASSWORD = 'hunter2-secret';
    const app2 = testApp();
    const ok = new ScimApp(app2, 'proxy', {
      directory: directory(app2),
      profile: 'proxy',
      endpoint: 'https://scim.proxy.com/v2',
      credentials: { username: Credential.env('SCIMFORM_TEST_PROXY_USERNAME'), password: Credential.env('SCIMFORM_TEST_PROXY_PASSWORD') },
    });
    ok.assignPerson('ada');
    const out = synth(ok);
    expect(out).not.toContain('hunter2-secret');
    expect(out).not.toContain('app-key');
    delete process.env.SCIMFORM_TEST_PROXY_PASSWORD;
  });

  test('a sandbox endpoint needs no credential at synth', () => {
    const app = testApp();
    const wiki = new ScimApp(app, 'wiki', { directory: directory(app), endpoint: 'http://localhost:8890/generic/scim/v2' });
    wiki.assignPerson('ada');
    expect(() => synth(wiki)).not.toThrow();
  });

  test('credentials of the wrong kind for the profile', () => {
    const app = testApp();
    const px = scimApp(app, directory(app), { profile: 'proxy' }, 'proxy');
    expect(failure(px)).toContain(
      '[proxy] SCIMFORM_WRONG_AUTH: proxy uses profile "proxy", which authenticates with HTTP Basic: give credentials { username, password } instead of a token.',
    );
  });

  test('invalid scoping clauses', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app), {
      scope: [
        [
          { attribute: 'departmnet', operator: 'EQUALS', value: 'Sales' },
          { attribute: 'title', operator: 'EQUAL' as never, value: 'x' },
          { attribute: 'title', operator: 'REGEX MATCH', value: '(' },
          { attribute: 'employeeNumber', operator: 'GREATER_THAN', value: 'ten' },
          { attribute: 'title', operator: 'IS NULL', value: 'x' },
          { attribute: 'title', operator: 'EQUALS' },
        ],
      ],
    });
    const msg = failure(wiki);
    expect(msg).toContain('[wiki] SCIMFORM_INVALID_SCOPING: scoping filter of wiki, groups[0][0].attribute: unknown attribute "departmnet"');
    expect(msg).toContain('groups[0][1].operator: unknown operator "EQUAL" (use one of EQUALS, NOT EQUALS, IS TRUE, IS FALSE, IS NULL, IS NOT NULL, REGEX MATCH, NOT REGEX MATCH, GREATER_THAN, LESS_THAN)');
    expect(msg).toContain('groups[0][2].value: invalid regular expression');
    expect(msg).toContain('groups[0][3].value: GREATER_THAN compares numbers; "ten" is not a number');
    expect(msg).toContain('groups[0][4].value: IS NULL takes no value');
    expect(msg).toContain('groups[0][5].value: EQUALS needs a value');
  });

  test('a mapping that throws, and one that yields no userName', () => {
    const app = testApp();
    const dir = directory(app);
    const a = scimApp(app, dir, { mappings: { title: () => { throw new Error('no HR data'); } } }, 'a');
    a.assignPerson('ada');
    expect(failure(a)).toContain('[a] SCIMFORM_MAPPING_FAILED: the title mapping of a failed for person "ada": no HR data. Fix the mapping function.');
    const b = scimApp(app, dir, { mappings: { userName: () => undefined } }, 'b');
    b.assignPerson('ada');
    expect(failure(b)).toContain('[b] SCIMFORM_EMPTY_USERNAME: the userName mapping of b returned nothing for person "ada".');
  });

  test('two pushed teams with the same group name', () => {
    const app = testApp();
    const dir = directory(app, { teams: [{ key: 'eng2', displayName: 'ENGINEERING' }] });
    const wiki = scimApp(app, dir, { pushGroups: ['eng', 'eng2'] });
    expect(failure(wiki)).toContain('[wiki] SCIMFORM_DUPLICATE_GROUP: group displayName "Engineering" would be pushed for teams eng and eng2 in wiki');
  });

  test('construct API misuse fails at once', () => {
    const app = testApp();
    const dir = directory(app);
    expect(() => scimApp(app, dir, { endpoint: 'not a url' }, 'x')).toThrow('SCIMFORM_INVALID_ENDPOINT: x: endpoint "not a url" is not a URL');
    expect(() => scimApp(app, dir, { profile: 'slack' as never }, 'y')).toThrow('SCIMFORM_UNKNOWN_PROFILE: y: unknown profile "slack" (use one of generic, proxyclick, promapp, proxy)');
    const wiki = scimApp(app, dir);
    wiki.assignPerson('ada');
    expect(() => wiki.assignPerson('ada')).toThrow('SCIMFORM_DUPLICATE_ASSIGNMENT: wiki: person ada is already assigned; remove the duplicate');
  });

  test('directory reference problems surface when an app synthesizes', () => {
    const app = Testing.app();
    const dir = directory(app);
    dir.addPerson({ key: 'bob', givenName: 'Bob', familyName: 'B', email: 'bob@example.com', manager: 'ghost' });
    const wiki = scimApp(app, dir);
    expect(failure(wiki)).toContain('Org: person "bob".manager: unknown person "ghost"');
  });
});
