// The read-only web page at `/`: tenants, users (active / inactive / pending), groups and their
// members, refreshing itself every few seconds. Every value is HTML-escaped: user data is untrusted.
import type { TenantContext } from './tenant-context';
import type { StoredRecord } from './tenant-store';
import { TENANT_NAMES, type TenantName } from './types';
import { userStatus } from './user-service';

const MAX_ROWS = 500;
const MAX_MEMBERS_SHOWN = 50;

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`=/]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function emailsOf(rec: StoredRecord): string {
  const emails = Array.isArray(rec.data.emails) ? (rec.data.emails as { value?: unknown; primary?: unknown }[]) : [];
  return emails.map((e) => `${escapeHtml(e.value)}${e.primary === true ? ' <small>(primary)</small>' : ''}`).join('<br>');
}

function usersTable(ctx: TenantContext): string {
  const users = [...ctx.store.users.values()];
  if (!users.length) return '<p class="empty">No users.</p>';
  const rows = users.slice(0, MAX_ROWS).map((rec) => {
    const status = userStatus(rec);
    const groups = ctx.store.groupsOfUser(rec.id).map((g) => escapeHtml(ctx.store.groups.get(g)?.data.displayName)).join(', ');
    return `<tr><td>${escapeHtml(rec.data.userName)}</td><td>${escapeHtml(rec.data.displayName)}</td><td>${emailsOf(rec)}</td>`
      + `<td><span class="st ${status}">${status}</span></td>${ctx.profile.supportsGroups ? `<td>${groups}</td>` : ''}<td><code>${escapeHtml(rec.id)}</code></td></tr>`;
  });
  const more = users.length > MAX_ROWS ? `<p>… and ${users.length - MAX_ROWS} more users.</p>` : '';
  return `<table><thead><tr><th>userName</th><th>displayName</th><th>emails</th><th>status</th>${ctx.profile.supportsGroups ? '<th>groups</th>' : ''}<th>id</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

function groupsTable(ctx: TenantContext): string {
  const groups = [...ctx.store.groups.values()];
  if (!groups.length) return '<p class="empty">No groups.</p>';
  const rows = groups.slice(0, MAX_ROWS).map((rec) => {
    const members = rec.members ?? [];
    const names = members.slice(0, MAX_MEMBERS_SHOWN).map((m) => escapeHtml(ctx.store.users.get(m)?.data.userName ?? m)).join(', ');
    const more = members.length > MAX_MEMBERS_SHOWN ? ` … (+${members.length - MAX_MEMBERS_SHOWN})` : '';
    return `<tr><td>${escapeHtml(rec.data.displayName)}</td><td>${members.length}</td><td>${names}${more}</td><td><code>${escapeHtml(rec.id)}</code></td></tr>`;
  });
  const more = groups.length > MAX_ROWS ? `<p>… and ${groups.length - MAX_ROWS} more groups.</p>` : '';
  return `<table><thead><tr><th>displayName</th><th>members</th><th>member userNames</th><th>id</th></tr></thead><tbody>${rows.join('')}</tbody></table>${more}`;
}

function tenantSection(ctx: TenantContext): string {
  const users = [...ctx.store.users.values()];
  const count = (s: string) => users.filter((u) => userStatus(u) === s).length;
  const faults = ctx.faults.get();
  const faultText = Object.keys(faults).length ? `<p class="faults">Faults: <code>${escapeHtml(JSON.stringify(faults))}</code></p>` : '';
  return `<section><h2>${escapeHtml(ctx.profile.title)} <small><code>${escapeHtml(ctx.store.baseUrl)}</code> · ${escapeHtml(ctx.profile.auth)}</small></h2>`
    + `<p>${escapeHtml(ctx.profile.notes)}</p>${faultText}`
    + `<h3>Users: ${users.length} (${count('active')} active, ${count('inactive')} inactive, ${count('pending')} pending)</h3>${usersTable(ctx)}`
    + (ctx.profile.supportsGroups ? `<h3>Groups: ${ctx.store.groups.size}</h3>${groupsTable(ctx)}` : '')
    + '</section>';
}

export function renderPage(contexts: Record<TenantName, TenantContext>, credentialsFile: string, refreshSeconds = 3): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${refreshSeconds}">
<title>scimform sandbox</title><style>
body{font:14px system-ui,sans-serif;margin:1.5rem;color:#222}h1{margin:0 0 .3rem}h2{border-bottom:1px solid #ccc;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.3rem 0 1rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.st{padding:0 .4rem;border-radius:.5rem}.active{background:#d9f2d9}.inactive{background:#eee;color:#666}.pending{background:#fff1c2}
.empty{color:#777}small{color:#666;font-weight:normal}.faults{color:#a40}
</style></head><body><h1>scimform SCIM sandbox</h1>
<p>Read-only view, refreshed every ${refreshSeconds}s. Credentials: <code>${escapeHtml(credentialsFile)}</code>.</p>
${TENANT_NAMES.map((t) => tenantSection(contexts[t])).join('\n')}
</body></html>`;
}
