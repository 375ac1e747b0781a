// Test helper: a minimal SCIM HTTP caller over undici (real HTTP to the sandbox), returning status,
// headers and the parsed JSON body. One Agent per caller; close() it in afterAll.
import { Agent, request } from 'undici';

export type Auth = { token: string } | { username: string; password: string } | { header: string } | undefined;

export interface ScimReply { status: number; headers: Record<string, string | string[] | undefined>; body: any; text: string }

export interface ScimCaller {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ScimReply>;
  get(path: string, headers?: Record<string, string>): Promise<ScimReply>;
  post(path: string, body: unknown): Promise<ScimReply>;
  put(path: string, body: unknown): Promise<ScimReply>;
  patch(path: string, body: unknown): Promise<ScimReply>;
  del(path: string): Promise<ScimReply>;
  close(): Promise<void>;
}

export function authHeader(auth: Auth): Record<string, string> {
  if (!auth) return {};
  if ('header' in auth) return { authorization: auth.header };
  if ('token' in auth) return { authorization: `Bearer ${auth.token}` };
  return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
}

export function scimCaller(baseUrl: string, auth: Auth): ScimCaller {
  const agent = new Agent({ keepAliveTimeout: 1000 });
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ScimReply> => {
    const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const res = await request(baseUrl + path, {
      method: method as 'GET',
      dispatcher: agent,
      headers: { ...(payload !== undefined ? { 'content-type': 'application/scim+json' } : {}), ...authHeader(auth), ...headers },
      body: payload,
    });
    const text = await res.body.text();
    let parsed: unknown;
    try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
    return { status: res.statusCode, headers: res.headers, body: parsed, text };
  };
  return {
    call,
    get: (p, h) => call('GET', p, undefined, h),
    post: (p, b) => call('POST', p, b),
    put: (p, b) => call('PUT', p, b),
    patch: (p, b) => call('PATCH', p, b),
    del: (p) => call('DELETE', p),
    close: () => agent.close(),
  };
}

export const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

export const user = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [USER], userName, name: { givenName: 'Given', familyName: 'Family' }, emails: [{ value: userName, type: 'work', primary: true }], active: true, ...extra,
});
export const patchOp = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });
export const q = (filter: string) => encodeURIComponent(filter);

/** Asserts a SCIM error body (schemas, string status, optional scimType). */
export function expectScimError(reply: ScimReply, status: number, scimType?: string): void {
  expect(reply.status).toBe(status);
  expect(reply.body.schemas).toEqual([ERROR]);
  expect(reply.body.status).toBe(String(status));
  expect(typeof reply.body.detail).toBe('string');
  if (scimType) expect(reply.body.scimType).toBe(scimType);
}
