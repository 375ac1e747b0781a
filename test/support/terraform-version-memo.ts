// Test helper for suites that synthesize in-process with validations (Testing.synth(stack, true), app.synth()):
// cdktf then runs `terraform version` once per import-block construct; this answers it once for the suite, as
// the scimform command does for its synth (cli/workflow/memo-terraform-version.js), and undoes it in afterAll
// (jest reuses its worker process for other suites).
const { rememberTerraformVersion } = require('../../cli/workflow/memo-terraform-version.js') as { rememberTerraformVersion: () => () => void };

/** Call at the top level of a test file. */
export function rememberTerraformVersionInSuite(): void {
  let undo: (() => void) | undefined;
  beforeAll(() => {
    undo = rememberTerraformVersion();
  });
  afterAll(() => undo?.());
}
