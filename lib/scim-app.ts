// One SCIM app, synthesized as its own stack (a failing app never blocks the others; drift is per app):
// the provider pointed at the app's endpoint, sensitive credential variables, local state by default, and —
// from the access decision (lib/access-decision.ts: assignments, leaver status, scoping filter) and the
// mappings — the provisioned people as entries of a few scim_roster slices (lib/roster-emission.ts; one
// scim_user each with accounts: 'users') and one scim_group per pushed team. People who leave, drop out of
// scope or lose their assignment lose their account, which the provider deactivates (or deletes, per policy).
import * as path from 'node:path';
import { Annotations, Aspects, TerraformStack, type TerraformBackend } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { decideAccess, type AccessDecision, type Exclusion, type Grant, type OnDestroyPolicy } from './access-decision';
import { AppAssignment } from './app-assignment';
import { appProfiles, profileNames, profilesWithGroups, type AppProfile, type ProfileName } from './app-profiles';
import type { AppCredentials, CredentialSource } from './credentials';
import { credentialProblems, declareCredentialVariables, headerProblems, TERRAFORM_REQUIRED_VERSION, type HeaderSources } from './credential-variables';
import type { Directory } from './directory';
import { messages, ScimformUsageError } from './errors';
import { Group } from './generated/scim/group';
import { ScimProvider } from './generated/scim/provider';
import type { Roster } from './generated/scim/roster';
import { User } from './generated/scim/user';
import {
  applyMappings,
  defaultGroupMappings,
  MappingError,
  mergeMappings,
  type GroupMappingOverrides,
  type GroupMappings,
  type MappedUser,
  type UserMappingOverrides,
  type UserMappings,
} from './mappings';
import { scimformPaths } from './paths';
import { checkAppOptions, checkOptions } from './props-check';
import { emitRosters, removedRosterBlocks } from './roster-emission';
import { DEFAULT_ACCOUNTS_MODE, DEFAULT_ROSTER_SLICES, type AccountsMode } from './roster-slices';
import { stackMetadata, tfId, userConfig } from './stack-emission';
import { SCIM_PROVIDER_VERSION } from './provider-version';
import { addStateBackend } from './state-backend';
import { groupImportId } from './group-import-id';
import type { Person, Team } from './org-entities';
import { compileScope, type CompiledScope, type ScopingFilter } from './scoping';
import { groupTwins, userTwins, type GroupIdentity } from './twins';

// Declared by the access decision; named here too, as before the decision moved out of this file.
export type { AccessDecision, Exclusion, ExclusionReason, Grant, OnDestroyPolicy } from './access-decision';

/** Provider settings passed through to the `scim` provider block. */
export interface ProviderSettings {
  readonly timeout?: number;
  readonly maxRetries?: number;
  readonly requestsPerSecond?: number;
  /** Budget of requests (any method) per minute to the app; default the connector profile's (none declares one). */
  readonly requestsPerMinute?: number;
  /** Budget of writes (POST, PUT, PATCH, DELETE) per minute, e.g. 180 for a Slack-like app; default the profile's. */
  readonly writesPerMinute?: number;
  /** Extra HTTP headers: name → where the value comes from (`Credential.env`/`jsonFile`), never the value itself. */
  readonly headers?: HeaderSources;
  readonly caFile?: string;
  /** Provisioning log (JSON lines). Default `<SCIMFORM_LOG_DIR or .scimform/logs>/<stack>.jsonl`; false = none. */
  readonly logFile?: string | false;
  readonly memberBatchSize?: number;
}

