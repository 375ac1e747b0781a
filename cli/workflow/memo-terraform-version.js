// Preloaded into the app's synth process by the scimform command (NODE_OPTIONS=--require …): cdktf checks
// the Terraform version once per construct that uses an import block, `moved` or terraform_data (its
// ValidateTerraformVersion runs `terraform version` through a shell each time: dozens of times per synth of
// the example organisation, seconds of wall time). Terraform does not change during one synth, so this
// answers the second and later identical `terraform version` commands of this process with the first answer.
// Any other command, and a failing first run, go through unchanged. Loaded with require() instead (tests that
// synthesize in-process), it installs nothing until rememberTerraformVersion() is called.
'use strict';
const childProcess = require('node:child_process');

/** Makes child_process.execSync answer repeated `terraform version` commands once; returns the undo. */
function rememberTerraformVersion() {
  const command = `${process.env.TERRAFORM_BINARY_NAME || 'terraform'} version`;
  const original = childProcess.execSync;
  const answers = new Map();
  childProcess.execSync = function execSyncRememberingTerraformVersion(cmd, options) {
    if (cmd !== command) return original.apply(this, arguments);
    const key = JSON.stringify(options?.encoding ?? null);
    if (!answers.has(key)) answers.set(key, original.apply(this, arguments));
    const answer = answers.get(key);
    return Buffer.isBuffer(answer) ? Buffer.from(answer) : answer;
  };
  return () => {
    childProcess.execSync = original;
  };
}

if (module.parent?.id === 'internal/preload') rememberTerraformVersion();

module.exports = { rememberTerraformVersion };
