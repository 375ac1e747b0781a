// Test helper: synthesizes a one-app organisation (a generic "wiki" ScimApp on the sandbox's generic tenant,
// every team assigned, the first team pushed as a group) as cdk.tf.json in a Terraform working directory, for
// the suites that deploy ScimApp stacks with the real terraform (rosters, migration).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { Credential, Directory, ScimApp, type PersonSpec, type ScimAppProps } from '../../lib';
import { startTestSandbox, type TestSandbox } from '../support/sandbox';
import { TerraformWorkdir } from '../support/terraform';

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

/** A sandbox and an empty Terraform working directory (no main.tf) that synthWiki writes into, with the generic
 * tenant's token as TF_VAR_scim_token; `stop()` removes both. */
export async function wikiWorkdir(): Promise<{ sb: TestSandbox; wd: TerraformWorkdir; stop(): Promise<void> }> {
  const sb = await startTestSandbox();
  const wd = await TerraformWorkdir.create('', { TF_VAR_scim_token: sb.credentials.generic.token });
  fs.rmSync(path.join(wd.dir, 'main.tf'));
  return {
    sb,
    wd,
    async stop() {
      await wd.cleanup();
      await sb.stop();
    },
  };
}
