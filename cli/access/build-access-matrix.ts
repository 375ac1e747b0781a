// Joins the accounts of every app into one person × app matrix. Accounts are the same person when synth
// recorded the same person key, or they share an externalId, an email or a userName (case-insensitive).
// State says what is provisioned (active / deactivated); config alone means declared but not provisioned
// yet (pending); synth's exclusions show who is deliberately not provisioned: a leaver whose resource left
// state is shown as left (their account deactivated or deleted), others (out of scope, Default Access) as excluded.
import { AccessCell, AccessMatrix, AccessPerson, AccountRecord } from './access-model';
import type { SynthExclusion } from './account-records';

export interface AppAccounts {
  app: string;
  /** Accounts in state; undefined when state was not read (config-only matrix). */
  state?: AccountRecord[];
  /** Accounts in the synthesized config; undefined when config was not read (state-only matrix). */
  config?: AccountRecord[];
  /** People assigned but not provisioned, from synth (person key and why). */
  excluded?: SynthExclusion[];
}

function cellFor(state: AccountRecord | undefined, config: AccountRecord | undefined, configRead: boolean): AccessCell {
  if (!state) {
    const c = config!;
    return { status: 'pending', userName: c.userName, roles: c.roles, note: c.active ? 'declared, not provisioned yet' : 'declared inactive, not provisioned' };
  }
  const cell: AccessCell = { status: state.active ? 'active' : 'deactivated', userName: state.userName, roles: (config ?? state).roles };
  if (configRead && !config) {
    cell.note = state.active ? `no longer declared: the next apply ${state.onDestroy === 'delete' ? 'deletes' : 'deactivates'} it` : 'no longer declared';
  } else if (config && config.active !== state.active) {
    cell.note = config.active ? 'reactivation pending' : 'deactivation pending';
  }
  return cell;
}

/** Short reason of an exclusion: "left on 2025-01-31 — not provisioned; …" → "left on 2025-01-31". */
const shortDetail = (detail: string): string => detail.split(' — ')[0];

/** A leaver's account went with their resource: deactivated (or deleted, per the app's policy). */
function exclusionCell(e: SynthExclusion): AccessCell {
  if (e.reason !== 'leaver') return { status: 'excluded', userName: '', roles: [], note: shortDetail(e.detail) };
  const account = e.existingAccount === 'deleted' ? 'account deleted' : e.existingAccount === 'none' ? 'no account' : 'account deactivated';
  return { status: 'left', userName: '', roles: [], note: `${shortDetail(e.detail)}; ${account}` };
}

export function buildAccessMatrix(apps: AppAccounts[]): AccessMatrix {
  const records: { rec: AccountRecord; cell: AccessCell }[] = [];
  for (const a of apps) {
    const state = new Map((a.state ?? []).map((r) => [r.address, r]));
    const config = new Map((a.config ?? []).map((r) => [r.address, r]));
    for (const address of new Set([...state.keys(), ...config.keys()])) {
      const s = state.get(address);
      const c = config.get(address);
      if (!s && a.state === undefined) {
        // Config-only matrix: what the configuration declares.
        records.push({ rec: c!, cell: { status: c!.active ? 'active' : 'deactivated', userName: c!.userName, roles: c!.roles, note: 'declared' } });
        continue;
      }
      const rec = s ?? c!;
      records.push({ rec: { ...rec, personKey: rec.personKey ?? c?.personKey }, cell: cellFor(s, c, a.config !== undefined) });
    }
  }

  // Union-find over shared identifiers.
  const parent = records.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owner = new Map<string, number>();
  const idsOf = (rec: AccountRecord) =>
    [
      rec.personKey ? `person:${rec.personKey}` : '',
      rec.externalId ? `ext:${rec.externalId}` : '',
      ...rec.emails.map((e) => `mail:${e.toLowerCase()}`),
      `mail:${rec.userName.toLowerCase()}`,
    ].filter(Boolean);
  records.forEach(({ rec }, i) => {
    for (const id of idsOf(rec)) {
      const j = owner.get(id);
      if (j === undefined) owner.set(id, i);
      else parent[find(i)] = find(j);
    }
  });

  const people = new Map<number, AccessPerson>();
  records.forEach(({ rec, cell }, i) => {
    const root = find(i);
    let p = people.get(root);
    if (!p) {
      p = { key: '', displayName: '', apps: {} };
      people.set(root, p);
    }
    p.key ||= rec.personKey ?? (rec.externalId ?? rec.primaryEmail ?? rec.userName).toLowerCase();
    p.displayName ||= rec.displayName ?? '';
    p.email ||= rec.primaryEmail;
    const existing = p.apps[rec.app];
    // Two accounts of one person in one app: keep the active one.
    if (!existing || (existing.status !== 'active' && cell.status === 'active')) p.apps[rec.app] = cell;
  });

  // People assigned but not provisioned: on their row (found by person key), or a row of their own.
  const byPerson = new Map<string, AccessPerson>();
  for (const [root, p] of people) {
    for (const id of idsOf(records[root].rec)) if (id.startsWith('person:') || id.startsWith('ext:')) byPerson.set(id.replace(/^\w+:/, ''), p);
    byPerson.set(p.key, p);
  }
  for (const a of apps) {
    for (const e of a.excluded ?? []) {
      let p = byPerson.get(e.person);
      if (!p) {
        p = { key: e.person, displayName: e.name ?? '', ...(e.email ? { email: e.email } : {}), apps: {} };
        byPerson.set(e.person, p);
        people.set(-1 - people.size, p);
      }
      p.apps[a.app] ??= exclusionCell(e);
    }
  }

  const list = [...people.values()].map((p) => ({ ...p, displayName: p.displayName || p.email || p.key }));
  list.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.key.localeCompare(b.key));
  return { kind: 'scimform-access-matrix', version: 1, apps: apps.map((a) => a.app).sort(), people: list };
}
