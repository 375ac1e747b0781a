// The benchmark's directory: N deterministic users and G groups holding contiguous blocks of about N / G
// members, in one shape shared by the Terraform workspaces and the raw HTTP floor so both do the same work;
// and its split into self-contained shards (each group lives in the shard holding its members).

import { BenchError } from './errors';

export interface BenchUser {
  key: string;
  userName: string;
  externalId: string;
  givenName: string;
  familyName: string;
  displayName: string;
  email: string;
  department: string;
  /** When set, the floor workspace's terraform_data carries exactly these attributes (see withStateAttributes). */
  stateAttributes?: Record<string, unknown>;
}

export interface BenchGroup {
  key: string;
  displayName: string;
  externalId: string;
  /** Keys of member users. */
  members: string[];
  stateAttributes?: Record<string, unknown>;
}

export interface BenchDirectory {
  users: BenchUser[];
  groups: BenchGroup[];
}

const DEPARTMENTS = ['Engineering', 'Sales', 'Support', 'Finance', 'People', 'Operations'];
const pad = (i: number): string => String(i).padStart(5, '0');

export function benchDirectory(userCount: number, groupCount: number): BenchDirectory {
  const users: BenchUser[] = [];
  for (let i = 0; i < userCount; i++) {
    const given = `Given${pad(i)}`;
    const family = `Family${pad(i)}`;
    users.push({
      key: `u${pad(i)}`,
      userName: `user${pad(i)}@bench.example`,
      externalId: `ext-u${pad(i)}`,
      givenName: given,
      familyName: family,
      displayName: `${given} ${family}`,
      email: `user${pad(i)}@bench.example`,
      department: DEPARTMENTS[i % DEPARTMENTS.length]!,
    });
  }
  const groups: BenchGroup[] = [];
  for (let j = 0; j < groupCount; j++) groups.push({ key: `g${pad(j)}`, displayName: `Bench Group ${pad(j)}`, externalId: `ext-g${pad(j)}`, members: [] });
  // Group j holds users [j·N/G, (j+1)·N/G): every user is in exactly one group, blocks never straddle shards.
  if (groupCount > 0) users.forEach((u, i) => groups[Math.min(groupCount - 1, Math.floor((i * groupCount) / userCount))]!.members.push(u.key));
  return { users, groups };
}

/**
 * Splits the directory into shards of about `shardSize` users, each with the groups whose members it holds.
 * Applying the shards one after another builds the same objects as one apply (see terraform-phases.ts).
 */
export function shardDirectory(dir: BenchDirectory, shardSize: number): BenchDirectory[] {
  if (dir.users.length <= shardSize) return [dir];
  const shards: BenchDirectory[] = [];
  if (dir.groups.length === 0) {
    for (let i = 0; i < dir.users.length; i += shardSize) shards.push({ users: dir.users.slice(i, i + shardSize), groups: [] });
    return shards;
  }
  const byKey = new Map(dir.users.map((u) => [u.key, u]));
  const perGroup = dir.users.length / dir.groups.length;
  const groupsPerShard = Math.max(1, Math.round(shardSize / perGroup));
  for (let j = 0; j < dir.groups.length; j += groupsPerShard) {
    const groups = dir.groups.slice(j, j + groupsPerShard);
    shards.push({ users: groups.flatMap((g) => g.members.map((k) => byKey.get(k)!)), groups });
  }
  return shards;
}

export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** The SCIM body a client POSTs for a bench user (what the provider sends for the workspace's attributes). */
export function scimUserBody(u: BenchUser): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_USER],
    userName: u.userName,
    externalId: u.externalId,
    displayName: u.displayName,
    name: { givenName: u.givenName, familyName: u.familyName },
    emails: [{ value: u.email, type: 'work', primary: true }],
    active: true,
    [ENTERPRISE_USER]: { department: u.department },
  };
}

export function scimGroupBody(g: BenchGroup): Record<string, unknown> {
  return { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: g.displayName, externalId: g.externalId };
}

export function scimAddMembersPatch(memberIds: string[]): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
    Operations: [{ op: 'add', path: 'members', value: memberIds.map((value) => ({ value })) }],
  };
}

/**
 * The directory with each user's and group's attributes as the provider keeps them in `state` (a Terraform
 * state document of the scim workspace): a terraform_data floor built from it handles objects of the same
 * size and shape as scim_user/scim_group, which is what Terraform's own per-resource work scales with.
 */
export function withStateAttributes(dir: BenchDirectory, state: Buffer): BenchDirectory {
  const doc = JSON.parse(state.toString('utf8')) as { resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[] };
  const byAddress = new Map(doc.resources.map((r) => [`${r.type}.${r.name}`, r.instances[0]?.attributes]));
  const attrs = (address: string): Record<string, unknown> => {
    const a = byAddress.get(address);
    if (!a) throw new BenchError('BENCH_COMMAND_FAILED', `bench: ${address} is missing from the scim state (did the scim apply run?)`);
    return a;
  };
  return {
    users: dir.users.map((u) => ({ ...u, stateAttributes: attrs(`scim_user.${u.key}`) })),
    groups: dir.groups.map((g) => ({ ...g, stateAttributes: attrs(`scim_group.${g.key}`) })),
  };
}
