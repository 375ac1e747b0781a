// Markdown rendering of the plan report for pull-request comments: a summary table, then one
// collapsible <details> section per app. The result stays under GitHub's 65,536-character comment
// limit: when it would not, the largest apps are summarised (names only, then counts only).
import { formatChange, formatCounts } from './format-value';
import { guardMessage, GuardVerdict } from '../guard/deactivation-guard';
import { htmlText, mdCode, mdFence, mdText } from './markdown-text';
import { fingerprintComment } from './report-fingerprint';
import { AppReport, GroupAction, GroupEntry, PlanReport, totalChanges, UserAction, UserEntry } from './report-model';

/** GitHub rejects comments over 65,536 characters; keep a margin for the workflow's own text. */
export const GITHUB_COMMENT_LIMIT = 65_536;
export const DEFAULT_MARKDOWN_BUDGET = 65_000;

/** Hidden marker the pull-request workflow uses to find and update its one comment. */
export const REPORT_MARKER = '<!-- scimform-plan-report -->';

export type Detail = 'full' | 'names' | 'counts';

export interface MarkdownOptions {
  title?: string;
  marker?: string;
  maxChars?: number;
  /** Optional footer line (e.g. the commit or workflow run the report belongs to). */
  footer?: string;
}

const USER_SECTIONS: { action: UserAction; title: string }[] = [
  { action: 'create', title: 'Create' },
  { action: 'adopt', title: 'Adopt (existing account)' },
  { action: 'update', title: 'Update' },
  { action: 'deactivate', title: 'Deactivate' },
  { action: 'reactivate', title: 'Reactivate' },
  { action: 'delete', title: 'Delete' },
];

const GROUP_SECTIONS: { action: GroupAction; title: string }[] = [
  { action: 'create', title: 'Groups created' },
  { action: 'adopt', title: 'Groups adopted' },
  { action: 'update', title: 'Groups updated' },
  { action: 'delete', title: 'Groups deleted' },
];

export function renderAppMarkdown(app: AppReport, detail: Detail): string {
  if (app.error) {
    return `<details open><summary>⚠️ <strong>${htmlText(app.app)}</strong>: plan failed</summary>\n\n${mdFence(app.error)}\n\n</details>\n`;
  }
  const summary = `<details><summary><strong>${htmlText(app.app)}</strong>: ${htmlText(formatCounts(app.counts))}</summary>`;
  return [summary, '', renderAppMarkdownBody(app, detail), '</details>', ''].join('\n');
}

/** The lists of one app's changes (no <details> wrapper), at the given level of detail. */
export function renderAppMarkdownBody(app: AppReport, detail: Detail): string {
  const out: string[] = [];
  if (detail === 'counts') {
    return `_Details left out to fit the comment limit: ${mdText(formatCounts(app.counts))}._\n`;
  }
  const section = (title: string, items: string[]) => {
    if (items.length === 0) return;
    out.push(`**${title} (${items.length})**`, ...items, '');
  };
  /** One user or group: its name, the existing id when adopted, its note, and (full detail) its changes. */
  const item = (name: string, e: UserEntry | GroupEntry, action: UserAction | GroupAction) => {
    const extra = [action === 'adopt' && e.id ? `existing id ${mdCode(e.id)}` : '', e.note ? mdText(e.note) : '']
      .filter(Boolean)
      .join('; ');
    const head = `- ${mdCode(name)}${extra ? ` — ${extra}` : ''}`;
    if (detail !== 'full' || e.changes.length === 0) return head;
    return [head, ...e.changes.map((c) => `  - ${mdCode(formatChange(c))}`)].join('\n');
  };
  for (const { action, title } of USER_SECTIONS) section(title, app.users[action].map((u) => item(u.userName, u, action)));
  for (const { action, title } of GROUP_SECTIONS) section(title, app.groups[action].map((g) => item(g.displayName, g, action)));
  section('Members added', app.members.added.map((m) => `- ${mdCode(m.user)} → ${mdCode(m.group)}`));
  section('Members removed', app.members.removed.map((m) => `- ${mdCode(m.user)} ✕ ${mdCode(m.group)}`));
  return out.join('\n');
}

