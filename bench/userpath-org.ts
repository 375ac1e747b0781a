// The organisation directory the user-path bench deploys: the example organisation's apps and teams
// (org/apps.yaml, org/teams.yaml) with a generated people.yaml of N people, in the org dir format a user
// points SCIMFORM_ORG_DIR at. Person-level assignments of the example (mary, dorothy) are dropped because
// those people are not in the generated directory; team assignments, scopes, mappings and pushed groups stay.
// People are deterministic: round-robin over the example's teams, a manager chain (person i reports to a
// person 10·⌊(i−1)/100⌋, never a contractor), every 20th person a contractor (out of the wiki's scope).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { BenchError } from './errors';

const pad = (i: number): string => String(i).padStart(5, '0');

interface AppsFile {
  apps: { key: string; profile: string; target: { sandboxTenant: string }; pushGroups?: string[]; assign?: Record<string, unknown>[] }[];
}

export interface UserpathOrg {
  orgDir: string;
  people: number;
  /** The apps of apps.yaml: stack name, profile and sandbox tenant. */
  apps: { key: string; profile: string; tenant: string; pushesGroups: boolean }[];
}

/** The apps of the example organisation, with person-level assignments removed. */
export function exampleApps(repoRoot: string): AppsFile {
  const doc = parse(fs.readFileSync(path.join(repoRoot, 'org', 'apps.yaml'), 'utf8')) as AppsFile;
  for (const app of doc.apps) app.assign = (app.assign ?? []).filter((a) => !('person' in a));
  return doc;
}

export function generatedPeople(n: number, teams: string[]): Record<string, unknown>[] {
  const people: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const team = teams[i % teams.length]!;
    const person: Record<string, unknown> = {
      key: `p${pad(i)}`,
      givenName: `Given${pad(i)}`,
      familyName: `Family${pad(i)}`,
      email: `person${pad(i)}@bench.example`,
      title: 'Engineer',
      department: team[0]!.toUpperCase() + team.slice(1),
      employeeNumber: String(100000 + i),
      teams: [team],
    };
    if (i > 0) person.manager = `p${pad(10 * Math.floor((i - 1) / 100))}`;
    // Everyone carries the attribute (false or true), so the wiki's scope names a known attribute at any N.
    person.attributes = { contractor: i % 20 === 19 };
    people.push(person);
  }
  return people;
}

/** Writes people.yaml, teams.yaml and apps.yaml for `n` people into `orgDir`. */
export function writeUserpathOrg(repoRoot: string, orgDir: string, n: number, only?: string[]): UserpathOrg {
  fs.mkdirSync(orgDir, { recursive: true });
  const teamsDoc = parse(fs.readFileSync(path.join(repoRoot, 'org', 'teams.yaml'), 'utf8')) as { teams: { key: string }[] };
  const apps = exampleApps(repoRoot);
  if (only) {
    const unknown = only.filter((k) => !apps.apps.some((a) => a.key === k));
    if (unknown.length) throw new BenchError('BENCH_BAD_ARGUMENT', `bench: --apps ${unknown.join(',')}: not an app of org/apps.yaml (apps: ${apps.apps.map((a) => a.key).join(', ')})`);
    apps.apps = apps.apps.filter((a) => only.includes(a.key));
  }
  fs.writeFileSync(path.join(orgDir, 'teams.yaml'), stringify(teamsDoc));
  fs.writeFileSync(path.join(orgDir, 'apps.yaml'), stringify(apps));
  fs.writeFileSync(path.join(orgDir, 'people.yaml'), stringify({ people: generatedPeople(n, teamsDoc.teams.map((t) => t.key)) }, { lineWidth: 0 }));
  return {
    orgDir,
    people: n,
    apps: apps.apps.map((a) => ({ key: a.key, profile: a.profile, tenant: a.target.sandboxTenant, pushesGroups: (a.pushGroups ?? []).length > 0 })),
  };
}