export interface ScimAppProps {
  readonly directory: Directory;
  /** Human name used in messages and reports (default: the stack id). */
  readonly title?: string;
  /** SCIM base URL, e.g. https://api.promapp.com/api/scim. */
  readonly endpoint: string;
  /** Connector profile (default "generic"). */
  readonly profile?: ProfileName;
  /** Where the credentials come from (never their value). Required unless the endpoint is a sandbox. */
  readonly credentials?: AppCredentials;
  /** Whether the endpoint is the local sandbox (default: true for 127.0.0.1/localhost endpoints). */
  readonly sandbox?: boolean;
  /** What happens to the account of someone who leaves, drops out of scope or is unassigned (default deactivate). */
  readonly onDestroy?: OnDestroyPolicy;
  /** Per-attribute overrides of the profile's default mappings (a function replaces, `null` drops). */
  readonly mappings?: UserMappingOverrides;
  readonly groupMappings?: GroupMappingOverrides;
  /** Scoping filter: a predicate, or Entra-style clause groups (AND inside a group, OR across groups). */
  readonly scope?: ScopingFilter;
  /** Teams pushed as SCIM groups (only for profiles that support groups). Members = provisioned members. */
  readonly pushGroups?: ReadonlyArray<string | Team>;
  /** Folder of the local state file `<stack>.tfstate` (default SCIMFORM_STATE_DIR or .scimform/state). */
  readonly stateDir?: string;
  /** Folder of the provisioning log `<stack>.jsonl` (default SCIMFORM_LOG_DIR or .scimform/logs). */
  readonly logDir?: string;
  /** Shared state in PostgreSQL (default env SCIMFORM_STATE_URL; docs/guides/team-state.md). Never put a password here. */
  readonly stateUrl?: string;
  /** The organisation's schema in the shared state database (default env SCIMFORM_STATE_SCHEMA, else "scimform"). */
  readonly stateSchema?: string;
  /** Use another backend instead of the local one (e.g. `(stack) => new S3Backend(stack, {...})`). */
  readonly backend?: (stack: ScimApp) => TerraformBackend;
  readonly provider?: ProviderSettings;
  /** One `scim_user` per person (`users`), or the people as entries of `scim_roster` slices (`roster`); docs/guides/rosters.md. */
  readonly accounts?: AccountsMode;
  /** With `accounts: 'roster'`: how many rosters the app's people are spread over (default 8; fixed for the app's life). */
  readonly rosterSlices?: number;
}

/** What an app already holds for one person (written by `scimform import`; see overrideAccount). */
export interface AccountOverride {
  /** SCIM id of the existing account: synth adds a Terraform import block for it. */
  readonly importId?: string;
  /** false: the account stays deactivated (or pending) — an inactive assignment. */
  readonly active?: boolean;
  /** Per-person mapping overrides for this app (a function replaces the app's mapping, `null` drops it). */
  readonly mappings?: UserMappingOverrides;
}

/** What an app already holds for one pushed team (see overrideGroup). */
export interface GroupOverride {
  readonly importId?: string;
  /** The group's externalId in this app (`null`: not sent). */
  readonly externalId?: string | null;
}

/** What synth produced for one app (read by tests and the scimform command). */
export interface Provisioning {
  readonly accounts: AccountsMode;
  /** Per person: the scim_user (users mode) or the roster holding their entry, and the metadata address. */
  readonly users: ReadonlyMap<string, ProvisionedUser>;
  readonly groups: ReadonlyMap<string, { team: Team; members: Person[]; resource: Group }>;
  readonly excluded: Exclusion[];
}

/** One provisioned person's account resource. */
export interface ProvisionedUser {
  readonly grant: Grant;
  readonly user: MappedUser;
  /** `scim_user.user_<key>`, or `scim_roster.accounts_<S>.entries["<key>"]`. */
  readonly address: string;
  /** Token of the account's SCIM id (group members reference it). */
  readonly accountId: string;
  readonly resource?: User;
  readonly roster?: Roster;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/i;
export class ScimApp extends TerraformStack {
  /** The ScimApp a construct belongs to. */
  static override of(construct: IConstruct): ScimApp {
    for (let c: IConstruct | undefined = construct; c; c = c.node.scope) if (c instanceof ScimApp) return c;
    throw new ScimformUsageError('SCIMFORM_NOT_IN_APP', `${construct.node.path} is not inside a ScimApp`);
  }

