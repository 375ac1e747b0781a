// Loads the whole organisation from the org directory: people and teams (org-files.ts) and every app of
// `apps.yaml` (or `.yml`/`.json`) into the same constructs code would declare — one ScimApp per app with
// its assignments, pushed groups, scope, mappings and the accounts/groups it already holds. Every problem
// is reported with file, field and line: `org/apps.yaml: apps[1].assign[0].team: unknown team "x" (line 12)`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Construct } from 'constructs';
import { appProfiles, type ProfileName } from './app-profiles';
import { compileMapping, literalOverrides, type OrgFunctions } from './declared-mappings';
import type { Directory } from './directory';
import { DirectoryError } from './errors';
import type { UserMappingOverrides } from './mappings';
import { appSpecSchema, appsFileSchema, type AppSpec } from './org-apps-schema';
import { loadDirectory, parseFile, type ParsedFile } from './org-files';
import { explainAppIssue } from './org-hints';
import { DEFAULT_ACCOUNTS_MODE } from './roster-slices';
import { formatIssues, formatPath } from './org-schema';
import { ScimApp, type ScimAppProps } from './scim-app';
import type { ScopingFilter } from './scoping';
import { appTarget } from './targets';

export interface LoadOrganisationOptions {
  /** Folder holding people, teams and apps files (default `org`). */
  orgDir?: string;
  /** Paths in messages are shown relative to this folder (default: the current directory). */
  relativeTo?: string;
  asOf?: Date;
  /** Where ScimApps keep state and logs and find the sandbox (defaults: scimformPaths()). */
  stateDir?: string;
  logDir?: string;
  sandboxDir?: string;
  env?: Record<string, string | undefined>;
  /** Functions apps.yaml names as `{ function: name }` (mappings and scopes only code can express). */
  functions?: OrgFunctions;
  /** More construct props per app key, merged over what apps.yaml declares (e.g. a backend). */
  props?: (appKey: string) => Partial<ScimAppProps> | undefined;
}

export interface Organisation {
  readonly directory: Directory;
  /** Every app of apps.yaml by key, in file order. */
  readonly apps: Readonly<Record<string, ScimApp>>;
}

const find = (dir: string, base: string) =>
  ['yaml', 'yml', 'json'].map((ext) => path.join(dir, `${base}.${ext}`)).find((f) => fs.existsSync(f));

/** Loads the directory and every app of the org directory; throws DirectoryError listing every problem. */
export function loadOrganisation(scope: Construct, opts: LoadOrganisationOptions = {}): Organisation {
  const orgDir = path.resolve(opts.orgDir ?? 'org');
  const relativeTo = opts.relativeTo ?? process.cwd();
  const directory = loadDirectory(scope, 'Org', { orgDir, relativeTo, asOf: opts.asOf });
  const file = find(orgDir, 'apps');
  if (!file) return { directory, apps: {} };
  const rel = path.relative(relativeTo, file);
  const parsed = parseFile(file, rel && !rel.startsWith('..') ? rel : file);
  const specs = validateApps(parsed, directory, opts.functions ?? {});
  const apps: Record<string, ScimApp> = {};
  for (const { spec, scope: appScope, mappings } of specs) {
    apps[spec.key] = buildApp(scope, directory, spec, appScope, mappings, opts);
  }
  return { directory, apps };
}

interface CheckedApp {
  spec: AppSpec;
  scope?: ScopingFilter;
  mappings: UserMappingOverrides;
}

