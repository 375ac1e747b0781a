// The read-only web page at `/`: an overview of the tenants (user counts by status, groups, faults),
// then per tenant its users (status badges, groups) and groups (members by name), with the time of
// the last refresh; the page reloads itself every few seconds (no script: the CSP forbids any).
// Every value is HTML-escaped: user data is untrusted.
import type { TenantContext } from './tenant-context';
import type { StoredRecord } from './tenant-store';
import { TENANT_NAMES, type TenantName } from './types';
import { userStatus } from './user-service';

const MAX_ROWS = 500;
const MAX_MEMBERS_SHOWN = 50;

type Status = ReturnType<typeof userStatus>;

const STATUS_HELP: Record<Status, string> = {
  active: 'active=true',
  inactive: 'active=false (deactivated)',
  pending: 'created with active=false and never activated: cannot be deactivated until activated',
};

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`=/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The status cell: a coloured badge, explained on hover. */
function statusCell(status: Status): string {
  return `<td title="${escapeHtml(STATUS_HELP[status])}"><span class="st ${escapeHtml(status)}">${escapeHtml(status)}</span></td>`;
}

/** "3 active · 1 inactive · 1 pending" as small badges with counts (zero counts left out). */
function statusCounts(users: StoredRecord[]): string {
  const counts: Record<Status, number> = { active: 0, inactive: 0, pending: 0 };
  for (const u of users) counts[userStatus(u)] += 1;
  const parts = (Object.keys(counts) as Status[]).filter((s) => counts[s] > 0).map((s) => `<span class="cnt ${s}">${counts[s]} ${s}</span>`);
  return parts.length ? parts.join(' ') : '<span class="muted">none</span>';
}

function emailsOf(rec: StoredRecord): string {
  const emails = Array.isArray(rec.data.emails) ? (rec.data.emails as { value?: unknown; primary?: unknown; type?: unknown }[]) : [];
  if (!emails.length) return '<span class="muted">—</span>';
  return emails.map((e) => {
    const tags = [text(e.type), e.primary === true ? 'primary' : undefined].filter(Boolean).map((t) => escapeHtml(t)).join(', ');
    return `<div>${escapeHtml(e.value)}${tags ? ` <small>(${tags})</small>` : ''}</div>`;
  }).join('');
}

/** A user shown by name: displayName (or given + family name) with the userName beneath. */
function userCell(rec: StoredRecord): string {
  const name = rec.data.name as { givenName?: unknown; familyName?: unknown } | undefined;
  const display = text(rec.data.displayName) ?? ([text(name?.givenName), text(name?.familyName)].filter(Boolean).join(' ') || undefined);
  return display
    ? `<div class="name">${escapeHtml(display)}</div><div class="sub">${escapeHtml(rec.data.userName)}</div>`
    : `<div class="name">${escapeHtml(rec.data.userName)}</div>`;
}

function usersTable(ctx: TenantContext): string {
  const users = [...ctx.store.users.values()];
  if (!users.length) return '<p class="empty">No users yet.</p>';
  const groupsCol = ctx.profile.supportsGroups;
  const rows = users.slice(0, MAX_ROWS).map((rec) => {
    const status = userStatus(rec);
    const groups = ctx.store.groupsOfUser(rec.id).map((g) => `<span class="chip">${escapeHtml(ctx.store.groups.get(g)?.data.displayName ?? g)}</span>`).join(' ');
    return `<tr class="row-${status}"><td>${userCell(rec)}</td><td>${emailsOf(rec)}</td>${statusCell(status)}`
      + `${groupsCol ? `<td>${groups || '<span class="muted">—</span>'}</td>` : ''}<td class="id">${escapeHtml(rec.id)}</td></tr>`;
  });
  const more = users.length > MAX_ROWS ? `<p class="muted">… and ${users.length - MAX_ROWS} more users.</p>` : '';
  return `<div class="scroll"><table><thead><tr><th>user</th><th>emails</th><th>status</th>${groupsCol ? '<th>groups</th>' : ''}<th>id</th></tr></thead>`
    + `<tbody>${rows.join('')}</tbody></table></div>${more}`;
}

/** A member chip: the user's name (displayName, else userName), coloured by status; the userName and id on hover. */
function memberChip(ctx: TenantContext, id: string): string {
  const rec = ctx.store.users.get(id);
  if (!rec) return `<span class="chip unknown" title="no such user">${escapeHtml(id)}</span>`;
  const status = userStatus(rec);
  const label = text(rec.data.displayName) ?? rec.data.userName;
  const note = status === 'active' ? '' : ` <small>${status}</small>`;
  return `<span class="chip member ${status}" title="${escapeHtml(`${String(rec.data.userName)} · ${status} · ${rec.id}`)}">${escapeHtml(label)}${note}</span>`;
}

function groupsTable(ctx: TenantContext): string {
  const groups = [...ctx.store.groups.values()];
  if (!groups.length) return '<p class="empty">No groups yet.</p>';
  const rows = groups.slice(0, MAX_ROWS).map((rec) => {
    const members = rec.members ?? [];
    const chips = members.slice(0, MAX_MEMBERS_SHOWN).map((m) => memberChip(ctx, m)).join(' ');
    const more = members.length > MAX_MEMBERS_SHOWN ? ` <span class="muted">… and ${members.length - MAX_MEMBERS_SHOWN} more</span>` : '';
    return `<tr><td><div class="name">${escapeHtml(rec.data.displayName)}</div></td><td class="num">${members.length}</td>`
      + `<td>${chips || '<span class="muted">no members</span>'}${more}</td><td class="id">${escapeHtml(rec.id)}</td></tr>`;
  });
  const more = groups.length > MAX_ROWS ? `<p class="muted">… and ${groups.length - MAX_ROWS} more groups.</p>` : '';
  return `<div class="scroll"><table><thead><tr><th>group</th><th>members</th><th>member names</th><th>id</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>${more}`;
}

function faultChips(ctx: TenantContext): string {
  const faults = Object.entries(ctx.faults.get() as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return faults.map(([k, v]) => `<span class="chip fault">${escapeHtml(k)}: ${escapeHtml(JSON.stringify(v))}</span>`).join(' ');
}

function overview(contexts: Record<TenantName, TenantContext>): string {
  const cards = TENANT_NAMES.map((t) => {
    const ctx = contexts[t];
    const users = [...ctx.store.users.values()];
    const faults = faultChips(ctx);
    return `<a class="card" href="#tenant-${escapeHtml(t)}"><div class="card-title">${escapeHtml(ctx.profile.title)}</div>`
      + `<div class="big">${plural(users.length, 'user')}${ctx.profile.supportsGroups ? ` · ${plural(ctx.store.groups.size, 'group')}` : ''}</div>`
      + `<div>${statusCounts(users)}</div>${faults ? `<div class="card-faults">faults on</div>` : ''}</a>`;
  });
  return `<nav class="cards">${cards.join('')}</nav>`;
}

function tenantSection(ctx: TenantContext): string {
  const users = [...ctx.store.users.values()];
  const faults = faultChips(ctx);
  return `<section id="tenant-${escapeHtml(ctx.profile.name)}"><h2>${escapeHtml(ctx.profile.title)}</h2>`
    + `<p class="meta"><code>${escapeHtml(ctx.store.baseUrl)}</code> <span class="chip auth">${ctx.profile.auth === 'basic' ? 'HTTP Basic' : 'bearer token'}</span>`
    + `${ctx.profile.supportsGroups ? '' : ' <span class="chip">users only</span>'}</p>`
    + `<p class="notes">${escapeHtml(ctx.profile.notes)}</p>`
    + (faults ? `<p class="faults">Fault injection: ${faults}</p>` : '')
    + `<h3>Users <span class="h-count">${users.length}</span> ${statusCounts(users)}</h3>${usersTable(ctx)}`
    + (ctx.profile.supportsGroups ? `<h3>Groups <span class="h-count">${ctx.store.groups.size}</span></h3>${groupsTable(ctx)}` : '')
    + '</section>';
}

const STYLE = `
:root{--fg:#1f2328;--muted:#656d76;--line:#d8dee4;--bg:#f6f8fa;--card:#fff;--green:#1a7f37;--green-bg:#dafbe1;--grey:#57606a;--grey-bg:#eaeef2;--amber:#8a5a00;--amber-bg:#fff3c4;--red:#a40e26;--red-bg:#ffebe9}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:var(--fg);background:var(--bg)}
header{background:#24292f;color:#fff;padding:.9rem 1.5rem;display:flex;flex-wrap:wrap;gap:.4rem 1.5rem;align-items:baseline}
header h1{font-size:1.25rem;margin:0}header .info{color:#c9d1d9;font-size:.85rem}header code{color:#fff}
main{padding:1rem 1.5rem 2rem;max-width:1400px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:.75rem;margin-bottom:1rem}
.card{display:block;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.7rem .9rem;color:inherit;text-decoration:none}
.card-title{font-weight:600}.big{font-size:1.05rem;margin:.15rem 0 .35rem}.card-faults{margin-top:.35rem;color:var(--red);font-size:.8rem;font-weight:600}
section{min-width:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.4rem 1.1rem 1rem;margin-bottom:1rem}
h2{margin:.6rem 0 .2rem;font-size:1.15rem}h3{font-size:.95rem;margin:1rem 0 .4rem;display:flex;gap:.4rem;align-items:center;flex-wrap:wrap}
.h-count{background:var(--grey-bg);border-radius:999px;padding:0 .5rem;font-size:.8rem}
.meta{margin:.1rem 0}.notes{color:var(--muted);margin:.3rem 0;max-width:80em}.faults{margin:.4rem 0}
table{border-collapse:collapse;width:100%;min-width:760px}.scroll{overflow-x:auto}th,td{border-bottom:1px solid var(--line);padding:.35rem .6rem;text-align:left;vertical-align:top}
th{font-size:.75rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);background:var(--bg)}
td{overflow-wrap:anywhere}.name{font-weight:600}.sub,small,.muted,.empty{color:var(--muted)}.sub{font-size:.85rem}
.id{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;color:var(--muted);white-space:nowrap;padding-top:.5rem}.num{text-align:right}
tr.row-inactive .name,tr.row-inactive .sub{color:var(--muted)}
.st,.cnt{display:inline-block;border-radius:999px;padding:0 .55rem;font-size:.8rem;font-weight:600;white-space:nowrap}
.st::before{content:"";display:inline-block;width:.5rem;height:.5rem;border-radius:50%;margin-right:.35rem;background:currentColor}
.active{background:var(--green-bg);color:var(--green)}.inactive{background:var(--grey-bg);color:var(--grey)}.pending{background:var(--amber-bg);color:var(--amber)}
.chip{display:inline-block;white-space:nowrap;max-width:100%;overflow:hidden;text-overflow:ellipsis;vertical-align:top;border:1px solid var(--line);border-radius:6px;padding:0 .45rem;margin:.1rem 0;font-size:.82rem;background:var(--bg)}
.chip.member.active{border-color:#aceebb}.chip.member.inactive{color:var(--grey)}.chip.member.pending{border-color:#f0d87a}
.chip.unknown{color:var(--red);border-color:var(--red)}.chip.fault{background:var(--red-bg);color:var(--red);border-color:#ffcecb;font-family:ui-monospace,monospace}
.chip.auth{font-size:.75rem}code{font:12.5px ui-monospace,SFMono-Regular,Menlo,monospace}
`;

export function renderPage(contexts: Record<TenantName, TenantContext>, credentialsFile: string, refreshSeconds = 3, now: Date = new Date()): string {
  const time = now.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${refreshSeconds}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>scimform sandbox</title><style>${STYLE}</style></head><body>
<header><h1>scimform SCIM sandbox</h1><span class="info">read-only · refreshes every ${refreshSeconds} s · last refresh <time datetime="${escapeHtml(now.toISOString())}">${escapeHtml(time)}</time></span>
<span class="info">credentials: <code>${escapeHtml(credentialsFile)}</code></span></header>
<main>${overview(contexts)}
${TENANT_NAMES.map((t) => tenantSection(contexts[t])).join('\n')}
</main></body></html>`;
}
