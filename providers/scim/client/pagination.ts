// Paginated listing (RFC 7644 §3.4.2.4): 1-based startIndex/count until totalResults is reached or a page
// comes back empty (or short when totalResults is absent). Servers cap page size (asked 1000, got 100): the
// client keeps going and, once totalResults is known, fetches the remaining pages a few at a time.
// Offset paging over a collection that changes meanwhile can skip a resource (one deleted before its page
// shifts the next one into a page already read): a listing whose totalResults changed between pages or that
// returned an id twice is read again (up to LIST_ATTEMPTS times in all);
// one that never holds still is returned with consistent = false, so callers confirm absence by filter.
import { invalidResponseError } from './errors';
import type { HttpTransport } from './http-transport';
import { parseListResponse } from './model';
import { queryString } from './filter';

export interface ListOptions {
  collection: '/Users' | '/Groups';
  filter?: string;
  attributes?: string[];
  excludedAttributes?: string[];
  pageSize: number;
  /** Pages fetched concurrently once the total is known. */
  concurrency: number;
  action: string;
}

/** Readings of a listing before it is returned as inconsistent. */
export const LIST_ATTEMPTS = 3;

export interface Listing {
  resources: unknown[];
  /** False when the collection kept changing while it was paged: a resource may be missing. */
  consistent: boolean;
  /** Why the last reading was not consistent (for the provisioning log). */
  why?: string;
}

/** Fetches every page (again while the collection moves under the paging) and returns the raw resources. */
export async function listAll(http: HttpTransport, o: ListOptions): Promise<Listing> {
  let last: Listing = { resources: [], consistent: false };
  for (let attempt = 1; attempt <= LIST_ATTEMPTS; attempt++) {
    last = await listOnce(http, o);
    if (last.consistent) return last;
    http.note({ method: 'GET', path: o.collection, durationMs: 0, action: o.action, attempt, detail: `listing changed while it was paged (${last.why}); ${attempt < LIST_ATTEMPTS ? 'reading it again' : 'absent resources will be confirmed by filter'}` });
  }
  return last;
}

async function listOnce(http: HttpTransport, o: ListOptions): Promise<Listing> {
  const page = async (startIndex: number, count: number) => {
    const path =
      o.collection +
      queryString({
        filter: o.filter,
        attributes: o.attributes?.join(','),
        excludedAttributes: o.excludedAttributes?.join(','),
        startIndex,
        count,
      });
    const res = await http.request({ method: 'GET', path, action: o.action });
    try {
      return parseListResponse(res.body);
    } catch (e) {
      throw invalidResponseError('GET', `${http.endpoint}${path}`, (e as Error).message);
    }
  };

  const first = await page(1, o.pageSize);
  const out: unknown[] = [...first.resources];
  const total = first.totalResults;
  const totals = new Set<number>();
  if (total !== undefined) totals.add(total);
  if (first.resources.length === 0) return { resources: out, consistent: true };
  if (total === undefined) {
    // No total: keep reading until a short or empty page.
    let size = first.resources.length;
    while (size >= o.pageSize) {
      const p = await page(out.length + 1, o.pageSize);
      if (p.resources.length === 0) break;
      out.push(...p.resources);
      size = p.resources.length;
    }
    return checked(out, totals);
  }
  if (out.length >= total) return checked(out, totals);

  // The server told us the total and its effective page size: plan the remaining pages and fetch them a
  // few at a time, then continue one by one if the data moved under us.
  const step = first.resources.length;
  const starts: number[] = [];
  for (let s = 1 + step; s <= total; s += step) starts.push(s);
  const pages: unknown[][] = new Array(starts.length);
  let next = 0;
  const worker = async () => {
    while (next < starts.length) {
      const i = next++;
      const p = await page(starts[i], o.pageSize);
      if (p.totalResults !== undefined) totals.add(p.totalResults);
      pages[i] = p.resources;
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, starts.length) }, worker));
  for (const p of pages) out.push(...p);
  let guard = 0;
  while (out.length < total && guard++ < 10_000) {
    const p = await page(out.length + 1, o.pageSize);
    if (p.totalResults !== undefined) totals.add(p.totalResults);
    if (p.resources.length === 0) break;
    out.push(...p.resources);
  }
  return checked(out, totals);
}

/** The listing without repeated ids, and whether it can be trusted to be complete. */
function checked(items: unknown[], totals: Set<number>): Listing {
  const resources = dedupeById(items);
  if (totals.size > 1) return { resources, consistent: false, why: `totalResults went from ${[...totals].join(' to ')}` };
  if (resources.length < items.length) return { resources, consistent: false, why: `${items.length - resources.length} resource(s) came back twice` };
  return { resources, consistent: true };
}

/** Drops repeated resources (same id) that a moving listing may return twice. */
function dedupeById(items: unknown[]): unknown[] {
  const seen = new Set<string>();
  return items.filter((r) => {
    const id = r && typeof r === 'object' ? (r as Record<string, unknown>).id : undefined;
    if (typeof id !== 'string') return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