  readonly directory: Directory;
  readonly title: string;
  readonly endpoint: string;
  readonly profile: AppProfile;
  readonly sandbox: boolean;
  readonly onDestroy: OnDestroyPolicy;
  readonly accountsMode: AccountsMode;
  readonly rosterSlices: number;
  readonly credentials?: AppCredentials;
  readonly provider: ScimProvider;
  /** Credential variable name → its source (the scimform command fills TF_VAR_<name> from it). */
  readonly credentialVariables: Readonly<Record<string, CredentialSource>>;
  /** Header name → source of its value (the scimform command fills TF_VAR_scim_headers from them). */
  readonly headerSources?: Readonly<Record<string, CredentialSource>>;
  private readonly userMappings: UserMappings;
  private readonly groupMappings: GroupMappings;
  private readonly scopeFilter?: ScopingFilter;
  private readonly pushed: (string | Team)[];
  private readonly problems: string[] = [];
  private readonly accountOverrides = new Map<string, AccountOverride>();
  private readonly groupOverrides = new Map<string, GroupOverride>();
  private result?: Provisioning;

  constructor(scope: Construct, id: string, props: ScimAppProps) {
    super(scope, id);
    checkAppOptions(this.node.path, props);
    if (!props.directory) throw new ScimformUsageError('SCIMFORM_NO_DIRECTORY', `${this.node.path}: pass { directory }`);
    const profileName = props.profile ?? 'generic';
    if (!appProfiles[profileName]) {
      throw new ScimformUsageError(
        'SCIMFORM_UNKNOWN_PROFILE',
        `${this.node.path}: unknown profile "${profileName}" (use one of ${profileNames.join(', ')})`,
      );
    }
    let host = '';
    try {
      host = new URL(props.endpoint).hostname;
    } catch {
      throw new ScimformUsageError(
        'SCIMFORM_INVALID_ENDPOINT',
        `${this.node.path}: endpoint "${props.endpoint}" is not a URL (expected e.g. https://host/scim/v2)`,
      );
    }
    this.directory = props.directory;
    this.title = props.title ?? id;
    this.endpoint = props.endpoint;
    this.profile = appProfiles[profileName];
    this.sandbox = props.sandbox ?? LOOPBACK.test(host);
    this.onDestroy = props.onDestroy ?? 'deactivate';
    this.accountsMode = props.accounts ?? DEFAULT_ACCOUNTS_MODE;
    this.rosterSlices = props.rosterSlices ?? DEFAULT_ROSTER_SLICES;
    this.credentials = props.credentials;
    this.userMappings = mergeMappings(this.profile.userMappings, props.mappings);
    this.groupMappings = mergeMappings(defaultGroupMappings, props.groupMappings);
    this.scopeFilter = props.scope;
    this.pushed = [...(props.pushGroups ?? [])];

    const paths = scimformPaths();
    if (props.backend) props.backend(this);
    else addStateBackend(this, id, { stateUrl: props.stateUrl, stateSchema: props.stateSchema, stateDir: props.stateDir ?? paths.stateDir });

    // Every other ProviderSettings key has the provider block's name (timeouts, retries, budgets, batch size).
    const { headers, logFile, ...settings } = props.provider ?? {};
    const secrets = declareCredentialVariables(this, this.title, props.credentials, headers);
    this.credentialVariables = secrets.sources;
    this.headerSources = secrets.headerSources;
    this.provider = new ScimProvider(this, 'scim', {
      ...settings,
      endpoint: this.endpoint,
      profile: this.profile.name,
      onDestroy: this.onDestroy,
      token: secrets.token,
      username: secrets.username,
      password: secrets.password,
      headers: secrets.headers,
      logFile: logFile === false ? undefined : (logFile ?? path.join(props.logDir ?? paths.logDir, `${id}.jsonl`)),
    });
    // The generated bindings carry no version; the cdktf CLI (diff/deploy) rejects a provider without one.
    this.addOverride('terraform.required_providers.scim.version', SCIM_PROVIDER_VERSION);
    this.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);

    // Resources are built once every assignment is known: when synthesis invokes aspects.
    Aspects.of(this).add({ visit: (node) => node === this && this.synthesizeProvisioning() });
    this.node.addValidation({ validate: () => [...credentialProblems(this), ...headerProblems(this.title, headers), ...this.problems] });
  }

