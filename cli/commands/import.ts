// `scimform import --out DIR`: brownfield onboarding. Reads the live accounts and groups of every app of
// the current configuration (read-only) and writes DIR/people.yaml, teams.yaml, apps.yaml (with the SCIM
// id of every account and group, so the first plan only imports) and import-report.md.
import * as path from 'node:path';
import { scimformPaths } from '../../lib/paths';
import { buildOrg } from '../import/build-org';
import { renderImportReport } from '../import/import-report';
import { readApps } from '../import/read-apps';
import { checkWritable, IMPORT_FILES, renderOrgFiles, writeOrgFiles } from '../import/write-org';
import { runCommand } from '../report/command-kit';
import { badOption } from '../report/errors';
import { openSandbox } from '../workflow/sandbox-session';
import { stderrProgress } from '../workflow/progress';
import { synthesize } from '../workflow/synth-app';

export const summary = 'read the live accounts and groups of every app (read-only) into people.yaml, teams.yaml and apps.yaml';

export const options = {
  out: { type: 'string' },
  force: { type: 'boolean' },
  stack: { type: 'string', multiple: true },
  'no-sandbox': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const usage = `Usage: scimform import --out DIR [options]

Reads every app of the current configuration — endpoints and credentials resolved as for plan — and writes
DIR/people.yaml, DIR/teams.yaml, DIR/apps.yaml and DIR/import-report.md (also printed). Read-only: only
GET requests are sent; no app is changed. People are matched across apps by email/userName (case-
insensitive), then externalId; values come from the first app of apps.yaml, the other apps keep theirs as
per-person overrides. apps.yaml records the SCIM id of every account and group, so that
\`SCIMFORM_ORG_DIR=DIR scimform plan\` shows only imports. See docs/guides/onboarding.md.

Options:
  --out DIR        where to write the files (required)
  --force          replace files that already exist in DIR (never done otherwise)
  --stack NAME     only this app (repeatable)
  --no-sandbox     do not start the local sandbox (all apps point at real endpoints)
  -h, --help       this help`;

export function run(argv: string[]): Promise<number> {
  return runCommand('import', argv, options, usage, async (values) => {
    if (!values.out) throw badOption('--out', 'is required', 'Pass the folder to write the org files to, e.g. --out imported');
    const out = path.resolve(values.out);
    checkWritable(out, IMPORT_FILES, !!values.force);
    const paths = scimformPaths();
    const progress = stderrProgress();
    progress.info('import is read-only: it reads every app and changes nothing');
    const sandbox = await openSandbox(paths, progress, values['no-sandbox'] ? 'off' : 'auto');
    try {
      const synth = await synthesize(paths);
      const stacks = synth.stacks.filter((s) => s.meta && (!values.stack?.length || values.stack.includes(s.name)));
      const apps = await readApps(stacks, paths, progress);
      const when = new Date().toISOString().slice(0, 10);
      const org = buildOrg(apps, when);
      const report = renderImportReport(org, when);
      const written = writeOrgFiles(out, renderOrgFiles(org, report, when), !!values.force);
      process.stdout.write(report);
      for (const f of written) progress.info(`wrote ${path.relative(process.cwd(), f) || f}`);
      return 0;
    } finally {
      await sandbox.close();
    }
  });
}
