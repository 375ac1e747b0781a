// Who gets an account in one app, with which roles and status, and why the others do not: a pure function
// of the app's assignments (each already resolved to the people it covers), the app's scoping filter and
// its leaver policy (onDestroy). No construct, no Terraform: ScimApp turns the decision into resources and
// synth metadata; the plan report's explanations and the access matrix read that same metadata.
//
// The rules, in order, for everyone an assignment covers:
//   1. a leaver whose leave date has passed gets no account (an existing one is deactivated, or deleted);
//   2. someone assigned only with Entra's "Default Access" role gets no account;
//   3. someone outside the scoping filter gets no account (an existing one is deactivated, or deleted);
//   4. everyone else gets an active account with the roles of their assignments (Default Access left out).
// People of the directory whom no assignment covers are "not assigned".
import type { Person, PersonStatus, Team } from './org-entities';

/** Entra's placeholder role; users holding only this role are excluded from provisioning. */
export const DEFAULT_ACCESS = 'Default Access';

export type OnDestroyPolicy = 'deactivate' | 'delete';

/** The least the decision reads of a person (lib's Person has it; tests pass plain objects). */
export interface DecisionPerson {
  readonly key: string;
  readonly status: PersonStatus;
  /** True when the person is a leaver whose leave date is on or before the directory's date. */
  hasLeft(): boolean;
}

/** One assignment of the app, resolved to the people it covers. */
export interface ResolvedAssignment<P extends DecisionPerson = Person, T = Team> {
  /** `person:ada` or `team:engineering`. */
  readonly label: string;
  readonly role?: string;
  readonly people: readonly P[];
  /** The team, for a team assignment. */
  readonly team?: T;
}

export interface AccessPolicy<P extends DecisionPerson = Person> {
  /** The app's scoping filter, compiled (lib/scoping.ts). */
  readonly scope: { test(person: P): boolean; readonly describe: string };
  readonly onDestroy: OnDestroyPolicy;
}

export type ExclusionReason = 'leaver' | 'default-access' | 'out-of-scope';

/** What happens to an account the person may already have in the app. */
export type ExistingAccount = 'deactivated' | 'deleted' | 'none';

/** Someone assigned to the app who is not provisioned, and why. */
export interface Exclusion<P extends DecisionPerson = Person> {
  readonly person: P;
  readonly reason: ExclusionReason;
  /** Why, in words: "left on 2025-01-31", "outside the scoping filter (department EQUALS Eng)". */
  readonly detail: string;
  /** What the next apply does to an account they already have: deactivate or delete it, or nothing. */
  readonly existingAccount: ExistingAccount;
  /** The consequence in words: "not provisioned; an existing account is deactivated". */
  readonly outcome: string;
}

/** Someone who is provisioned: their roles and the assignments that gave them the app. */
export interface Grant<P extends DecisionPerson = Person, T = Team> {
  readonly person: P;
  readonly status: 'active';
  readonly roles: string[];
  readonly via: string[];
  readonly viaTeams: T[];
}

export interface AccessDecision<P extends DecisionPerson = Person, T = Team> {
  /** Sorted by person key. */
  readonly provisioned: Grant<P, T>[];
  /** Sorted by person key. */
  readonly excluded: Exclusion<P>[];
}

/** True when the role is Entra's "Default Access" (compared case-insensitively). */
export const isDefaultAccess = (role: string | undefined): boolean => role !== undefined && role.toLowerCase() === DEFAULT_ACCESS.toLowerCase();

/** The decision for one app. */
export function decideAccess<P extends DecisionPerson, T>(
  assignments: readonly ResolvedAssignment<P, T>[],
  policy: AccessPolicy<P>,
): AccessDecision<P, T> {
  const covered = new Map<string, { person: P; roles: Set<string>; via: string[]; viaTeams: T[]; real: boolean }>();
  for (const a of assignments) {
    for (const person of a.people) {
      const c = covered.get(person.key) ?? { person, roles: new Set<string>(), via: [], viaTeams: [], real: false };
      covered.set(person.key, c);
      c.via.push(a.role ? `${a.label} (${a.role})` : a.label);
      if (a.team !== undefined && !c.viaTeams.includes(a.team)) c.viaTeams.push(a.team);
      if (!isDefaultAccess(a.role)) {
        c.real = true;
        if (a.role) c.roles.add(a.role);
      }
    }
  }
  const removed: ExistingAccount = policy.onDestroy === 'delete' ? 'deleted' : 'deactivated';
  const exclude = (person: P, reason: ExclusionReason, detail: string): Exclusion<P> => {
    const existingAccount = reason === 'default-access' ? 'none' : removed;
    const outcome = existingAccount === 'none' ? 'not provisioned' : `not provisioned; an existing account is ${existingAccount}`;
    return { person, reason, detail, existingAccount, outcome };
  };
  const provisioned: Grant<P, T>[] = [];
  const excluded: Exclusion<P>[] = [];
  for (const c of [...covered.values()].sort((a, b) => a.person.key.localeCompare(b.person.key))) {
    const p = c.person;
    if (p.hasLeft()) {
      excluded.push(exclude(p, 'leaver', `left on ${p.status.kind === 'leaver' ? p.status.leaveDate : ''}`));
    } else if (!c.real) {
      excluded.push(exclude(p, 'default-access', `assigned only with the "${DEFAULT_ACCESS}" role (${c.via.join(', ')}), which is not provisioned`));
    } else if (!policy.scope.test(p)) {
      excluded.push(exclude(p, 'out-of-scope', `outside the scoping filter (${policy.scope.describe})`));
    } else {
      provisioned.push({ person: p, status: 'active', roles: [...c.roles].sort(), via: c.via, viaTeams: c.viaTeams });
    }
  }
  return { provisioned, excluded };
}

/** Why one person does or does not get the app, in one line (for messages and the five-minute tour). */
export function explainAccess<P extends DecisionPerson, T>(decision: AccessDecision<P, T>, personKey: string): string {
  const g = decision.provisioned.find((x) => x.person.key === personKey);
  if (g) return `${personKey}: active account${g.roles.length ? ` with role(s) ${g.roles.join(', ')}` : ''}, via ${g.via.join(', ')}`;
  const e = decision.excluded.find((x) => x.person.key === personKey);
  if (e) return `${personKey}: ${e.detail} — ${e.outcome}`;
  return `${personKey}: not assigned to this app — no account`;
}