  /** Assigns the app to a person (by key or object), optionally with a role. */
  assignPerson(person: string | Person, opts: { role?: string } = {}): AppAssignment {
    checkOptions(`${this.node.path}.assignPerson`, 'assignment', opts);
    const key = typeof person === 'string' ? person : person.key;
    return this.addAssignment(`person-${key}`, { person, role: opts.role });
  }

  /** Assigns the app to every member of a team (by key or object), optionally with a role. */
  assignTeam(team: string | Team, opts: { role?: string } = {}): AppAssignment {
    checkOptions(`${this.node.path}.assignTeam`, 'assignment', opts);
    const key = typeof team === 'string' ? team : team.key;
    return this.addAssignment(`team-${key}`, { team, role: opts.role });
  }

  /** Pushes a team as a SCIM group (apps whose profile supports groups). */
  pushGroup(team: string | Team): void {
    this.pushed.push(team);
  }

  /** Per-person facts of this app: existing SCIM id (import block), inactive account, attribute overrides. */
  overrideAccount(personKey: string, override: AccountOverride): void {
    this.accountOverrides.set(personKey, override);
  }

  /** Per-team facts of this app: existing SCIM id of the pushed group (import block), its externalId. */
  overrideGroup(teamKey: string, override: GroupOverride): void {
    this.groupOverrides.set(teamKey, override);
  }

  /** Every assignment in this app. */
  get assignments(): AppAssignment[] {
    return this.node.findAll().filter((c): c is AppAssignment => c instanceof AppAssignment);
  }

  /** Who gets the app and who does not (and why): lib/access-decision.ts applied to this app's assignments. */
  decideAccess(): AccessDecision {
    const assignments = this.assignments.map((a) => ({
      label: a.label,
      role: a.role,
      people: a.people(),
      team: a.teamKey !== undefined ? this.directory.team(a.teamKey) : undefined,
    }));
    return decideAccess(assignments, { scope: this.compiledScope(), onDestroy: this.onDestroy });
  }

  /** The resources synth created (builds them on first use). */
  get provisioning(): Provisioning {
    this.synthesizeProvisioning();
    return this.result!;
  }

  private addAssignment(id: string, props: ConstructorParameters<typeof AppAssignment>[2]): AppAssignment {
    const suffix = props.role ? `-${props.role.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` : '';
    if (this.node.tryFindChild(id + suffix)) {
      throw new ScimformUsageError(
        'SCIMFORM_DUPLICATE_ASSIGNMENT',
        `${this.node.path}: ${id.replace('-', ' ')} is already assigned${props.role ? ` with role "${props.role}"` : ''}; remove the duplicate`,
      );
    }
    return new AppAssignment(this, id + suffix, props);
  }

  private compiledScope(): CompiledScope {
    const attrs = new Set<string>();
    for (const p of this.directory.people) for (const k of Object.keys(p.attributes)) attrs.add(k);
    return compileScope(this.scopeFilter, attrs);
  }

