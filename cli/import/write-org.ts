// Writes the imported organisation: DIR/people.yaml, teams.yaml, apps.yaml and import-report.md, each
// with a header saying where it came from. Never overwrites an existing file unless forced; the check
// runs before any app is read.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { cliError } from '../cli-errors';
import type { ImportedOrg } from './import-model';

const header = (lines: string[]) => lines.map((l) => `# ${l}`).join('\n') + '\n';

export const IMPORT_FILES = ['people.yaml', 'teams.yaml', 'apps.yaml', 'import-report.md'] as const;

/** The files' contents by name. */
export function renderOrgFiles(org: ImportedOrg, report: string, when: string): Record<(typeof IMPORT_FILES)[number], string> {
  const yaml = (v: unknown) => stringify(v, { lineWidth: 0 });
  return {
    'people.yaml': header([`People read from the apps by \`scimform import\` on ${when}. Review them: see import-report.md.`]) + yaml({ people: org.people }),
    'teams.yaml': header([`Teams made from the apps' groups by \`scimform import\` on ${when}.`]) + yaml({ teams: org.teams }),
    'apps.yaml':
      header([
        `Apps and who holds an account in each, read by \`scimform import\` on ${when}.`,
        '`accounts` and `groups` record what each app already holds: the SCIM id (synth adds a Terraform import',
        'block for it), `active: false` for an account that stays deactivated or pending, and `attributes` the',
        'app holds that differ from people.yaml (null: not sent). Mappings and templates use {{attribute}}.',
      ]) + yaml({ apps: org.apps }),
    'import-report.md': report,
  };
}

/** Throws when a file would be overwritten without --force. */
export function checkWritable(dir: string, names: readonly string[], force: boolean): void {
  const existing = names.filter((f) => fs.existsSync(path.join(dir, f)));
  if (existing.length && !force) {
    throw cliError(
      'SCIMFORM_IMPORT_WOULD_OVERWRITE',
      `${existing.map((f) => path.join(dir, f)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; import never overwrites a file. ` +
        'Choose another --out folder, or pass --force to replace them.',
    );
  }
}

export function writeOrgFiles(dir: string, files: Record<string, string>, force: boolean): string[] {
  checkWritable(dir, Object.keys(files), force);
  fs.mkdirSync(dir, { recursive: true });
  return Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  });
}
