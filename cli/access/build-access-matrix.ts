// Joins the accounts of every app into one person × app matrix. Accounts are the same person when they
// share an externalId, an email or a userName (case-insensitive); state says what is provisioned
// (active / deactivated), config alone means declared but not provisioned yet (pending).
import { AccessCell, AccessMatrix, AccessPerson, AccountRecord } from './access-model';

export interface AppAccounts {
  app: string;
  /** Accounts in state; undefined when state was not read (config-only matrix). */
  state?: AccountRecord[];
  /** Accounts in the synthesized config; undefined when config was not read (state-only matrix). */
  config?: AccountRecord[];
}

function cellFor(state: AccountRecord | undefined, config: AccountRecord | undefined, configRead: boolean): AccessCell {
  if (!state) {
    const c = config!;
    return { status: 'pending', userName: c.userName, roles: c.roles, note: c.active ? 'declared, not provisioned yet' : 'declared inactive, not provisioned' };
  }
  const cell: AccessCell = { status: state.active ? 'active' : 'deactivated', userName: state.userName, roles: (config ?? state).roles };
  if (configRead && !config) cell.note = 'no longer declared: the next apply removes it';
  else if (config && config.active !== state.active) cell.note = config.active ? 'reactivation pending' : 'deactivation pending';
  return cell;
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
      records.push({ rec: s ?? c!, cell: cellFor(s, c, a.config !== undefined) });
    }
  }

  // Union-find over shared identifiers.
  const parent = records.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owner = new Map<string, number>();
  records.forEach(({ rec }, i) => {
    const ids = [
      rec.externalId ? `ext:${rec.externalId}` : '',
      ...rec.emails.map((e) => `mail:${e.toLowerCase()}`),
      `mail:${rec.userName.toLowerCase()}`,
    ].filter(Boolean);
    for (const id of ids) {
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
    p.key ||= (rec.externalId ?? rec.primaryEmail ?? rec.userName).toLowerCase();
    p.displayName ||= rec.displayName ?? '';
    p.email ||= rec.primaryEmail;
    const existing = p.apps[rec.app];
    // Two accounts of one person in one app: keep the active one, note the other.
    if (!existing || (existing.status !== 'active' && cell.status === 'active')) p.apps[rec.app] = cell;
  });
  const list = [...people.values()].map((p) => ({ ...p, displayName: p.displayName || p.email || p.key }));
  list.sort((a, b) => a.displayName.localeCompare(b.displayName) || a.key.localeCompare(b.key));
  return { kind: 'scimform-access-matrix', version: 1, apps: apps.map((a) => a.app).sort(), people: list };
}
