// Command-line options of `npm run bench`: user and group counts, Terraform parallelism, phases to skip, the
// user-path sizes and apps, the large group's size, and --write-docs (regenerate docs/guides/performance.md
// from this run).

import { badArgument } from './errors';

export const PHASES = ['userpath', 'floor', 'capacity', 'terraform', 'tf-floor', 'tf-floor-full', 'large-group', 'startup', 'synth'] as const;
export type Phase = (typeof PHASES)[number];

export interface BenchOptions {
  users: number;
  groups: number;
  /** Terraform -parallelism and the HTTP floor's concurrency. */
  parallelism: number;
  /** Users per initial-apply shard (see terraform-phases.ts for why initial applies are sharded). */
  shardSize: number;
  /** Persons in the CDKTF synth measurement (default: the user count, so the default run synthesises 10,000). */
  synthPersons: number;
  startupRuns: number;
  skip: Set<Phase>;
  out: string;
  keep: boolean;
  /** Profile the provider (unminified build, CPU profiles per phase); timings are then not comparable. */
  profile: boolean;
  /** People in the user path's generated organisation (default: `users`). */
  userpathPeople: number;
  /** The user path's smaller size (growth is measured between it and `userpathPeople`); 0 = one size only. */
  userpathSmall: number;
  /** The example organisation's apps the user path deploys (default: all of org/apps.yaml). */
  apps?: string[];
  /** Members of the large-group phase's one group (default 70 % of the users: 7,000 at 10,000, issue 18). */
  groupMembers: number;
  /** Regenerate docs/guides/performance.md from this run. */
  writeDocs: boolean;
  /** The command line as given (recorded in the results and the performance page). */
  argv: string[];
}

export function parseBenchArgs(argv: string[], defaultOut: string): BenchOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw badArgument(a, 'expected an option starting with --');
    const eq = a.indexOf('=');
    if (eq > 0) values.set(a.slice(2, eq), a.slice(eq + 1));
    else if (a === '--keep' || a === '--profile' || a === '--write-docs') flags.add(a.slice(2));
    else {
      const v = argv[++i];
      if (v === undefined) throw badArgument(a, 'missing value');
      values.set(a.slice(2), v);
    }
  }
  const known = new Set(['users', 'groups', 'parallelism', 'shard-size', 'synth-persons', 'startup-runs', 'skip', 'out', 'userpath-small', 'userpath-people', 'apps', 'group-members']);
  for (const k of values.keys()) if (!known.has(k)) throw badArgument(`--${k}`, `unknown option; known: ${[...known].map((x) => `--${x}`).join(', ')}, --keep, --profile, --write-docs`);

  const int = (name: string, dflt: number, min: number): number => {
    const raw = values.get(name);
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw badArgument(`--${name} ${raw}`, `must be an integer ≥ ${min}`);
    return n;
  };
  const users = int('users', 10_000, 1);
  const groups = int('groups', Math.max(1, Math.round(users / 50)), 0);
  const skip = new Set<Phase>();
  for (const s of (values.get('skip') ?? '').split(',').filter(Boolean)) {
    if (!(PHASES as readonly string[]).includes(s)) throw badArgument(`--skip ${s}`, `phases are ${PHASES.join(', ')}`);
    skip.add(s as Phase);
  }
  const userpathPeople = int('userpath-people', users, 1);
  const userpathSmall = int('userpath-small', Math.max(1, Math.round(userpathPeople / 10)), 0);
  if (userpathSmall >= userpathPeople) throw badArgument(`--userpath-small ${userpathSmall}`, `must be smaller than the user path's size (${userpathPeople}, --userpath-people or --users); 0 measures one size only`);
  return {
    users,
    groups,
    parallelism: int('parallelism', 10, 1),
    shardSize: int('shard-size', 1000, 1),
    synthPersons: int('synth-persons', users, 1),
    startupRuns: int('startup-runs', 20, 1),
    skip,
    out: values.get('out') ?? (flags.has('profile') ? defaultOut.replace(/latest\.json$/, 'profile.json') : defaultOut),
    keep: flags.has('keep'),
    profile: flags.has('profile'),
    userpathPeople,
    userpathSmall,
    apps: values.get('apps')?.split(',').filter(Boolean),
    groupMembers: int('group-members', Math.max(1, Math.round(users * 0.7)), 1),
    writeDocs: flags.has('write-docs'),
    argv: [...argv],
  };
}
