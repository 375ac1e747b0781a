// Managers of `scim_roster` entries: a person key (`manager`) resolves to the SCIM id of that entry's account, a
// `manager_user_name` to the id of the account with that user name in the tenant listing; and, at read, the
// manager the app has is written back as a key (or user name) so that a change made in the app shows in the plan.
import type { ObjectValue } from '../plugin/provider-definition';
import type { ScimClient, ScimUser } from '../client';
import { managesManager, serverManagerId, str, type AccountFacts } from './roster-entry';

/** Where manager references are resolved. */
export class ManagerDirectory {
  private byId?: Map<string, string>;

  constructor(
    /** The roster's keys now (entries of the state or of the plan). */
    private readonly keys: ReadonlySet<string>,
    /** Accounts known so far, by key (grows during apply). */
    private readonly accounts: Record<string, AccountFacts>,
    private readonly client: ScimClient,
  ) {}

  isKey(k: string): boolean {
    return this.keys.has(k);
  }

  keyOfId(id: string): string | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (const [k, a] of Object.entries(this.accounts)) this.byId.set(a.id, k);
    }
    return this.byId.get(id);
  }

  /** `fresh` asks the server, bypassing the read cache (an account created since the listing). */
  async idOfUserName(userName: string, fresh = false): Promise<string | undefined> {
    return (await (fresh ? this.client.findUserFresh({ userName }) : this.client.findUser({ userName })))?.id;
  }

  async userNameOfId(id: string): Promise<string | undefined> {
    return (await this.client.getUser(id))?.userName;
  }

  /**
   * The manager id an entry declares: `pending` when it names an entry (or user name) whose account does not
   * exist yet. A `manager` that is not a key of the roster is a SCIM id recorded by a read (the app's manager
   * is outside the roster).
   */
  async resolve(entry: ObjectValue, opts: { fresh?: boolean } = {}): Promise<{ id: string | null; pending: boolean }> {
    const key = str(entry.manager);
    if (key !== undefined) {
      if (!this.keys.has(key)) return { id: key, pending: false };
      const id = this.accounts[key]?.id;
      return id ? { id, pending: false } : { id: null, pending: true };
    }
    const userName = str(entry.manager_user_name);
    if (userName !== undefined) {
      const id = await this.idOfUserName(userName, opts.fresh);
      return id ? { id, pending: false } : { id: null, pending: true };
    }
    return { id: null, pending: false };
  }

  /** The entry with its manager reference as the app has it now (unchanged when the app agrees). */
  async readManager(entry: ObjectValue, remote: ScimUser): Promise<ObjectValue> {
    if (!managesManager(entry)) return entry;
    const serverId = serverManagerId(remote);
    const want = await this.resolve(entry);
    if ((want.id ?? null) === serverId) return entry;
    if (str(entry.manager) !== undefined) return { ...entry, manager: serverId === null ? null : (this.keyOfId(serverId) ?? serverId) };
    return { ...entry, manager_user_name: serverId === null ? null : ((await this.userNameOfId(serverId)) ?? null) };
  }
}
