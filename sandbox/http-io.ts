// HTTP plumbing shared by the SCIM, admin and web routes: bounded body reading, JSON parsing with
// SCIM errors, response helpers, query parsing and credential checks (constant-time comparisons).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { invalidSyntax, notFound, payloadTooLarge, type SandboxScimError } from './scim-error';

export const MAX_BODY_BYTES = 1024 * 1024;
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** Reads the request body; rejects with 413 once it exceeds the limit (and stops reading). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(payloadTooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.pause();
        reject(payloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => { if (!done) { done = true; resolve(Buffer.concat(chunks)); } });
    req.on('error', (err) => { if (!done) { done = true; reject(err); } });
    req.on('aborted', () => { if (!done) { done = true; reject(new Error('request aborted by client')); } });
  });
}

/** Parses a JSON body; empty → undefined; malformed → 400 invalidSyntax. */
export function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw invalidSyntax(`Request body is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function send(res: ServerResponse, status: number, body: string | undefined, headers: Record<string, string> = {}, contentType = SCIM_CONTENT_TYPE): void {
  if (res.headersSent || res.destroyed) return;
  const h: Record<string, string | number> = { ...headers };
  if (body !== undefined) {
    h['Content-Type'] = contentType;
    h['Content-Length'] = Buffer.byteLength(body);
  }
  try {
    res.writeHead(status, h);
    res.end(body);
  } catch {
    res.destroy(); // the client went away mid-response: nothing left to tell it
  }
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, typeof value === 'string' ? value : JSON.stringify(value), headers);
}

export function sendError(res: ServerResponse, err: SandboxScimError, extraHeaders: Record<string, string> = {}): void {
  sendJson(res, err.status, err.body(), { ...err.headers, ...extraHeaders });
}

export interface ParsedUrl { pathname: string; query: URLSearchParams; raw: string }

export function parseUrl(raw: string | undefined): ParsedUrl {
  const url = raw ?? '/';
  const q = url.indexOf('?');
  const pathname = q === -1 ? url : url.slice(0, q);
  let query: URLSearchParams;
  try {
    query = new URLSearchParams(q === -1 ? '' : url.slice(q + 1));
  } catch {
    query = new URLSearchParams();
  }
  return { pathname, query, raw: url };
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
export const safeEqual = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/** The bearer token of the request, if any. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(h.trim());
  return m ? m[1].trim() : undefined;
}

/** The Basic credentials of the request, if any. */
export function basicCredentials(req: IncomingMessage): { username: string; password: string } | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Basic\s+(.+)$/i.exec(h.trim());
  if (!m) return undefined;
  const decoded = Buffer.from(m[1].trim(), 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i === -1) return undefined;
  return { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

/** Decodes one path segment; malformed percent-encoding → 404 (no such resource). */
export function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw notFound(`Malformed percent-encoding in path segment '${segment}'`);
  }
}
