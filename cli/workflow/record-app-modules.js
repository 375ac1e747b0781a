// Preloaded into the app's synth process by the scimform command (NODE_OPTIONS=--require …): when the
// process exits, writes the list of files it loaded (require.cache: main.ts and everything it imported)
// to $SCIMFORM_APP_MODULES_FILE, so a saved plan can be bound to the app's code (cli/workflow/plan-inputs.ts).
'use strict';
const fs = require('node:fs');

const target = process.env.SCIMFORM_APP_MODULES_FILE;
if (target) {
  // Only the app's own process records: children it may start write nothing.
  delete process.env.SCIMFORM_APP_MODULES_FILE;
  process.on('exit', () => {
    try {
      fs.writeFileSync(target, JSON.stringify(Object.keys(require.cache)));
    } catch {
      // Without the list the plan is still bound to the org files, endpoints and the synthesized stack.
    }
  });
}
