// Errors and synth-time validation messages of the constructs: each has a stable code users can match on
// and says what is wrong, where (file and field, or construct path) and how to fix it. No secret ever
// appears in them (credentials are only ever named by their environment variable or file).

/** Thrown when org files or code-declared people/teams are invalid; lists every problem found. */
export class DirectoryError extends Error {
  readonly code = 'SCIMFORM_DIRECTORY_INVALID';
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `${problems.length} problems in the directory:\n  ${problems.join('\n  ')}`,
    );
    this.name = 'DirectoryError';
  }
}

/** Thrown for misuse of the construct API itself (wrong arguments), before synth. */
export class ScimformUsageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'ScimformUsageError';
  }
}

const list = (keys: string[], max = 12) =>
  keys.length === 0 ? '(none)' : keys.slice(0, max).join(', ') + (keys.length > max ? `, … (${keys.length} in all)` : '');

/** True for an endpoint on this machine (127.x, localhost, [::1]). */
const isLocalEndpoint = (endpoint: string): boolean => {
  try {
    return /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i.test(new URL(endpoint).hostname);
  } catch {
    return false;
  }
};

/** Synth-time validation messages (cdktf prefixes each with the construct path). */
export const messages = {
  unknownPerson: (key: string, known: string[], source: string) =>
    `SCIMFORM_UNKNOWN_PERSON: this assignment names person "${key}", who is not in the directory. ` +
    `Fix the key or add a person with key "${key}" to ${source}. Known people: ${list(known)}.`,
  unknownTeam: (key: string, known: string[], source: string) =>
    `SCIMFORM_UNKNOWN_TEAM: team "${key}" is not in the directory. ` +
    `Fix the key or add a team with key "${key}" to ${source}. Known teams: ${list(known)}.`,
  duplicateUserName: (userName: string, keys: string[], app: string) =>
    `SCIMFORM_DUPLICATE_USERNAME: userName "${userName}" would be given to ${keys.join(' and ')} in ${app} ` +
    `(userNames are compared case-insensitively, and each account needs its own). ` +
    `Give these people distinct userNames/emails in the org files, or override this app's userName mapping.`,
  duplicateGroup: (name: string, keys: string[], app: string) =>
    `SCIMFORM_DUPLICATE_GROUP: group displayName "${name}" would be pushed for teams ${keys.join(' and ')} in ${app} ` +
    `(compared case-insensitively). Rename one team or override this app's group displayName mapping.`,
  groupsUnsupported: (app: string, profile: string, team: string, withGroups: string[]) =>
    `SCIMFORM_GROUPS_UNSUPPORTED: ${app} (profile "${profile}") provisions users only, so team "${team}" cannot be pushed as a group. ` +
    `Remove it from pushGroups, or use a profile that supports groups (${withGroups.join(', ')}).`,
  missingCredential: (app: string, endpoint: string, what: string, hint: string) =>
    `SCIMFORM_MISSING_CREDENTIAL: ${app} targets ${endpoint} but has no ${what} ` +
    (isLocalEndpoint(endpoint)
      ? '(this endpoint on this machine was given as a real endpoint, not as the sandbox, so it needs credentials like any app; ' +
        "the sandbox's own tokens are in its credentials.json). "
      : '(every endpoint but the local sandbox needs credentials). ') +
    hint,
  wrongAuth: (app: string, profile: string, expected: 'bearer' | 'basic') =>
    `SCIMFORM_WRONG_AUTH: ${app} uses profile "${profile}", which authenticates with ` +
    (expected === 'basic'
      ? 'HTTP Basic: give credentials { username, password } instead of a token.'
      : 'a bearer token: give credentials { token } instead of a username and password.'),
  mappingFailed: (app: string, attribute: string, person: string, err: string) =>
    `SCIMFORM_MAPPING_FAILED: the ${attribute} mapping of ${app} failed for person "${person}": ${err}. Fix the mapping function.`,
  emptyUserName: (app: string, person: string) =>
    `SCIMFORM_EMPTY_USERNAME: the userName mapping of ${app} returned nothing for person "${person}". ` +
    `Every provisioned account needs a userName: give the person a userName/email or fix the mapping.`,
  invalidScoping: (app: string, where: string, problem: string) =>
    `SCIMFORM_INVALID_SCOPING: scoping filter of ${app}, ${where}: ${problem}.`,
  invalidAssignment: (problem: string) => `SCIMFORM_INVALID_ASSIGNMENT: ${problem}`,
} as const;

/**
 * The text to show a user when synth fails: the error's message without cdktf's advice to pass
 * `skipValidation: true` — skipping validation would let duplicate accounts and missing credentials through.
 */
export function synthErrorMessage(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message
    .split('\n')
    .filter((line) => !/skipValidation/.test(line) && !/^Validations allow for dynamic verification/.test(line))
    .join('\n')
    .trim();
}
