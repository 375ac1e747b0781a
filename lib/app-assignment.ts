// An app assignment: a person or a team gets an app, optionally with a role. A team assignment covers its
// members. As in Entra, the "Default Access" role is not provisioned (the app annotates who it skipped).
import { Construct } from 'constructs';
import { isDefaultAccess } from './access-decision';
import type { Directory } from './directory';
import { messages } from './errors';
import type { Person, Team } from './org-entities';
import { checkOptions } from './props-check';

export { DEFAULT_ACCESS } from './access-decision';

/** The app an assignment belongs to (a ScimApp; declared here so this file need not import scim-app.ts). */
export interface AssignmentHost extends Construct {
  readonly directory: Directory;
}

export interface AppAssignmentProps {
  /** A person (or their key). Exactly one of `person` and `team`. */
  readonly person?: string | Person;
  /** A team (or its key): every member gets the app. */
  readonly team?: string | Team;
  /** App role, sent as SCIM `roles` when the app maps roles. "Default Access" means: not provisioned. */
  readonly role?: string;
}

export class AppAssignment extends Construct {
  readonly personKey?: string;
  readonly teamKey?: string;
  readonly role?: string;

  constructor(
    readonly app: AssignmentHost,
    id: string,
    props: AppAssignmentProps,
  ) {
    super(app, id);
    checkOptions(this.node.path, 'assignment', props);
    const key = (v: string | Person | Team | undefined) => (v === undefined ? undefined : typeof v === 'string' ? v : v.key);
    this.personKey = key(props.person);
    this.teamKey = key(props.team);
    this.role = props.role?.trim() || undefined;
    this.node.addValidation({ validate: () => this.problems() });
  }

  /** True when the role is Entra's "Default Access" (compared case-insensitively). */
  get isDefaultAccess(): boolean {
    return isDefaultAccess(this.role);
  }

  /** A short label: `person:ada` or `team:engineering`. */
  get label(): string {
    return this.personKey !== undefined ? `person:${this.personKey}` : `team:${this.teamKey}`;
  }

  /** People this assignment covers (unknown keys cover nobody and fail validation). */
  people(): Person[] {
    const dir = this.app.directory;
    if (this.personKey !== undefined && this.teamKey === undefined) {
      const p = dir.person(this.personKey);
      return p ? [p] : [];
    }
    if (this.teamKey !== undefined && this.personKey === undefined) {
      const t = dir.team(this.teamKey);
      return t ? dir.membersOf(t) : [];
    }
    return [];
  }

  private problems(): string[] {
    const dir = this.app.directory;
    if ((this.personKey === undefined) === (this.teamKey === undefined)) {
      return [messages.invalidAssignment('give exactly one of `person` and `team`.')];
    }
    if (this.personKey !== undefined && !dir.person(this.personKey)) {
      return [messages.unknownPerson(this.personKey, dir.people.map((p) => p.key), dir.peopleSource)];
    }
    if (this.teamKey !== undefined && !dir.team(this.teamKey)) {
      return [messages.unknownTeam(this.teamKey, dir.teams.map((t) => t.key), dir.teamsSource)];
    }
    return [];
  }
}