/** Schema, references (people, teams, functions, attributes) and duplicate keys, with lines. */
function validateApps(f: ParsedFile, directory: Directory, functions: OrgFunctions): CheckedApp[] {
  const problems: string[] = [];
  const at = (p: PropertyKey[], message: string) => {
    const line = f.locate(p);
    return `${f.display}: ${formatPath(p)}: ${message}${line ? ` (line ${line})` : ''}`;
  };
  const top = appsFileSchema.safeParse(f.data ?? {});
  if (!top.success) throw new DirectoryError(formatIssues(top.error.issues).map((m) => `${f.display}: ${m}`));
  const attrs = new Set<string>();
  for (const p of directory.people) for (const k of Object.keys(p.attributes)) attrs.add(k);
  const out: CheckedApp[] = [];
  const seen = new Map<string, number>();
  top.data.apps.forEach((raw, i) => {
    const r = appSpecSchema.safeParse(raw);
    if (!r.success) {
      for (const issue of r.error.issues) problems.push(at(['apps', i, ...issue.path], explainAppIssue(issue, appSpecSchema)));
      return;
    }
    const spec = r.data;
    const base: PropertyKey[] = ['apps', i];
    if (seen.has(spec.key)) problems.push(at([...base, 'key'], `duplicate app key "${spec.key}" (also apps[${seen.get(spec.key)}])`));
    seen.set(spec.key, i);
    const person = (k: string, p: PropertyKey[]) =>
      !directory.person(k) && problems.push(at(p, `unknown person "${k}" (add them to ${directory.peopleSource} or fix the key)`));
    const team = (k: string, p: PropertyKey[]) =>
      !directory.team(k) && problems.push(at(p, `unknown team "${k}" (add it to ${directory.teamsSource} or fix the key)`));
    spec.assign?.forEach((a, j) => {
      if (a.person) person(a.person, [...base, 'assign', j, 'person']);
      if (a.team) team(a.team, [...base, 'assign', j, 'team']);
    });
    spec.pushGroups?.forEach((t, j) => team(t, [...base, 'pushGroups', j]));
    for (const k of Object.keys(spec.accounts ?? {})) person(k, [...base, 'accounts', k]);
    for (const k of Object.keys(spec.groups ?? {})) team(k, [...base, 'groups', k]);
    if (spec.rosterSlices !== undefined && (spec.accountsAs ?? DEFAULT_ACCOUNTS_MODE) === 'users') {
      problems.push(at([...base, 'rosterSlices'], 'applies only to rosters: remove it, or set accountsAs: roster'));
    }
    const mappings: Record<string, unknown> = {};
    for (const [attr, value] of Object.entries(spec.mappings ?? {})) {
      if (attr === 'userName' && value === null) {
        problems.push(at([...base, 'mappings', attr], 'every account needs a userName: map it to a template or a function instead of null'));
        continue;
      }
      const c = compileMapping(attr, value, functions, attrs);
      if ('problem' in c) problems.push(at([...base, 'mappings', attr], c.problem));
      else mappings[attr] = c.mapping;
    }
    let scope: ScopingFilter | undefined;
    if (spec.scope && !Array.isArray(spec.scope)) {
      const fn = functions[spec.scope.function];
      if (!fn) problems.push(at([...base, 'scope', 'function'], `no function "${spec.scope.function}" is registered in code; pass it in loadOrganisation({ functions })`));
      else scope = (p) => Boolean(fn(p));
    } else scope = spec.scope;
    out.push({ spec, scope, mappings: mappings as UserMappingOverrides });
  });
  if (problems.length) throw new DirectoryError(problems);
  return out;
}

function buildApp(
  scope: Construct,
  directory: Directory,
  spec: AppSpec,
  appScope: ScopingFilter | undefined,
  mappings: UserMappingOverrides,
  opts: LoadOrganisationOptions,
): ScimApp {
  const profile = (spec.profile ?? 'generic') as ProfileName;
  const target = appTarget({
    envPrefix: spec.target.envPrefix,
    sandboxTenant: spec.target.sandboxTenant,
    auth: appProfiles[profile].auth,
    sandboxDir: opts.sandboxDir,
    env: opts.env,
  });
  const app = new ScimApp(scope, spec.key, {
    directory,
    title: spec.title,
    profile,
    ...target,
    onDestroy: spec.onDestroy,
    accounts: spec.accountsAs,
    rosterSlices: spec.rosterSlices,
    pushGroups: spec.pushGroups,
    scope: appScope,
    mappings: Object.keys(mappings).length ? mappings : undefined,
    stateDir: opts.stateDir,
    logDir: opts.logDir,
    ...opts.props?.(spec.key),
  });
  for (const a of spec.assign ?? []) {
    if (a.team) app.assignTeam(a.team, { role: a.role });
    else app.assignPerson(a.person!, { role: a.role });
  }
  for (const [key, acc] of Object.entries(spec.accounts ?? {})) {
    app.overrideAccount(key, {
      importId: acc.id,
      active: acc.active,
      mappings: acc.attributes ? literalOverrides(acc.attributes) : undefined,
    });
  }
  for (const [key, g] of Object.entries(spec.groups ?? {})) {
    app.overrideGroup(key, { importId: g.id, ...(g.externalId !== undefined ? { externalId: g.externalId } : {}) });
  }
  return app;
}
