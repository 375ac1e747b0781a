// Terminal rendering of the plan report: one block per app with a line per user, group and membership
// change and each changed attribute before → after; colour only when a palette with colour is given.
import { formatChange, formatCounts } from './format-value';
import { guardMessage } from '../guard/deactivation-guard';
import { Palette, plainPalette, stripControl } from './colors';
import { AppReport, PlanReport, totalChanges, UserAction, GroupAction, UserEntry, GroupEntry } from './report-model';

const USER_LINES: { action: UserAction; sign: string; label: string; tone: keyof Palette }[] = [
  { action: 'create', sign: '+', label: 'create', tone: 'green' },
  { action: 'adopt', sign: '+', label: 'adopt', tone: 'cyan' },
  { action: 'update', sign: '~', label: 'update', tone: 'yellow' },
  { action: 'reactivate', sign: '+', label: 'reactivate', tone: 'green' },
  { action: 'deactivate', sign: '-', label: 'deactivate', tone: 'red' },
  { action: 'delete', sign: '-', label: 'delete', tone: 'red' },
];

const GROUP_LINES: { action: GroupAction; sign: string; label: string; tone: keyof Palette }[] = [
  { action: 'create', sign: '+', label: 'create', tone: 'green' },
  { action: 'adopt', sign: '+', label: 'adopt', tone: 'cyan' },
  { action: 'update', sign: '~', label: 'update', tone: 'yellow' },
  { action: 'delete', sign: '-', label: 'delete', tone: 'red' },
];

const t = stripControl;
/** `+ create        ` — sign and action in a fixed-width column. */
const col = (sign: string, label: string) => `${sign} ${label.padEnd(13)}`;

export function renderAppTerminal(app: AppReport, c: Palette = plainPalette): string[] {
  const lines: string[] = [];
  const n = totalChanges(app.counts);
  if (app.error) {
    lines.push(`${c.bold(t(app.app))} ${c.red('— plan failed')}`);
    for (const l of t(app.error).split('\n')) lines.push(`  ${c.red(l)}`);
    return lines;
  }
  lines.push(`${c.bold(t(app.app))} ${c.dim(`— ${formatCounts(app.counts)}`)}`);
  if (n === 0) return lines;
  /** One user or group: a line with its name, the existing id when adopted and its note, then its changes. */
  const entry = (column: string, tone: keyof Palette, name: string, e: UserEntry | GroupEntry, action: UserAction | GroupAction) => {
    const extra = [e.id && action === 'adopt' ? `existing id ${e.id}` : '', e.note ?? ''].filter(Boolean).join('; ');
    lines.push(`  ${c[tone](column)}${t(name)}${extra ? c.dim(`  (${t(extra)})`) : ''}`);
    for (const ch of e.changes) lines.push(`${' '.repeat(17)}${c.dim(t(formatChange(ch)))}`);
  };
  for (const { action, sign, label, tone } of USER_LINES) {
    for (const u of app.users[action]) entry(col(sign, label), tone, u.userName, u, action);
  }
  for (const { action, sign, label, tone } of GROUP_LINES) {
    for (const g of app.groups[action]) entry(col(sign, `group ${label}`), tone, g.displayName, g, action);
  }
  for (const m of app.members.added) lines.push(`  ${c.green(col('+', 'member'))}${t(m.user)} → ${t(m.group)}`);
  for (const m of app.members.removed) lines.push(`  ${c.red(col('-', 'member'))}${t(m.user)} ✕ ${t(m.group)}`);
  return lines;
}

export function renderTerminal(report: PlanReport, c: Palette = plainPalette, title = 'scimform plan'): string {
  const lines: string[] = [c.bold(`${title}: ${report.apps.length} app${report.apps.length === 1 ? '' : 's'}`), ''];
  for (const app of report.apps) {
    lines.push(...renderAppTerminal(app, c), '');
  }
  const failed = report.apps.filter((a) => a.error).length;
  lines.push(`${c.bold('Total:')} ${formatCounts(report.totals)}${failed ? c.red(` — ${failed} app(s) failed to plan`) : ''}`);
  if (report.guard?.tripped) {
    const msg = guardMessage(report.guard, 'report');
    lines.push('', report.guard.overridden ? c.yellow(msg) : c.red(msg));
  }
  return lines.join('\n') + '\n';
}
