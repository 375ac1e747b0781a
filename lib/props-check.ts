// Construct props checked at run time: with transpile-only TypeScript (scripts/ts-register.js, jest) a misplaced or
// mistyped option would be silently ignored. Every option of ScimApp, its provider settings, assignments,
// Directory and loadDirectory is listed here once; an unknown one is an error that names the option, says
// where it belongs (or which known option it resembles) and shows how to write it. The few ScimApp values
// most often given in the wrong shape (pushGroups, onDestroy, credentials, accounts, rosterSlices) are checked too.
import { closestName } from './did-you-mean';
import { ScimformUsageError } from './errors';
import { DEFAULT_ACCOUNTS_MODE, rosterSlicesProblem } from './roster-slices';

export type OptionPlace = 'app' | 'provider' | 'assignment' | 'directory' | 'loadDirectory';

/** Every option each construct accepts (keep in step with the props interfaces; a test checks the examples). */
export const KNOWN_OPTIONS: Readonly<Record<OptionPlace, readonly string[]>> = {
  app: [
    'directory', 'title', 'endpoint', 'profile', 'credentials', 'sandbox', 'onDestroy', 'mappings', 'groupMappings',
    'scope', 'pushGroups', 'stateDir', 'logDir', 'backend', 'provider', 'stateUrl', 'stateSchema', 'accounts', 'rosterSlices',
  ],
  provider: ['timeout', 'maxRetries', 'requestsPerSecond', 'requestsPerMinute', 'writesPerMinute', 'headers', 'caFile', 'logFile', 'memberBatchSize'],
  assignment: ['person', 'team', 'role'],
  directory: ['people', 'teams', 'asOf', 'peopleSource', 'teamsSource'],
  loadDirectory: ['orgDir', 'peopleFile', 'teamsFile', 'asOf', 'relativeTo'],
};

/** What each place is called in messages, and how an option is written there. */
const PLACES: Record<OptionPlace, { name: string; example: (opt: string) => string }> = {
  app: { name: 'a ScimApp option', example: (o) => `new ScimApp(app, 'wiki', { …, ${o}: … })` },
  provider: { name: 'a provider setting', example: (o) => `new ScimApp(app, 'wiki', { …, provider: { ${o}: … } })` },
  assignment: {
    name: 'an assignment option',
    example: (o) => `wiki.assignTeam('engineering', { ${o}: … }) or wiki.assignPerson('ada', { ${o}: … })`,
  },
  directory: { name: 'a Directory option', example: (o) => `new Directory(app, 'Org', { ${o}: … })` },
  loadDirectory: { name: 'a loadDirectory option', example: (o) => `loadDirectory(app, 'Org', { ${o}: … })` },
};

/** Options that are not written as an option at all anywhere else, with the call that does their job. */
const SPECIAL: Partial<Record<OptionPlace, Record<string, string>>> = {
  app: {
    person: "assign people with wiki.assignPerson('ada', { role: … })",
    team: "assign teams with wiki.assignTeam('engineering', { role: … })",
    assignments: "assign with wiki.assignTeam('engineering') and wiki.assignPerson('ada')",
    groups: "push teams as groups with pushGroups: ['engineering'] (or wiki.pushGroup('engineering'))",
  },
  assignment: {
    pushGroups: "it is a ScimApp option: new ScimApp(app, 'wiki', { …, pushGroups: ['engineering'] }) or wiki.pushGroup('engineering')",
    roles: "give one role per assignment: { role: 'Editor' } (assign again for another role)",
  },
};

/** Where each place's options may have been meant instead (closest first). */
const NEIGHBOURS: Record<OptionPlace, OptionPlace[]> = {
  app: ['provider', 'assignment', 'directory', 'loadDirectory'],
  provider: ['app'],
  assignment: ['app', 'provider'],
  directory: ['loadDirectory', 'app'],
  loadDirectory: ['directory', 'app'],
};

