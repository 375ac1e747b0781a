// Paginated listing (RFC 7644 §3.4.2.4): 1-based startIndex/count until totalResults is reached or a page
// comes back empty (or short when totalResults is absent). Servers cap page size (asked 1000, got 100): the
// client keeps going and, once totalResults is known, fetches the remaining pages a few at a time.
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

/** Fetches every page and returns the raw resources (callers parse them). */
export async function listAll(http: HttpTransport, o: ListOptions): Promise<unknown[]> {
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
  if (first.resources.length === 0) return out;
  if (total === undefined) {
    // No total: keep reading until a short or empty page.
    let size = first.resources.length;
    while (size >= o.pageSize) {
      const p = await page(out.length + 1, o.pageSize);
      if (p.resources.length === 0) break;
      out.push(...p.resources);
      size = p.resources.length;
    }
    return out;
  }
  if (out.length >= total) return out;

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
      pages[i] = (await page(starts[i], o.pageSize)).resources;
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, starts.length) }, worker));
  for (const p of pages) out.push(...p);
  let guard = 0;
  while (out.length < total && guard++ < 10_000) {
    const p = await page(out.length + 1, o.pageSize);
    if (p.resources.length === 0) break;
    out.push(...p.resources);
  }
  return dedupeById(out);
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
