// The benchmark's directory: N deterministic users and G groups whose members are dealt round-robin, in one
// shape shared by the Terraform workspaces and the raw HTTP floor so both do the same work.

export interface BenchUser {
  key: string;
  userName: string;
  externalId: string;
  givenName: string;
  familyName: string;
  displayName: string;
  email: string;
  department: string;
}

export interface BenchGroup {
  key: string;
  displayName: string;
  externalId: string;
  /** Keys of member users. */
  members: string[];
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
  if (groupCount > 0) users.forEach((u, i) => groups[i % groupCount]!.members.push(u.key));
  return { users, groups };
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
