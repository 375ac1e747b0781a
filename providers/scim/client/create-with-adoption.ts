// POST with the no-duplicate rule: absence is confirmed by a filter query first (a listing or a plan may be
// older than the server's state), so an existing resource is adopted, never created twice; 409 → look up and
// adopt; a failure after which the POST may or may not have created the resource → look up, adopt if it was
// created, otherwise POST again (bounded by maxRetries, with backoff). Never a blind retry.
import type { ClientContext } from './client-context';
import { ScimClientError, isScimClientError } from './errors';
import type { HttpResponse } from './http-transport';
import { backoffDelay, neverSent } from './retry-policy';
import { scanForConflict } from './server-reads';
import { sleep } from './sleep';

/** A failure after which a POST may or may not have created the resource. */
function ambiguous(e: unknown): boolean {
  if (!(e instanceof ScimClientError)) return false;
  if (e.code === 'SCIM_UNREACHABLE' || e.code === 'SCIM_TIMEOUT') return true;
  return e.status !== undefined && e.status >= 500 && e.status !== 501;
}

export interface PostRequest<T> {
  collection: '/Users' | '/Groups';
  body: unknown;
  action: string;
  /** The filter queries that find the resource on the server (never the read cache). */
  lookup: () => Promise<T | undefined>;
  /** For log lines and errors, e.g. `user alice@example.com`. */
  what: string;
  /** The caller has just run `lookup` itself and found nothing: the first one is skipped. */
  confirmedAbsent?: boolean;
}

export type PostOutcome<T> = { adopted: true; value: T } | { adopted: false; response: HttpResponse };

export async function postWithAdoption<T extends { id?: string }>(c: ClientContext, p: PostRequest<T>): Promise<PostOutcome<T>> {
  const { collection, body, action, lookup, what } = p;
  const adoptAction = `adopt-${action.replace(/^create-/, '')}`;
  const maxAttempts = c.maxRetries + 1;
  const before = p.confirmedAbsent ? undefined : await lookup();
  if (before?.id) {
    c.http.note({ method: 'GET', path: collection, durationMs: 0, action: adoptAction, detail: `${what} already exists (id ${before.id}); adopted instead of POST` });
    return { adopted: true, value: before };
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return { adopted: false, response: await c.http.request({ method: 'POST', path: collection, body, action, idempotent: false }) };
    } catch (e) {
      if (!(e instanceof ScimClientError)) throw e;
      if (e.code === 'SCIM_CONFLICT') {
        const existing = (await lookup()) ?? ((await scanForConflict(c, collection, body)) as T | undefined);
        if (existing?.id) {
          c.http.note({ method: 'POST', path: collection, status: 409, durationMs: 0, action: adoptAction, detail: `adopted existing ${what} (id ${existing.id})` });
          return { adopted: true, value: existing };
        }
        throw new ScimClientError('SCIM_CONFLICT', `${e.message} — and no existing ${what} could be found to adopt`, e);
      }
      if (!ambiguous(e)) throw e;
      if (!neverSent(e.cause)) {
        let existing: T | undefined;
        try {
          existing = await lookup();
        } catch (lookupError) {
          if (isScimClientError(lookupError, 'SCIM_ABORTED')) throw lookupError;
          throw e;
        }
        if (existing?.id) {
          c.http.note({ method: 'POST', path: collection, durationMs: 0, action: adoptAction, detail: `POST outcome unknown (${e.code}); found ${what} (id ${existing.id}) and adopted it` });
          return { adopted: true, value: existing };
        }
      }
      if (attempt >= maxAttempts) throw e;
      await sleep(backoffDelay(attempt, c.retryBaseDelayMs), c.signal);
    }
  }
}