export function renderGuardMarkdown(guard: GuardVerdict | undefined): string {
  if (!guard?.tripped) return '';
  const kind = guard.overridden ? 'WARNING' : 'CAUTION';
  const head = guard.overridden
    ? '**Deactivation guard tripped** and overridden with `--allow-mass-deactivation`.'
    : '**Deactivation guard tripped**: `scimform apply` will refuse this plan.';
  const rows = guard.apps
    .filter((a) => a.deactivations > 0)
    .map((a) => `> - ${mdCode(a.app)}: ${a.deactivations} account(s) lose access${a.tripped ? ` (${mdText(a.reasons.join('; '))})` : ''}`);
  return [`> [!${kind}]`, `> ${head}`, ...rows, ''].join('\n');
}

/** `+2 / −1`, or `0` when nothing is added or removed. */
const plusMinus = (plus: number, minus: number): string => (plus || minus ? `+${plus} / −${minus}` : '0');

function summaryTable(report: PlanReport): string {
  const rows = report.apps.map((a) => {
    const c = a.counts;
    if (a.error) return `| ${mdText(a.app)} | ⚠️ plan failed | | | | | | | |`;
    return `| ${mdText(a.app)} | ${c.create} | ${c.adopt} | ${c.update} | ${c.deactivate} | ${c.reactivate} | ${c.delete} | ${plusMinus(c.groupsCreate + c.groupsAdopt, c.groupsDelete)} | ${plusMinus(c.membersAdded, c.membersRemoved)} |`;
  });
  const t = report.totals;
  return [
    '| App | Create | Adopt | Update | Deactivate | Reactivate | Delete | Groups | Members |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    `| **Total** | **${t.create}** | **${t.adopt}** | **${t.update}** | **${t.deactivate}** | **${t.reactivate}** | **${t.delete}** | **${plusMinus(t.groupsCreate + t.groupsAdopt, t.groupsDelete)}** | **${plusMinus(t.membersAdded, t.membersRemoved)}** |`,
    '',
  ].join('\n');
}

/**
 * The whole comment. Every app starts with full detail; while the text is over budget the app with
 * the longest section is summarised one step (full → names → counts).
 */
export function renderMarkdown(report: PlanReport, options: MarkdownOptions = {}): string {
  const budget = Math.min(options.maxChars ?? DEFAULT_MARKDOWN_BUDGET, GITHUB_COMMENT_LIMIT);
  const title = options.title ?? 'scimform plan';
  const guard = renderGuardMarkdown(report.guard);
  const head = [
    options.marker ?? REPORT_MARKER,
    fingerprintComment(report.fingerprint),
    `### ${mdText(title)}`,
    '',
    ...(guard ? [guard] : []),
    summaryTable(report),
  ].join('\n');
  const changed = report.apps.filter((a) => a.error || totalChanges(a.counts) > 0);
  const unchanged = report.apps.filter((a) => !a.error && totalChanges(a.counts) === 0);
  const tailLines: string[] = [];
  if (unchanged.length) tailLines.push(`No changes: ${unchanged.map((a) => mdCode(a.app)).join(', ')}.`, '');
  if (changed.length === 0 && report.apps.length > 0) tailLines.push('**Nothing to do**: every app matches the configuration.', '');

  const detail = new Map<AppReport, Detail>(changed.map((a) => [a, 'full']));
  const sections = new Map<AppReport, string>(changed.map((a) => [a, renderAppMarkdown(a, 'full')]));
  const note = '_Some apps are summarised to fit the comment limit; the job log and `scimform report` show every change._\n';
  const assemble = (summarised: boolean) =>
    [head, ...changed.map((a) => sections.get(a)!), ...tailLines, summarised ? note : '', options.footer ? `${options.footer}\n` : '']
      .join('\n');

  let text = assemble(false);
  while (text.length > budget) {
    const candidates = changed.filter((a) => detail.get(a) !== 'counts');
    if (candidates.length === 0) break;
    const biggest = candidates.reduce((x, y) => (sections.get(y)!.length > sections.get(x)!.length ? y : x));
    const next: Detail = detail.get(biggest) === 'full' ? 'names' : 'counts';
    detail.set(biggest, next);
    sections.set(biggest, renderAppMarkdown(biggest, next));
    text = assemble(true);
  }
  if (text.length > budget) {
    // Hundreds of apps: keep the table, cut the sections.
    const cut = `\n… report truncated to fit the comment limit; see the job log.\n`;
    text = text.slice(0, budget - cut.length) + cut;
  }
  return text;
}
