// Who holds the lock on an app's shared state, and what to tell the run that gave up waiting for it.
// Terraform's `pg` backend locks a workspace with a session advisory lock keyed by the workspace's row id in
// <schema>.states (and key -1 while a workspace is being created); the lock records nothing about its
// holder and ends with the holder's connection. So the holder is read from pg_locks joined with
// pg_stat_activity, where scimform runs tag themselves with application_name (cli/state/state-env.ts).
// pg is loaded only when a lock is diagnosed: every scimform command imports this file through the runner.
import type { Client as PgClient } from 'pg';
import type { SharedStateMetadata } from '../../lib/state-backend';
import { STATE_URL_VARIABLE } from '../../lib/state-backend';
import { LOCK_TIMEOUT_VARIABLE } from './state-env';

export interface LockHolder {
  pid: number;
  applicationName: string;
  user: string;
  clientAddr: string | null;
  /** When the holder's session began (Terraform connects just before it locks). */
  since: Date;
  /** What the holder's session is doing now (`idle`, `active`, `idle in transaction`). */
  state: string;
}

/** Terraform's messages when it could not take the state lock in time. */
export const isLockError = (stderr: string): boolean =>
  /Error acquiring the state lock|already locked for workspace creation|Workspace is already locked/i.test(stderr);

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** The sessions holding the lock of `state`'s workspace (empty when it was released meanwhile). */
export async function findLockHolders(url: string, state: SharedStateMetadata): Promise<LockHolder[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Client } = require('pg') as typeof import('pg');
  const client: PgClient = new Client({ connectionString: url, application_name: 'scimform/lock-diagnosis', connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const keys = ['-1'];
    try {
      const row = await client.query<{ id: string }>(`SELECT id::text FROM ${quoteIdent(state.schema)}.states WHERE name = $1`, [state.workspace]);
      if (row.rows[0]) keys.push(row.rows[0].id);
    } catch {
      /* no states table yet: only the creation lock can be held */
    }
    const r = await client.query<{ pid: number; application_name: string; usename: string; client_addr: string | null; backend_start: Date; state: string }>(
      `SELECT a.pid, a.application_name, a.usename, host(a.client_addr) AS client_addr, a.backend_start, a.state
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND ((l.classid::bigint << 32) | l.objid::bigint)::text = ANY($1::text[])
          AND a.pid <> pg_backend_pid()
        ORDER BY a.backend_start`,
      [keys],
    );
    return r.rows.map((x) => ({
      pid: x.pid,
      applicationName: x.application_name,
      user: x.usename,
      clientAddr: x.client_addr,
      since: x.backend_start,
      state: x.state,
    }));
  } finally {
    await client.end().catch(() => undefined);
  }
}

const ago = (since: Date, now: Date) => {
  const s = Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
};

/** What the holder is, in words: `scimform deploy by alice on laptop-7` or the raw application name. */
export function describeHolder(h: LockHolder): string {
  const m = /^scimform\/([^/]+)\/(.+)@(.+)$/.exec(h.applicationName);
  const who = m ? `scimform ${m[1]} by ${m[2]} on ${m[3]}` : h.applicationName ? `"${h.applicationName}"` : 'a client that did not name itself';
  return `${who} (PostgreSQL session ${h.pid}, database user ${h.user}${h.clientAddr ? `, from ${h.clientAddr}` : ''})`;
}

/** The message of a run that gave up waiting for the lock: who holds it, since when, and what to do. */
export function lockMessage(app: string, state: SharedStateMetadata, holders: LockHolder[], waited: string, now = new Date()): string {
  const where = `PostgreSQL schema "${state.schema}", workspace "${state.workspace}"`;
  const holderLines = holders.length
    ? holders.map((h) => `  held by ${describeHolder(h)}, connected since ${h.since.toISOString()} (${ago(h.since, now)}), now ${h.state}`)
    : ['  the holder released it just now: run the command again'];
  const pid = holders[0]?.pid ?? '<pid>';
  return [
    `Error: the state of ${app} is locked by another run (waited ${waited})`,
    '',
    `The shared state of ${app} (${where}) is locked while another run plans or applies it, so two runs never both write.`,
    ...holderLines,
    'What to do:',
    `  - wait for that run to finish, then run this command again (or wait longer: ${LOCK_TIMEOUT_VARIABLE}=10m);`,
    `  - if that run is stuck or gone (its CI job was cancelled, its laptop went to sleep), end its session: the lock ends with it.`,
    `    psql "$${STATE_URL_VARIABLE}" -c 'SELECT pg_terminate_backend(${pid})'`,
    '    Do this only when it is not applying: a run ended mid-apply may have changed accounts without recording them (the next plan adopts them).',
    '  `terraform force-unlock` cannot release this lock: PostgreSQL advisory locks end only with their session.',
  ].join('\n');
}
