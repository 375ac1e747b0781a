// A team in the directory: a named set of people. Assigning a team to an app assigns its members; an app
// that supports groups can also push the team as a SCIM group.
import { Construct } from 'constructs';
import type { TeamData } from './org-schema';
import type { Directory } from './directory';
import type { Person } from './person';

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
    readonly directory: Directory,
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