  private synthesizeProvisioning(): void {
    if (this.result) return;
    this.directory.assertValid();
    const decision = this.decideAccess();
    const scopeProblems = this.compiledScope().problems;
    for (const p of scopeProblems) {
      const [where, ...rest] = p.split(': ');
      this.problems.push(messages.invalidScoping(this.title, rest.length ? where : 'filter', rest.length ? rest.join(': ') : p));
    }

    const users = new Map<string, ProvisionedUser>();
    const mapped: { grant: Grant; user: MappedUser }[] = [];
    for (const grant of decision.provisioned) {
      try {
        const override = this.accountOverrides.get(grant.person.key);
        const user = applyMappings(grant.person, override?.mappings ? mergeMappings(this.userMappings, override.mappings) : this.userMappings, {
          app: this.title,
          profile: this.profile.name,
          roles: grant.roles,
          viaTeams: grant.viaTeams,
          directory: this.directory,
        });
        if (!user.userName) this.problems.push(messages.emptyUserName(this.title, grant.person.key));
        else mapped.push({ grant, user });
      } catch (err) {
        if (!(err instanceof MappingError)) throw err;
        this.problems.push(messages.mappingFailed(this.title, err.attribute, grant.person.key, err.message));
      }
    }
    this.problems.push(...userTwins(this.title, mapped.map((m) => ({ person: m.grant.person.key, userName: m.user.userName, externalId: m.user.externalId }))));

    if (this.accountsMode === 'roster') {
      const o = (key: string) => this.accountOverrides.get(key);
      const people = mapped.map(({ grant: { person }, user }) => ({ key: person.key, user, active: o(person.key)?.active ?? true, adoptId: o(person.key)?.importId }));
      const accounts = emitRosters(this, { provider: this.provider, onDestroy: this.onDestroy, count: this.rosterSlices, title: this.title, people });
      for (const { grant, user } of mapped) users.set(grant.person.key, { grant, user, ...accounts.get(grant.person.key)! });
    } else {
      const usersScope = new Construct(this, 'users');
      this.addOverride('removed', removedRosterBlocks()); // back from rosters: forget them, the scim_users adopt
      for (const { grant, user } of mapped) {
        const override = this.accountOverrides.get(grant.person.key);
        const resource = new User(usersScope, grant.person.key, { provider: this.provider, ...userConfig(user, override?.active ?? true), onDestroy: this.onDestroy });
        resource.overrideLogicalId(tfId('user', grant.person.key));
        if (override?.importId) resource.importFrom(override.importId);
        users.set(grant.person.key, { grant, user, resource, address: `scim_user.${tfId('user', grant.person.key)}`, accountId: resource.id });
      }
      for (const { user, resource } of users.values()) {
        const manager = user.managerKey ? users.get(user.managerKey) : undefined;
        if (manager && resource) resource.managerId = manager.accountId;
      }
    }

    const groups = new Map<string, { team: Team; members: Person[]; resource: Group }>();
    const teams = this.pushedTeams();
    const groupsScope = teams.length ? new Construct(this, 'groups') : undefined;
    const named: GroupIdentity[] = [];
    for (const team of teams) {
      const members = this.directory.membersOf(team).filter((m) => users.has(m.key));
      const displayName = this.groupMappings.displayName(team);
      const override = this.groupOverrides.get(team.key);
      const externalId = override && 'externalId' in override ? override.externalId : this.groupMappings.externalId?.(team);
      named.push({ team: team.key, displayName, externalId: externalId || undefined });
      const resource = new Group(groupsScope!, team.key, {
        displayName,
        externalId: externalId || undefined,
        memberIds: Object.fromEntries(members.map((m) => [m.key, users.get(m.key)!.accountId])), // a map: no quadratic set check
      });
      resource.overrideLogicalId(tfId('group', team.key));
      if (override?.importId) resource.importFrom(groupImportId(override.importId, members.map((m) => [m.key, this.accountOverrides.get(m.key)?.importId])));
      groups.set(team.key, { team, members, resource });
    }
    this.problems.push(...groupTwins(this.title, named));

    for (const e of decision.excluded) Annotations.of(this).addInfo(`${e.person.key}: ${e.detail} — ${e.outcome}`);
    const unsent = mapped.filter((m) => m.grant.roles.length && !m.user.roles?.length);
    if (unsent.length && !this.userMappings.roles) {
      Annotations.of(this).addInfo(
        `roles are not sent to ${this.title} (profile "${this.profile.name}" has no roles mapping; add mappings.roles to send them): ` +
          unsent.map((m) => `${m.grant.person.key} (${m.grant.roles.join(', ')})`).join(', '),
      );
    }
    this.result = { accounts: this.accountsMode, users, groups, excluded: decision.excluded };
    this.addOverride('//.scimform', stackMetadata(this, this.compiledScope().describe, this.result));
  }

  private pushedTeams(): Team[] {
    const out: Team[] = [];
    for (const t of this.pushed) {
      const key = typeof t === 'string' ? t : t.key;
      const team = this.directory.team(key);
      if (!team) {
        this.problems.push(messages.unknownTeam(key, this.directory.teams.map((x) => x.key), this.directory.teamsSource));
      } else if (!this.profile.supportsGroups) {
        this.problems.push(messages.groupsUnsupported(this.title, this.profile.name, key, profilesWithGroups()));
      } else if (!out.includes(team)) out.push(team);
    }
    return out;
  }
}
