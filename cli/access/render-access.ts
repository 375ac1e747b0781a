// Renders the access matrix as Markdown, CSV (one row per person, status and role columns per app;
// spreadsheet formula injection neutralised) and a self-contained HTML page (every value escaped).
import { htmlEscape, mdCode, mdText } from '../report/markdown-text';
import { AccessCell, AccessMatrix, AccessStatus } from './access-model';

const ICON: Record<AccessStatus, string> = { active: '✅', deactivated: '⛔', left: '🚪', pending: '⏳', excluded: '🚫' };

const STATUS_TEXT: Record<AccessStatus, string> = { active: 'active', deactivated: 'deactivated', left: 'left', pending: 'pending', excluded: 'not provisioned' };
const cellText = (c: AccessCell): string => `${STATUS_TEXT[c.status]}${c.roles.length ? ` (${c.roles.join(', ')})` : ''}`;

function counts(m: AccessMatrix, app: string): Record<AccessStatus, number> {
  const r: Record<AccessStatus, number> = { active: 0, deactivated: 0, left: 0, pending: 0, excluded: 0 };
  for (const p of m.people) if (p.apps[app]) r[p.apps[app].status]++;
  return r;
}

export function renderAccessMarkdown(m: AccessMatrix): string {
  const head = `| Person | ${m.apps.map(mdText).join(' | ')} |`;
  const sep = `| --- |${m.apps.map(() => ' --- |').join('')}`;
  const rows = m.people.map((p) => {
    const who = `${mdText(p.displayName)}${p.email && p.email !== p.displayName ? ` <br>${mdCode(p.email)}` : ''}`;
    const cells = m.apps.map((a) => {
      const c = p.apps[a];
      if (!c) return '—';
      return `${ICON[c.status]} ${mdText(cellText(c))}${c.note ? ` <br>_${mdText(c.note)}_` : ''}`;
    });
    return `| ${who} | ${cells.join(' | ')} |`;
  });
  const totals = m.apps.map((a) => {
    const c = counts(m, a);
    return `${c.active} active, ${c.deactivated} deactivated, ${c.pending} pending${c.left ? `, ${c.left} left` : ''}${c.excluded ? `, ${c.excluded} not provisioned` : ''}`;
  });
  return [
    '### Access matrix',
    '',
    `${m.people.length} people × ${m.apps.length} apps. ✅ active · ⛔ deactivated · ⏳ pending (declared, not provisioned yet) · 🚪 left (a leaver; their account deactivated, or deleted per the app's policy) · 🚫 not provisioned (out of scope or Default Access only; an earlier account is deactivated).`,
    '',
    head,
    sep,
    ...rows,
    `| **Total** | ${totals.join(' | ')} |`,
    '',
  ].join('\n');
}

/** RFC 4180 field; a leading = + - @ (or tab/CR) is prefixed with ' so spreadsheets show it as text. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderAccessCsv(m: AccessMatrix): string {
  const header = ['person', 'key', 'email', ...m.apps.flatMap((a) => [`${a} status`, `${a} role`, `${a} userName`])];
  const rows = m.people.map((p) => [
    p.displayName,
    p.key,
    p.email ?? '',
    ...m.apps.flatMap((a) => {
      const c = p.apps[a];
      return c ? [c.status, c.roles.join('; '), c.userName] : ['', '', ''];
    }),
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1f2328}
h1{font-size:1.4rem}p.legend span{margin-right:1rem}
table{border-collapse:collapse;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}td.active{background:#dafbe1}td.deactivated,td.left{background:#ffebe9}td.pending{background:#fff8c5}td.excluded{background:#eaeef2}
td.none{color:#8c959f;text-align:center}small{color:#57606a;display:block}tfoot td{font-weight:600;background:#f6f8fa}
`.trim();

export function renderAccessHtml(m: AccessMatrix, title = 'scimform access matrix'): string {
  const e = htmlEscape;
  const head = `<tr><th>Person</th>${m.apps.map((a) => `<th>${e(a)}</th>`).join('')}</tr>`;
  const rows = m.people.map((p) => {
    const cells = m.apps.map((a) => {
      const c = p.apps[a];
      if (!c) return '<td class="none">—</td>';
      const roles = c.roles.length ? ` (${e(c.roles.join(', '))})` : '';
      return `<td class="${c.status}">${ICON[c.status]} ${e(STATUS_TEXT[c.status])}${roles}${c.userName ? `<small>${e(c.userName)}</small>` : ''}${c.note ? `<small><em>${e(c.note)}</em></small>` : ''}</td>`;
    });
    return `<tr><td><strong>${e(p.displayName)}</strong>${p.email ? `<small>${e(p.email)}</small>` : ''}</td>${cells.join('')}</tr>`;
  });
  const foot = `<tr><td>Total</td>${m.apps
    .map((a) => {
      const c = counts(m, a);
      return `<td>${c.active} active · ${c.deactivated} deactivated · ${c.pending} pending${c.left ? ` · ${c.left} left` : ''}${c.excluded ? ` · ${c.excluded} not provisioned` : ''}</td>`;
    })
    .join('')}</tr>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${e(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${e(title)}</h1>
<p class="legend"><span>✅ active</span><span>⛔ deactivated</span><span>⏳ pending: declared, not provisioned yet</span><span>🚪 left: a leaver, account deactivated</span><span>🚫 not provisioned: out of scope or Default Access only</span><span>${m.people.length} people × ${m.apps.length} apps</span></p>
<table>
<thead>${head}</thead>
<tbody>
${rows.join('\n')}
</tbody>
<tfoot>${foot}</tfoot>
</table>
</body>
</html>
`;
}
