// The import report (`import-report.md`, also printed): what was read per app, who was matched across
// apps, every value the apps disagree on (the first app's value went to people.yaml, the others became
// per-app overrides), leavers, inactive and possibly pending accounts, merged and split teams, and what
// was left unmanaged — for the review before the first plan.
import type { ImportedOrg } from './import-model';

const cell = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v)).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderImportReport(org: ImportedOrg, when: string): string {
  const f = org.findings;
  const out: string[] = [`# scimform import report`, '', `Read on ${when}, read-only: no app was changed.`, ''];
  out.push('| app | accounts | inactive | groups |', '| --- | ---: | ---: | ---: |');
  for (const a of f.perApp) out.push(`| ${cell(a.title)} (\`${a.key}\`) | ${a.users} | ${a.inactive} | ${a.groups} |`);
  out.push('', `${org.people.length} people, ${org.teams.length} team(s), ${org.apps.length} app(s).`, '');

  out.push('## People matched across apps', '');
  if (!f.matched.length) out.push('None.');
  for (const m of f.matched) out.push(`- \`${m.person}\`: ${m.apps.join(', ')}${m.userNames.length > 1 ? ` (userNames ${m.userNames.map((u) => `\`${u}\``).join(', ')})` : ''}`);

  out.push('', '## Values the apps disagree on', '');
  out.push('people.yaml holds the first app\'s value; each app below keeps its own through `accounts.<person>.attributes` in apps.yaml.', '');
  if (!f.disagreements.length) out.push('None.');
  else {
    out.push('| person | app | attribute | people.yaml | app holds |', '| --- | --- | --- | --- | --- |');
    for (const d of f.disagreements) out.push(`| ${d.person} | ${d.app} | ${d.attribute} | ${cell(d.person_value)} | ${cell(d.app_value)} |`);
  }

  out.push('', '## Leavers and inactive accounts', '');
  if (f.leavers.length) out.push(`Leavers (inactive in every app; \`status: leaver\` from ${when}): ${f.leavers.map((k) => `\`${k}\``).join(', ')}.`);
  for (const k of f.keptInactive) out.push(`- \`${k.person}\` is inactive everywhere but kept as inactive assignments: ${k.reason}.`);
  for (const i of f.inactive) out.push(`- \`${i.person}\` in ${i.app}: inactive assignment (\`active: false\`)${i.maybePending ? ' — deactivated or pending (not yet activated): this app does not say, and the account stays as it is' : ''}`);
  if (!f.leavers.length && !f.inactive.length && !f.keptInactive.length) out.push('None.');

  out.push('', '## Teams from groups', '');
  if (!f.teams.length) out.push('None.');
  for (const t of f.teams) {
    out.push(`- \`${t.team}\` ("${t.displayName}") in ${t.apps.join(', ')}${t.split ? ' — the apps\' groups of this name have different members: one team per app' : ''}`);
  }

  out.push('', '## Left unmanaged', '');
  if (!f.skipped.length) out.push('Nothing.');
  for (const s of f.skipped) out.push(`- ${s.app}: ${s.what}: ${s.reason}`);
  if (f.notes.length) out.push('', '## Notes', '', ...f.notes.map((n) => `- ${n}`));
  out.push(
    '',
    '## Next',
    '',
    'Review the files, then `SCIMFORM_ORG_DIR=<dir> scimform plan`: it should show only imports (the SCIM ids in',
    'apps.yaml become Terraform import blocks). `scimform deploy` then records them in state without a change.',
    '',
  );
  return out.join('\n');
}
