// Renders the drift report: terminal (colour on a TTY), Markdown (nightly job summary) and JSON.
import { formatChange } from '../report/format-value';
import { Palette, plainPalette, stripControl } from '../report/colors';
import { htmlText, mdCode, mdFence, mdText } from '../report/markdown-text';
import { renderAppTerminal } from '../report/render-terminal';
import { renderAppMarkdownBody } from '../report/render-markdown';
import { totalChanges } from '../report/report-model';
import { AppDrift, DriftEntry, DriftReport } from './drift-model';

export const DRIFT_MARKER = '<!-- scimform-drift-report -->';

const headline = (r: DriftReport): string => {
  const drifted = r.apps.filter((a) => a.status === 'drift').length;
  const failed = r.apps.filter((a) => a.status === 'error').length;
  const parts = [`${drifted} of ${r.apps.length} app${r.apps.length === 1 ? '' : 's'} drifted`];
  if (failed) parts.push(`${failed} could not be checked`);
  return parts.join(', ');
};

const entryLine = (e: DriftEntry): string => {
  const what = e.what === 'changed' ? 'changed out of band' : `${e.what} out of band`;
  return `${e.kind} ${e.name}: ${what}`;
};

const memberLines = (e: DriftEntry): string[] => [
  ...(e.membersAdded ?? []).map((m) => `member added: ${m}`),
  ...(e.membersRemoved ?? []).map((m) => `member removed: ${m}`),
];

export function renderDriftTerminal(report: DriftReport, c: Palette = plainPalette): string {
  const t = stripControl;
  const tone = report.status === 'clean' ? c.green : report.status === 'drift' ? c.yellow : c.red;
  const lines = [c.bold(`scimform drift: ${tone(headline(report))}`), ''];
  for (const app of report.apps) {
    const status = app.status === 'clean' ? c.green('clean') : app.status === 'drift' ? c.yellow('drift') : c.red('error');
    lines.push(`${c.bold(t(app.app))} — ${status}`);
    if (app.error) for (const l of t(app.error).split('\n')) lines.push(`  ${c.red(l)}`);
    if (app.outOfBand.length) {
      lines.push('  changed outside scimform:');
      for (const e of app.outOfBand) {
        lines.push(`    ${c.yellow('!')} ${t(entryLine(e))}`);
        for (const ch of e.changes) lines.push(`        ${c.dim(t(formatChange(ch)))}`);
        for (const m of memberLines(e)) lines.push(`        ${c.dim(t(m))}`);
      }
    }
    if (!app.error && totalChanges(app.pending.counts) > 0) {
      lines.push('  apply would:');
      lines.push(...renderAppTerminal(app.pending, c).slice(1).map((l) => `  ${l}`));
    }
    lines.push('');
  }
  return lines.join('\n') + '\n';
}

function appMarkdown(app: AppDrift): string {
  if (app.error) {
    return `<details open><summary>⚠️ <strong>${htmlText(app.app)}</strong>: could not be checked</summary>\n\n${mdFence(app.error)}\n\n</details>\n`;
  }
  const out = [`<details${app.status === 'drift' ? ' open' : ''}><summary><strong>${htmlText(app.app)}</strong>: ${app.status}</summary>`, ''];
  if (app.outOfBand.length) {
    out.push(`**Changed outside scimform (${app.outOfBand.length})**`);
    for (const e of app.outOfBand) {
      out.push(`- ${mdText(e.kind)} ${mdCode(e.name)}: ${mdText(e.what === 'changed' ? 'changed' : e.what)} out of band`);
      for (const ch of e.changes) out.push(`  - ${mdCode(formatChange(ch))}`);
      for (const m of memberLines(e)) out.push(`  - ${mdCode(m)}`);
    }
    out.push('');
  }
  if (totalChanges(app.pending.counts) > 0) {
    out.push('**Apply would**', '', renderAppMarkdownBody(app.pending, 'full'));
  }
  out.push('</details>', '');
  return out.join('\n');
}

export function renderDriftMarkdown(report: DriftReport, maxChars = 1_000_000): string {
  const icon = report.status === 'clean' ? '✅' : report.status === 'drift' ? '⚠️' : '❌';
  const table = [
    '| App | Status | Changed out of band | Apply would change |',
    '| --- | --- | ---: | ---: |',
    ...report.apps.map(
      (a) => `| ${mdText(a.app)} | ${a.status} | ${a.outOfBand.length} | ${a.error ? '' : totalChanges(a.pending.counts)} |`,
    ),
  ].join('\n');
  const text = [DRIFT_MARKER, `### ${icon} scimform drift: ${mdText(headline(report))}`, '', table, '', ...report.apps.filter((a) => a.status !== 'clean').map(appMarkdown)].join('\n');
  return text.length > maxChars ? `${text.slice(0, maxChars - 60)}\n\n… truncated; see the job log.\n` : text;
}

export const renderDriftJson = (report: DriftReport): string => `${JSON.stringify(report, null, 2)}\n`;
