// A CDKTF app declaring a directory of N persons in T teams with the lib/ constructs, one generic SCIM app
// that gets every team and pushes each team as a group; synthesized once. Run as a child process by
// synth-phase.ts: `synth-directory-app.ts <outdir> <persons> <teams>`; prints one JSON line with timings.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

const t0 = performance.now();
// Loaded after t0 so module loading counts, as it does for a user's synth.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { App } = require('cdktf') as typeof import('cdktf');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Directory, ScimApp } = require('../lib') as typeof import('../lib');

const [outdir, personsArg, teamsArg] = process.argv.slice(2);
const persons = Number(personsArg);
const teamCount = Math.max(1, Number(teamsArg));
const pad = (i: number): string => String(i).padStart(5, '0');

const tLoaded = performance.now();
const teams = Array.from({ length: teamCount }, (_, j) => ({ key: `team-${pad(j)}`, displayName: `Bench Team ${pad(j)}` }));
const people = Array.from({ length: persons }, (_, i) => ({
  key: `p${pad(i)}`,
  givenName: `Given${pad(i)}`,
  familyName: `Family${pad(i)}`,
  email: `person${pad(i)}@bench.example`,
  department: 'Engineering',
  teams: [teams[i % teamCount]!.key],
}));

const app = new App({ outdir, skipValidation: false });
const directory = new Directory(app, 'Org', { people, teams });
const scim = new ScimApp(app, 'bench', {
  directory,
  title: 'Bench',
  profile: 'generic',
  endpoint: 'http://127.0.0.1:9/generic/scim/v2',
  pushGroups: teams.map((t) => t.key),
  stateDir: path.join(outdir, 'state'),
  provider: { logFile: false },
});
for (const t of teams) scim.assignTeam(t.key);
const tBuilt = performance.now();
app.synth();
const tDone = performance.now();

const stackFile = path.join(outdir, 'stacks', 'bench', 'cdk.tf.json');
const stack = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
const resources = Object.values(stack.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
process.stdout.write(
  `${JSON.stringify({ load_ms: tLoaded - t0, construct_ms: tBuilt - tLoaded, synth_ms: tDone - tBuilt, resources })}\n`,
);
