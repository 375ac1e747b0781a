// The example organisation (the main job of `npm start`): people and teams from org/, given four apps —
// Proxyclick, Promapp and Proxy (with group push) like the seed guides, and a generic SCIM 2.0 wiki with
// roles and a scoping filter. Each app targets its local sandbox tenant unless SCIMFORM_<APP>_ENDPOINT
// (and its credentials) are set; see the README for the variables.
import { App } from 'cdktf';
import { appTarget, loadDirectory, ScimApp, scimformPaths, synthErrorMessage, type ScimformPaths } from './lib';

/** Declares the example organisation in `app` (also used by tests). */
export function buildExample(app: App, paths: ScimformPaths = scimformPaths(), env: NodeJS.ProcessEnv = process.env): App {
  const org = loadDirectory(app, 'Org', { orgDir: paths.orgDir, relativeTo: paths.root });
  const where = { directory: org, stateDir: paths.stateDir, logDir: paths.logDir };
  const target = (envPrefix: string, sandboxTenant: 'generic' | 'proxyclick' | 'promapp' | 'proxy', auth: 'bearer' | 'basic' = 'bearer') =>
    appTarget({ envPrefix, sandboxTenant, auth, sandboxDir: paths.sandboxDir, env });

  // Proxyclick (visitor management): everyone at the office hosts visitors. Users only; userName = email.
  const proxyclick = new ScimApp(app, 'proxyclick', {
    ...where,
    title: 'Proxyclick',
    profile: 'proxyclick',
    ...target('SCIMFORM_PROXYCLICK', 'proxyclick'),
  });
  proxyclick.assignTeam('engineering');
  proxyclick.assignTeam('sales');
  proxyclick.assignTeam('operations');

  // Promapp (process management): engineering and operations; the head of sales is a Promaster; an account
  // executive was given "Default Access", which (as in Entra) is not provisioned.
  const promapp = new ScimApp(app, 'promapp', {
    ...where,
    title: 'Promapp',
    profile: 'promapp',
    ...target('SCIMFORM_PROMAPP', 'promapp'),
  });
  promapp.assignTeam('engineering');
  promapp.assignTeam('operations');
  promapp.assignPerson('mary', { role: 'Promaster' });
  promapp.assignPerson('dorothy', { role: 'Default Access' });

  // Proxy (building access, Okta-style): everyone, and each team pushed as a group with its members.
  const proxy = new ScimApp(app, 'proxy', {
    ...where,
    title: 'Proxy',
    profile: 'proxy',
    pushGroups: ['engineering', 'sales', 'operations'],
    ...target('SCIMFORM_PROXY', 'proxy', 'basic'),
  });
  for (const team of ['engineering', 'sales', 'operations']) proxy.assignTeam(team);

  // A generic SCIM 2.0 wiki: roles per team, employees only (contractors are out of scope), two groups.
  const wiki = new ScimApp(app, 'wiki', {
    ...where,
    title: 'Wiki',
    profile: 'generic',
    pushGroups: ['engineering', 'operations'],
    // Entra-style scoping: clauses in a group are ANDed, groups are ORed.
    scope: [[{ attribute: 'contractor', operator: 'IS NULL' }], [{ attribute: 'contractor', operator: 'IS FALSE' }]],
    mappings: { userType: () => 'Employee' },
    ...target('SCIMFORM_WIKI', 'generic'),
  });
  wiki.assignTeam('engineering', { role: 'Editor' });
  wiki.assignTeam('operations', { role: 'Reader' });
  wiki.assignPerson('mary', { role: 'Admin' });
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
