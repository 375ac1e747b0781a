// Test helper: synthesizes a one-app organisation (a generic "wiki" ScimApp on the sandbox's generic tenant,
// every team assigned, the first team pushed as a group) as cdk.tf.json in a Terraform working directory, for
// the suites that deploy ScimApp stacks with the real terraform (rosters, migration).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { Credential, Directory, ScimApp, type PersonSpec, type ScimAppProps } from '../../lib';

export function synthWiki(
  into: { dir: string; endpoint: string },
  people: PersonSpec[],
  teams: { key: string; displayName: string }[],
  props: Partial<ScimAppProps> = {},
): void {
  const app = Testing.app();
  const directory = new Directory(app, 'Org', { people, teams, asOf: new Date('2025-06-01T00:00:00Z') });
  const wiki = new ScimApp(app, 'wiki', {
    directory,
    endpoint: into.endpoint,
    credentials: { token: Credential.env('SCIMFORM_TEST_TOKEN') },
    stateDir: into.dir,
    pushGroups: [teams[0].key],
    provider: { logFile: false },
    ...props,
  });
  for (const t of teams) wiki.assignTeam(t.key);
  fs.writeFileSync(path.join(into.dir, 'cdk.tf.json'), Testing.synth(wiki, true));
}
