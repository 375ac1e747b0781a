// The app of `npm start` (cdktf.json runs it): loads the organisation — people, teams and apps — from the
// org directory (org/, or SCIMFORM_ORG_DIR) into ScimApp constructs, one stack per app. What data cannot
// express is code registered here and named in apps.yaml as `{ function: name }`; code can also add to the
// loaded constructs (see the comment in buildExample). See docs/guides/onboarding.md.
import { App } from 'cdktf';
import { loadOrganisation, scimformPaths, synthErrorMessage, type OrgFunctions, type Person, type ScimformPaths } from './lib';

/** Mappings and scopes only code can express, by the name apps.yaml uses for them. */
export const functions: OrgFunctions = {
  // The wiki's userType: "Contractor" for people whose `contractor` attribute is set, else "Employee".
  employeeType: (p: Person) => (p.get('contractor') === true ? 'Contractor' : 'Employee'),
};

/** Declares the organisation of `paths.orgDir` in `app` (also used by tests). */
export function buildExample(app: App, paths: ScimformPaths = scimformPaths(), env: NodeJS.ProcessEnv = process.env): App {
  loadOrganisation(app, {
    orgDir: paths.orgDir,
    relativeTo: paths.root,
    sandboxDir: paths.sandboxDir,
    stateDir: paths.stateDir,
    logDir: paths.logDir,
    env,
    functions,
  });
  // Code may add to what the files declare, through the constructs' API, e.g.:
  //   const { apps, directory } = loadOrganisation(app, { … });
  //   for (const p of directory.people) if (p.title?.startsWith('Head of')) apps.wiki.assignPerson(p, { role: 'Admin' });
  return app;
}

if (require.main === module) {
  const paths = scimformPaths();
  try {
    buildExample(new App({ outdir: paths.outDir, skipValidation: false })).synth();
  } catch (err) {
    // Directory and validation errors already say what and where; a stack trace would only hide that.
    process.stderr.write(`${synthErrorMessage(err)}\n`);
    process.exit(1);
  }
}
