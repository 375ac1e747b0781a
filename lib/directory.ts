// The directory: every person and team of the organisation, declared in code or loaded from org files.
// Validates each entry with zod and the references between them (managers, team members), naming the file
// and field of every problem. Lives outside the app stacks; every ScimApp reads from it.
import { Construct } from 'constructs';
import { DirectoryError } from './errors';
import { formatIssues, formatPath, personSpecSchema, teamSpecSchema, type PersonSpec, type TeamSpec } from './org-schema';
import { explainIssue, type EntryKind } from './org-hints';
import { Person, Team, type OrgGraph } from './org-entities';
import { checkOptions } from './props-check';

export interface DirectoryProps {
  people?: PersonSpec[];
  teams?: TeamSpec[];
  /** The date leave dates are compared with (default: now). */
  asOf?: Date;
  /** How to name where people/teams come from in messages (default: the construct path). */
  peopleSource?: string;
  teamsSource?: string;
}

/** @internal one declared person or team with where it came from */
export interface DirectoryEntry<T> {
  spec: unknown;
  /** `org/people.yaml` */
  where: string;
  /** `['people', 3]` */
  path: PropertyKey[];
  /** Finds the 1-based line of a field path in the source file, when known. */
  locate?: (path: PropertyKey[]) => number | undefined;
  value?: T;
}

const kindOf = (e: DirectoryEntry<unknown>): EntryKind =>
  e.path[0] === 'teams' || String(e.path[0]).startsWith('team ') ? 'team' : 'person';

function issueLines(e: DirectoryEntry<unknown>, issues: Parameters<typeof formatIssues>[0]): string[] {
  return issues.map((i) => {
    const full = [...e.path, ...i.path];
    const line = e.locate?.(full);
    return `${e.where}: ${formatPath(full)}: ${explainIssue(i, kindOf(e), e.spec)}${line ? ` (line ${line})` : ''}`;
  });
}

export class Directory extends Construct implements OrgGraph {
  readonly asOf: Date;
  /** Where people are declared, for messages (`org/people.yaml`). */
  readonly peopleSource: string;
  /** Where teams are declared, for messages (`org/teams.yaml`). */
  readonly teamsSource: string;
  /** @internal construct scopes holding the Person and Team constructs */
  readonly peopleScope: Construct;
  readonly teamsScope: Construct;
  private readonly peopleByKey = new Map<string, Person>();
  private readonly teamsByKey = new Map<string, Team>();
  private checkedAt = -1;
  private version = 0;

  constructor(scope: Construct, id: string, props: DirectoryProps = {}) {
    super(scope, id);
    checkOptions(this.node.path, 'directory', props);
    this.asOf = props.asOf ?? new Date();
    this.peopleSource = props.peopleSource ?? `${this.node.path} (people)`;
    this.teamsSource = props.teamsSource ?? `${this.node.path} (teams)`;
    this.peopleScope = new Construct(this, 'people');
    this.teamsScope = new Construct(this, 'teams');
    const problems = this.addAll(
      (props.teams ?? []).map((spec, i) => ({ spec, where: this.teamsSource, path: ['teams', i] })),
      (props.people ?? []).map((spec, i) => ({ spec, where: this.peopleSource, path: ['people', i] })),
    );
    if (problems.length) throw new DirectoryError(problems);
  }

  /** Adds one person (validated now; references are checked when an app synthesizes). */
  addPerson(spec: PersonSpec): Person {
    const entry: DirectoryEntry<Person> = { spec, where: this.node.path, path: [`person "${String(spec?.key)}"`] };
    const problems = this.addAll([], [entry], false);
    if (problems.length) throw new DirectoryError(problems);
    return entry.value!;
  }

  /** Adds one team (validated now; references are checked when an app synthesizes). */
  addTeam(spec: TeamSpec): Team {
    const entry: DirectoryEntry<Team> = { spec, where: this.node.path, path: [`team "${String(spec?.key)}"`] };
    const problems = this.addAll([entry], [], false);
    if (problems.length) throw new DirectoryError(problems);
    return entry.value!;
  }

