// From what the apps hold to the org files: people (matched across apps), their status (a person inactive
// everywhere is a leaver, inactive somewhere an inactive assignment), assignments with the app's roles,
// teams from groups (one team when the apps' groups of that name agree, else `<app>-<group>`), the SCIM id
// of every account and group (Terraform import blocks), and per-person overrides — with the findings for
// the report. A pure function: no I/O.
import { Construct } from 'constructs';
import { DEFAULT_ACCESS, Directory, type PersonSpec, type ProfileName, type TeamSpec } from '../../lib';
import { accountOverrides } from './account-overrides';
import type { AccountEntry, AppEntry, AppSnapshot, ImportedOrg, ImportFindings } from './import-model';
import { managerKey, matchHumans, personSpec } from './match-people';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'group';
const rolesOf = (u: { roles?: { value?: string }[] }) =>
  [...new Set((u.roles ?? []).map((r) => r.value?.trim()).filter((r): r is string => !!r))].sort();

export function buildOrg(apps: AppSnapshot[], today: string): ImportedOrg {
  const findings: ImportFindings = { perApp: [], matched: [], disagreements: [], leavers: [], inactive: [], keptInactive: [], teams: [], skipped: [], notes: [] };
  const humans = matchHumans(apps);

  // People files entries; humans without a valid entry are left out (their accounts stay unmanaged).
  const specs = new Map<string, PersonSpec>();
  for (const h of humans) {
    const r = personSpec(h, apps);
    if ('problem' in r) {
      for (const [app, u] of h.accounts) findings.skipped.push({ app, what: `account ${u.userName}`, reason: r.problem });
      continue;
    }
    specs.set(h.key, r.spec);
    if (r.derived.length) findings.notes.push(`${h.key}: ${r.derived.join(' and ')} derived from the display name or email (no app holds them)`);
    if (h.accounts.size > 1) {
      findings.matched.push({ person: h.key, apps: [...h.accounts.keys()], userNames: [...new Set([...h.accounts.values()].map((u) => u.userName))] });
    }
  }
  const imported = humans.filter((h) => specs.has(h.key));
  const idToKey = new Map<string, Map<string, string>>(apps.map((a) => [a.key, new Map()]));
  for (const h of imported) for (const [app, u] of h.accounts) if (u.id) idToKey.get(app)!.set(u.id, h.key);
  const keyOfId = (app: string, id: string) => idToKey.get(app)?.get(id);

  // Groups → member keys; a group with a member that is not an imported account cannot be expressed.
  const groups: { app: AppSnapshot; id?: string; displayName: string; externalId?: string; members: string[] }[] = [];
  const onlyDefaultAccess = (u: { roles?: { value?: string }[] }) => {
    const roles = rolesOf(u);
    return roles.length > 0 && roles.every((r) => r.toLowerCase() === DEFAULT_ACCESS.toLowerCase());
  };
  for (const app of apps) {
    const unprovisioned = new Set(app.users.filter(onlyDefaultAccess).map((u) => u.id));
    for (const g of app.groups) {
      const members = (g.members ?? []).map((m) => (unprovisioned.has(m.value) ? undefined : keyOfId(app.key, m.value)));
      if (members.some((m) => m === undefined)) {
        findings.skipped.push({
          app: app.key,
          what: `group "${g.displayName}"`,
          reason: `a member is not an imported, provisioned user account (a nested group, a skipped account or a "${DEFAULT_ACCESS}" one); the group is left unmanaged`,
        });
        continue;
      }
      groups.push({ app, id: g.id, displayName: g.displayName, externalId: g.externalId, members: [...new Set(members as string[])].sort() });
    }
  }
  const groupMembers = new Set(groups.flatMap((g) => g.members));

  // Status: a leaver only when inactive everywhere, in no group, and no app could hold them as pending.
  const isLeaver = new Set<string>();
  for (const h of imported) {
    const accounts = [...h.accounts.entries()];
    if (accounts.some(([, u]) => u.active !== false)) continue;
    const pendingApp = accounts.map(([a]) => apps.find((x) => x.key === a)!).find((a) => a.canBePending);
    if (pendingApp) findings.keptInactive.push({ person: h.key, reason: `${pendingApp.title} cannot tell a pending account from a deactivated one` });
    else if (groupMembers.has(h.key)) findings.keptInactive.push({ person: h.key, reason: 'still a member of a group' });
    else {
      isLeaver.add(h.key);
      findings.leavers.push(h.key);
      Object.assign(specs.get(h.key)!, { status: 'leaver', leaveDate: today });
    }
  }
  for (const h of imported) {
    const m = managerKey(h, apps, keyOfId);
    if (m && specs.has(m) && !managesCycle(h.key, m, specs)) specs.get(h.key)!.manager = m;
  }

  // Teams: same displayName in several apps with the same members → one team; else one per app.
  const teams: TeamSpec[] = [];
  const teamOf = new Map<(typeof groups)[number], string>();
  const takenTeams = new Set<string>();
  const byName = new Map<string, typeof groups>();
  for (const g of groups) byName.set(g.displayName, [...(byName.get(g.displayName) ?? []), g]);
  for (const [displayName, same] of byName) {
    const agree = same.every((g) => g.members.join() === same[0].members.join()) && new Set(same.map((g) => g.app.key)).size === same.length;
    const parts = agree ? [same] : same.map((g) => [g]);
    for (const part of parts) {
      let key = agree ? slug(displayName) : `${part[0].app.key}-${slug(displayName)}`;
      for (let i = 2; takenTeams.has(key); i++) key = `${agree ? slug(displayName) : `${part[0].app.key}-${slug(displayName)}`}-${i}`;
      takenTeams.add(key);
      const ext = part[0].externalId;
      teams.push({ key, displayName, ...(ext && part.every((g) => g.externalId === ext) ? { externalId: ext } : {}), ...(part[0].members.length ? { members: part[0].members } : {}) });
      part.forEach((g) => teamOf.set(g, key));
      findings.teams.push({ team: key, displayName, apps: part.map((g) => g.app.key), split: !agree });
    }
  }

  // A Directory of the imported people, to run the apps' mappings exactly as synth will.
  const directory = new Directory(new Construct(undefined as unknown as Construct, ''), 'Import', { people: [...specs.values()], teams, asOf: new Date(`${today}T00:00:00Z`) });

  const entries: AppEntry[] = [];
  for (const app of apps) {
    const accounts: Record<string, AccountEntry> = {};
    const assign: AppEntry['assign'] = [];
    const mine = imported.filter((h) => h.accounts.has(app.key)).sort((a, b) => a.key.localeCompare(b.key));
    const provisioned = new Set(mine.filter((h) => !isLeaver.has(h.key)).map((h) => h.key));
    let inactive = 0;
    for (const h of mine) {
      const u = h.accounts.get(app.key)!;
      const roles = rolesOf(u);
      if (roles.length) roles.forEach((role) => assign.push({ person: h.key, role }));
      else assign.push({ person: h.key });
      if (roles.some((r) => r.toLowerCase() === DEFAULT_ACCESS.toLowerCase())) {
        findings.notes.push(`${h.key} holds the "${DEFAULT_ACCESS}" role in ${app.title}, which is not provisioned: their account there is left unmanaged`);
      }
      if (u.active === false) inactive++;
      if (isLeaver.has(h.key)) continue;
      const entry: AccountEntry = { ...(u.id ? { id: u.id } : {}) };
      if (u.active === false) {
        entry.active = false;
        findings.inactive.push({ person: h.key, app: app.key, maybePending: app.canBePending });
      }
      const attributes = accountOverrides(directory.person(h.key)!, u, {
        app: app.title,
        profile: app.profile as ProfileName,
        directory,
        roles: roles.filter((r) => r.toLowerCase() !== DEFAULT_ACCESS.toLowerCase()),
        provisioned,
        keyOfId: (id) => keyOfId(app.key, id),
      });
      if (Object.keys(attributes).length) {
        entry.attributes = attributes;
        const person = directory.person(h.key)!;
        for (const [attribute, value] of Object.entries(attributes)) {
          if (value !== null) findings.disagreements.push({ person: h.key, app: app.key, attribute, person_value: personValue(person, attribute), app_value: value });
        }
      }
      accounts[h.key] = entry;
    }
    const mineGroups = groups.filter((g) => g.app === app);
    const groupEntries: NonNullable<AppEntry['groups']> = {};
    for (const g of mineGroups) {
      const team = teams.find((t) => t.key === teamOf.get(g))!;
      const mapped = team.externalId ?? team.key;
      groupEntries[team.key] = { ...(g.id ? { id: g.id } : {}), ...(g.externalId !== mapped ? { externalId: g.externalId ?? null } : {}) };
    }
    entries.push({
      key: app.key,
      title: app.title,
      profile: app.profile,
      target: app.target ?? { envPrefix: `SCIMFORM_${app.key.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`, sandboxTenant: 'generic' },
      ...(app.onDestroy ? { onDestroy: app.onDestroy } : {}),
      ...(mineGroups.length ? { pushGroups: mineGroups.map((g) => teamOf.get(g)!) } : {}),
      assign,
      accounts,
      ...(mineGroups.length ? { groups: groupEntries } : {}),
    });
    if (!app.target) findings.notes.push(`${app.title}: not declared in apps.yaml; its target was named ${entries.at(-1)!.target.envPrefix} — set ${entries.at(-1)!.target.envPrefix}_ENDPOINT and its credentials`);
    findings.perApp.push({ key: app.key, title: app.title, users: app.users.length, inactive, groups: app.groups.length });
  }
  return { people: [...specs.values()].sort((a, b) => a.key.localeCompare(b.key)), teams, apps: entries, findings };
}

function managesCycle(key: string, manager: string, specs: Map<string, PersonSpec>): boolean {
  const seen = new Set([key]);
  for (let m: string | undefined = manager; m; m = specs.get(m)?.manager) {
    if (seen.has(m)) return true;
    seen.add(m);
  }
  return false;
}

function personValue(p: import('../../lib').Person, attribute: string): unknown {
  switch (attribute) {
    case 'emails':
      return p.emails;
    case 'manager':
      return p.managerKey ?? null;
    case 'formattedName':
      return null;
    default:
      return p.get(attribute) ?? null;
  }
}
