// The directory's entries: a person (identity and HR attributes, team memberships, status: active or a
// leaver from a date) and a team (a named set of people). They refer to each other — a person's teams, a
// team's members — so they share this file, and both look the organisation up through OrgGraph, which the
// Directory implements (this file imports no directory). Neither declares a Terraform resource; each app
// decides whether to provision them (lib/access-decision.ts).
import { Construct } from 'constructs';
import type { PersonData, TeamData } from './org-schema';

/** What a person or team needs of the directory that holds them (implemented by Directory). */
export interface OrgGraph {
  /** The date leave dates are compared with. */
  readonly asOf: Date;
  /** @internal construct scopes holding the Person and Team constructs */
  readonly peopleScope: Construct;
  readonly teamsScope: Construct;
  person(key: string): Person | undefined;
  teamsOf(person: Person): Team[];
  membersOf(team: Team): Person[];
}

export type PersonStatus = { kind: 'active' } | { kind: 'leaver'; leaveDate: string };

export interface EmailAddress {
  value: string;
  type?: string;
  primary?: boolean;
}

/** Attribute names a scoping clause can read besides a person's free-form `attributes`. */
export const PERSON_FIELDS = [
  'key',
  'userName',
  'givenName',
  'familyName',
  'middleName',
  'displayName',
  'email',
  'phone',
  'title',
  'department',
  'manager',
  'employeeNumber',
  'costCenter',
  'division',
  'organization',
  'status',
  'leaveDate',
] as const;

export type AttributeValue = string | number | boolean | null | undefined;

export class Person extends Construct {
  readonly key: string;
  readonly userName: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly middleName?: string;
  readonly displayName: string;
  /** The primary (work) email. */
  readonly email: string;
  /** All emails: the primary work email first, then any others declared. */
  readonly emails: EmailAddress[];
  readonly phone?: string;
  readonly title?: string;
  readonly department?: string;
  /** Key of this person's manager in the same directory. */
  readonly managerKey?: string;
  readonly employeeNumber?: string;
  readonly costCenter?: string;
  readonly division?: string;
  readonly organization?: string;
  readonly status: PersonStatus;
  /** Free-form attributes for mappings and scoping filters (e.g. `contractor: true`). */
  readonly attributes: Readonly<Record<string, AttributeValue>>;
  /** Where this person was declared: `org/people.yaml: people[3]` or a construct path. */
  readonly origin: string;
  /** File and line where this person was declared (`org/people.yaml:14`), else `origin`; named by provider errors. */
  readonly declaredAt: string;
  /** Team keys this person declared (`teams:`); see `teams` for the resolved union. */
  readonly declaredTeams: readonly string[];

  constructor(
    readonly directory: OrgGraph,
    data: PersonData,
    origin?: string,
    declaredAt?: string,
  ) {
    super(directory.peopleScope, data.key);
    this.key = data.key;
    this.email = data.email;
    this.userName = data.userName ?? data.email;
    this.givenName = data.givenName;
    this.familyName = data.familyName;
    this.middleName = data.middleName;
    this.displayName = data.displayName ?? `${data.givenName} ${data.familyName}`;
    this.emails = [
      { value: data.email, type: 'work', primary: true },
      ...(data.emails ?? [])
        .filter((e) => e.value.toLowerCase() !== data.email.toLowerCase())
        .map((e) => ({ value: e.value, type: e.type ?? 'other' })),
    ];
    this.phone = data.phone;
    this.title = data.title;
    this.department = data.department;
    this.managerKey = data.manager;
    this.employeeNumber = data.employeeNumber;
    this.costCenter = data.costCenter;
    this.division = data.division;
    this.organization = data.organization;
    this.status =
      data.status === 'leaver' && data.leaveDate ? { kind: 'leaver', leaveDate: data.leaveDate } : { kind: 'active' };
    this.attributes = { ...(data.attributes ?? {}) };
    this.declaredTeams = [...(data.teams ?? [])];
    this.origin = origin ?? this.node.path;
    this.declaredAt = declaredAt ?? this.origin;
  }

  /** The manager, when declared and present in the directory. */
  get manager(): Person | undefined {
    return this.managerKey ? this.directory.person(this.managerKey) : undefined;
  }

  /** Teams this person belongs to (declared on the person or on the team). */
  get teams(): Team[] {
    return this.directory.teamsOf(this);
  }

  /** True when the person is a leaver whose leave date is on or before `asOf` (default: the directory's date). */
  hasLeft(asOf: Date = this.directory.asOf): boolean {
    return this.status.kind === 'leaver' && this.status.leaveDate <= asOf.toISOString().slice(0, 10);
  }

  /** Reads a field by name for scoping filters: a standard field (see PERSON_FIELDS) or a free-form attribute. */
  get(attribute: string): AttributeValue {
    switch (attribute) {
      case 'manager':
        return this.managerKey;
      case 'status':
        return this.status.kind;
      case 'leaveDate':
        return this.status.kind === 'leaver' ? this.status.leaveDate : undefined;
      default:
        if ((PERSON_FIELDS as readonly string[]).includes(attribute)) {
          return (this as unknown as Record<string, AttributeValue>)[attribute];
        }
        return this.attributes[attribute];
    }
  }
}

/** A team: assigning it to an app assigns its members; an app that supports groups can also push it as a SCIM group. */
export class Team extends Construct {
  readonly key: string;
  readonly displayName: string;
  readonly description?: string;
  readonly externalId?: string;
  /** Member keys listed on the team itself; see `members` for the resolved union. */
  readonly declaredMembers: readonly string[];
  /** Where this team was declared: `org/teams.yaml: teams[1]` or a construct path. */
  readonly origin: string;
  /** File and line where this team was declared (`org/teams.yaml:3`), else `origin`; named by provider errors. */
  readonly declaredAt: string;

  constructor(
    readonly directory: OrgGraph,
    data: TeamData,
    origin?: string,
    declaredAt?: string,
  ) {
    super(directory.teamsScope, data.key);
    this.key = data.key;
    this.displayName = data.displayName;
    this.description = data.description;
    this.externalId = data.externalId;
    this.declaredMembers = [...(data.members ?? [])];
    this.origin = origin ?? this.node.path;
    this.declaredAt = declaredAt ?? this.origin;
  }

  /** Members (declared on the team or on each person), sorted by key. */
  get members(): Person[] {
    return this.directory.membersOf(this);
  }
}