  /**
   * Validates entries and adds the valid ones; returns every problem (schema, duplicate keys, references).
   * @internal used by the org-file loader too
   */
  addAll(teams: DirectoryEntry<Team>[], people: DirectoryEntry<Person>[], checkReferences = true): string[] {
    const problems: string[] = [];
    const lineOf = (e: DirectoryEntry<unknown>) => {
      const line = e.locate?.(e.path);
      return line ? `${e.where}:${line}` : undefined;
    };
    const at = (e: DirectoryEntry<unknown>, field?: string) =>
      `${e.where}: ${formatPath(field ? [...e.path, field] : e.path)}`;
    for (const e of teams) {
      const r = teamSpecSchema.safeParse(e.spec);
      if (!r.success) {
        problems.push(...issueLines(e, r.error.issues));
        continue;
      }
      if (this.teamsByKey.has(r.data.key)) {
        problems.push(`${at(e, 'key')}: duplicate team key "${r.data.key}" (also ${this.teamsByKey.get(r.data.key)!.origin})`);
        continue;
      }
      e.value = new Team(this, r.data, at(e), lineOf(e));
      this.teamsByKey.set(r.data.key, e.value);
    }
    for (const e of people) {
      const r = personSpecSchema.safeParse(e.spec);
      if (!r.success) {
        problems.push(...issueLines(e, r.error.issues));
        continue;
      }
      if (this.peopleByKey.has(r.data.key)) {
        problems.push(
          `${at(e, 'key')}: duplicate person key "${r.data.key}" (also ${this.peopleByKey.get(r.data.key)!.origin})`,
        );
        continue;
      }
      e.value = new Person(this, r.data, at(e), lineOf(e));
      this.peopleByKey.set(r.data.key, e.value);
    }
    this.version++;
    // References are checked once every entry is valid (code may add people one by one: checked at synth).
    if (checkReferences && problems.length === 0) problems.push(...this.referenceProblems());
    return problems;
  }

  /** Every reference problem in the directory (unknown managers, teams and members; manager cycles). */
  referenceProblems(): string[] {
    const problems: string[] = [];
    for (const p of this.peopleByKey.values()) {
      if (p.managerKey && !this.peopleByKey.has(p.managerKey)) {
        problems.push(`${p.origin}.manager: unknown person "${p.managerKey}" (add them to ${this.peopleSource} or fix the key)`);
      }
      p.declaredTeams.forEach((t, i) => {
        if (!this.teamsByKey.has(t)) {
          problems.push(`${p.origin}.teams[${i}]: unknown team "${t}" (add it to ${this.teamsSource} or fix the key)`);
        }
      });
    }
    for (const t of this.teamsByKey.values()) {
      t.declaredMembers.forEach((m, i) => {
        if (!this.peopleByKey.has(m)) {
          problems.push(`${t.origin}.members[${i}]: unknown person "${m}" (add them to ${this.peopleSource} or fix the key)`);
        }
      });
    }
    const reported = new Set<string>();
    for (const start of this.peopleByKey.values()) {
      const seen: string[] = [];
      let cur: Person | undefined = start;
      while (cur && !seen.includes(cur.key)) {
        seen.push(cur.key);
        cur = cur.managerKey ? this.peopleByKey.get(cur.managerKey) : undefined;
      }
      if (cur && cur.key === start.key && !reported.has(start.key)) {
        seen.forEach((k) => reported.add(k));
        problems.push(
          `${start.origin}.manager: managers form a cycle (${[...seen, start.key].join(' → ')}); break it in ${this.peopleSource}`,
        );
      }
    }
    return problems;
  }

  /** Throws a DirectoryError when any reference is broken (cached until the directory changes). */
  assertValid(): void {
    if (this.checkedAt === this.version) return;
    const problems = this.referenceProblems();
    if (problems.length) throw new DirectoryError(problems);
    this.checkedAt = this.version;
  }

  person(key: string): Person | undefined {
    return this.peopleByKey.get(key);
  }

  team(key: string): Team | undefined {
    return this.teamsByKey.get(key);
  }

  /** Everyone, sorted by key. */
  get people(): Person[] {
    return [...this.peopleByKey.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  /** Every team, sorted by key. */
  get teams(): Team[] {
    return [...this.teamsByKey.values()].sort((a, b) => a.key.localeCompare(b.key));
  }

  /** A team's members: listed on the team or naming the team on themselves; sorted by key. */
  membersOf(team: Team): Person[] {
    const keys = new Set(team.declaredMembers);
    for (const p of this.peopleByKey.values()) if (p.declaredTeams.includes(team.key)) keys.add(p.key);
    return [...keys]
      .map((k) => this.peopleByKey.get(k))
      .filter((p): p is Person => p !== undefined)
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  /** The teams a person belongs to, sorted by key. */
  teamsOf(person: Person): Team[] {
    return this.teams.filter((t) => t.declaredMembers.includes(person.key) || person.declaredTeams.includes(t.key));
  }
}