/** One problem per unknown option of `props` (options set to `undefined` are ignored). Pure. */
export function optionProblems(place: OptionPlace, props: object | undefined, known = KNOWN_OPTIONS): string[] {
  if (props === undefined || props === null || typeof props !== 'object') return [];
  const here = PLACES[place];
  const problems: string[] = [];
  for (const [opt, value] of Object.entries(props)) {
    if (value === undefined || known[place].includes(opt)) continue;
    const special = SPECIAL[place]?.[opt];
    const elsewhere = NEIGHBOURS[place].find((p) => known[p].includes(opt));
    const typo = closestName(opt, known[place]);
    let fix: string;
    if (special) fix = special;
    else if (elsewhere) fix = `it is ${PLACES[elsewhere].name}: ${PLACES[elsewhere].example(opt)}`;
    else if (typo) fix = `did you mean "${typo}"? ${here.example(typo)}`;
    else fix = `the options are: ${known[place].join(', ')}`;
    problems.push(`"${opt}" is not ${here.name}; ${fix}`);
  }
  return problems;
}

const isSource = (v: unknown) =>
  !!v && typeof v === 'object' && (typeof (v as { env?: unknown }).env === 'string' || typeof (v as { file?: unknown }).file === 'string');

/** The shape of the ScimApp options a newcomer most often gets wrong (values are never echoed: they may be secrets). */
export function appValueProblems(props: Record<string, unknown>): string[] {
  const out: string[] = [];
  const { endpoint, pushGroups, onDestroy, credentials, profile, accounts, rosterSlices } = props;
  if (endpoint !== undefined && typeof endpoint !== 'string') out.push(`"endpoint" must be a URL string, e.g. endpoint: 'https://app.example.com/scim/v2'`);
  if (profile !== undefined && typeof profile !== 'string') out.push(`"profile" must be a profile name string, e.g. profile: 'generic'`);
  if (pushGroups !== undefined && !Array.isArray(pushGroups)) out.push(`"pushGroups" must be a list of team keys, e.g. pushGroups: ['engineering']`);
  if (onDestroy !== undefined && onDestroy !== 'deactivate' && onDestroy !== 'delete') {
    out.push(`"onDestroy" must be 'deactivate' or 'delete'${typeof onDestroy === 'string' ? `, not '${onDestroy}'` : ''}`);
  }
  if (accounts !== undefined && accounts !== 'roster' && accounts !== 'users') {
    out.push(`"accounts" must be 'roster' (people as entries of scim_roster slices) or 'users' (one scim_user each)${typeof accounts === 'string' ? `, not '${accounts}'` : ''}`);
  }
  const slices = rosterSlicesProblem(rosterSlices);
  if (slices) out.push(slices);
  else if (rosterSlices !== undefined && (accounts ?? DEFAULT_ACCOUNTS_MODE) === 'users') out.push(`"rosterSlices" applies only to rosters: remove it, or set accounts: 'roster'`);
  if (credentials !== undefined) {
    const c = credentials as Record<string, unknown>;
    const ok = !!c && typeof c === 'object' && ('token' in c ? isSource(c.token) : isSource(c.username) && isSource(c.password));
    if (!ok) {
      out.push(
        `"credentials" must name where each secret lives, never hold it: credentials: { token: Credential.env('SCIMFORM_WIKI_TOKEN') } ` +
          `or { username: Credential.env('…_USERNAME'), password: Credential.env('…_PASSWORD') } (or Credential.jsonFile(file, key))`,
      );
    }
  }
  return out;
}

function throwIfAny(where: string, problems: string[], code = 'SCIMFORM_UNKNOWN_OPTION'): void {
  if (problems.length === 0) return;
  throw new ScimformUsageError(
    code,
    problems.length === 1 ? `${where}: ${problems[0]}` : `${where}:\n  ${problems.join('\n  ')}`,
  );
}

/** Throws SCIMFORM_UNKNOWN_OPTION naming `where` (a construct path) and every unknown option. */
export function checkOptions(where: string, place: OptionPlace, props: object | undefined): void {
  throwIfAny(where, optionProblems(place, props));
}

/** Checks ScimApp props and, inside them, the provider settings. */
export function checkAppOptions(where: string, props: object | undefined): void {
  const provider = (props as { provider?: object } | undefined)?.provider;
  const values = props && typeof props === 'object' ? appValueProblems(props as Record<string, unknown>) : [];
  throwIfAny(
    where,
    [...optionProblems('app', props), ...values, ...optionProblems('provider', provider).map((p) => `provider: ${p}`)],
    // SCIMFORM_INVALID_OPTION when a known option has a value of the wrong shape.
    values.length ? 'SCIMFORM_INVALID_OPTION' : 'SCIMFORM_UNKNOWN_OPTION',
  );
}
