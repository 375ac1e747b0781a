// Misplaced or mistyped construct options fail at once (TypeScript does not catch them when the app runs
// transpile-only), naming the option, where it belongs and how to write it.
import { AppAssignment, Directory, loadDirectory, type AppAssignmentProps, type DirectoryProps, type LoadDirectoryOptions, type ProviderSettings, type ScimAppProps } from '../../lib';
import { KNOWN_OPTIONS } from '../../lib/props-check';
import { directory, scimApp, testApp } from './fixtures';

const thrown = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

// Type-checked (npx tsc): a new prop in one of the interfaces fails here until KNOWN_OPTIONS lists it.
const every = {
  app: { directory: 1, title: 1, endpoint: 1, profile: 1, credentials: 1, sandbox: 1, onDestroy: 1, mappings: 1, groupMappings: 1, scope: 1, pushGroups: 1, stateDir: 1, logDir: 1, backend: 1, provider: 1, stateUrl: 1, stateSchema: 1, accounts: 1, rosterSlices: 1 } satisfies Record<keyof ScimAppProps, 1>,
  provider: { timeout: 1, maxRetries: 1, requestsPerSecond: 1, requestsPerMinute: 1, writesPerMinute: 1, headers: 1, caFile: 1, logFile: 1, memberBatchSize: 1 } satisfies Record<keyof ProviderSettings, 1>,
  assignment: { person: 1, team: 1, role: 1 } satisfies Record<keyof AppAssignmentProps, 1>,
  directory: { people: 1, teams: 1, asOf: 1, peopleSource: 1, teamsSource: 1 } satisfies Record<keyof DirectoryProps, 1>,
  loadDirectory: { orgDir: 1, peopleFile: 1, teamsFile: 1, asOf: 1, relativeTo: 1 } satisfies Record<keyof LoadDirectoryOptions, 1>,
};

test('the list of known options is the props interfaces', () => {
  for (const [place, keys] of Object.entries(every)) {
    expect([...KNOWN_OPTIONS[place as keyof typeof KNOWN_OPTIONS]].sort()).toEqual(Object.keys(keys).sort());
  }
});

describe('ScimApp options', () => {
  test('an assignment option at the app level says where it belongs', () => {
    const app = testApp();
    expect(thrown(() => scimApp(app, directory(app), { role: 'Editor' } as never))).toBe(
      'SCIMFORM_UNKNOWN_OPTION: wiki: "role" is not a ScimApp option; it is an assignment option: ' +
        "wiki.assignTeam('engineering', { role: … }) or wiki.assignPerson('ada', { role: … })",
    );
  });

  test('a typo is answered with the closest option', () => {
    const app = testApp();
    const dir = directory(app);
    expect(thrown(() => scimApp(app, dir, { endpont: 'https://x' } as never))).toBe(
      'SCIMFORM_UNKNOWN_OPTION: wiki: "endpont" is not a ScimApp option; did you mean "endpoint"? ' +
        "new ScimApp(app, 'wiki', { …, endpoint: … })",
    );
    expect(thrown(() => scimApp(app, dir, { push_groups: ['eng'] } as never, 'wiki2'))).toContain('did you mean "pushGroups"?');
  });

  test('a provider setting at the app level, and an app option inside provider', () => {
    const app = testApp();
    const msg = thrown(() => scimApp(app, directory(app), { timeout: 30, provider: { endpoint: 'https://x' } } as never));
    expect(msg).toBe(
      'SCIMFORM_UNKNOWN_OPTION: wiki:\n' +
        `  "timeout" is not a ScimApp option; it is a provider setting: new ScimApp(app, 'wiki', { …, provider: { timeout: … } })\n` +
        `  provider: "endpoint" is not a provider setting; it is a ScimApp option: new ScimApp(app, 'wiki', { …, endpoint: … })`,
    );
  });

  test('people at the app level belong to the directory; unknown options list the known ones', () => {
    const app = testApp();
    const dir = directory(app);
    expect(thrown(() => scimApp(app, dir, { people: [] } as never))).toContain(
      `"people" is not a ScimApp option; it is a Directory option: new Directory(app, 'Org', { people: … })`,
    );
    expect(thrown(() => scimApp(app, dir, { colour: 'blue' } as never, 'wiki2'))).toContain(
      '"colour" is not a ScimApp option; the options are: directory, title, endpoint,',
    );
  });

  test('options set to undefined are ignored, valid props pass', () => {
    const app = testApp();
    expect(() => scimApp(app, directory(app), { title: 'Wiki', nothing: undefined } as never)).not.toThrow();
  });
});

describe('ScimApp values in the wrong shape', () => {
  test('pushGroups as one string, onDestroy misspelt, a secret given as the credential: named, the secret never echoed', () => {
    const app = testApp();
    const msg = thrown(() =>
      scimApp(app, directory(app), { pushGroups: 'eng', onDestroy: 'remove', credentials: { token: 'hunter2-secret' } } as never),
    );
    expect(msg).toBe(
      'SCIMFORM_INVALID_OPTION: wiki:\n' +
        `  "pushGroups" must be a list of team keys, e.g. pushGroups: ['engineering']\n` +
        `  "onDestroy" must be 'deactivate' or 'delete', not 'remove'\n` +
        `  "credentials" must name where each secret lives, never hold it: credentials: { token: Credential.env('SCIMFORM_WIKI_TOKEN') } ` +
        `or { username: Credential.env('…_USERNAME'), password: Credential.env('…_PASSWORD') } (or Credential.jsonFile(file, key))`,
    );
    expect(msg).not.toContain('hunter2');
  });
});

describe('assignment, Directory and loadDirectory options', () => {
  test('pushGroups inside an assignment', () => {
    const app = testApp();
    const wiki = scimApp(app, directory(app));
    expect(thrown(() => wiki.assignTeam('eng', { role: 'Editor', pushGroups: ['eng'] } as never))).toBe(
      'SCIMFORM_UNKNOWN_OPTION: wiki.assignTeam: "pushGroups" is not an assignment option; it is a ScimApp option: ' +
        "new ScimApp(app, 'wiki', { …, pushGroups: ['engineering'] }) or wiki.pushGroup('engineering')",
    );
    expect(thrown(() => wiki.assignPerson('ada', { rol: 'Editor' } as never))).toContain(
      'wiki.assignPerson: "rol" is not an assignment option; did you mean "role"?',
    );
    expect(thrown(() => new AppAssignment(wiki, 'x', { person: 'ada', roles: ['a'] } as never))).toContain(
      `wiki/x: "roles" is not an assignment option; give one role per assignment: { role: 'Editor' }`,
    );
  });

  test('Directory and loadDirectory', () => {
    const app = testApp();
    expect(thrown(() => new Directory(app, 'Org', { people: [], orgDir: 'org' } as never))).toBe(
      `SCIMFORM_UNKNOWN_OPTION: Org: "orgDir" is not a Directory option; it is a loadDirectory option: loadDirectory(app, 'Org', { orgDir: … })`,
    );
    expect(thrown(() => loadDirectory(app, 'Org2', { orgdir: 'org' } as never))).toContain(
      `loadDirectory(Org2): "orgdir" is not a loadDirectory option; did you mean "orgDir"? loadDirectory(app, 'Org', { orgDir: … })`,
    );
  });
});
