// Request log per tenant: method, path, status, duration (never headers or credentials), kept in
// memory (bounded) and optionally appended as JSON lines to a file.
import * as fs from 'node:fs';
import { TENANT_NAMES, type RequestLogEntry, type TenantName } from './types';

const MAX_ENTRIES_PER_TENANT = 200_000;

export class RequestLog {
  private readonly entries = new Map<TenantName, RequestLogEntry[]>(TENANT_NAMES.map((t) => [t, []]));
  private readonly stream: fs.WriteStream | undefined;

  constructor(file?: string) {
    if (file) this.stream = fs.createWriteStream(file, { flags: 'a', mode: 0o600 });
    this.stream?.on('error', () => { /* a broken log file never breaks the server */ });
  }

  add(entry: RequestLogEntry): void {
    const list = this.entries.get(entry.tenant)!;
    list.push(entry);
    if (list.length > MAX_ENTRIES_PER_TENANT) list.splice(0, list.length - MAX_ENTRIES_PER_TENANT);
    this.stream?.write(`${JSON.stringify(entry)}\n`);
  }

  list(tenant: TenantName): RequestLogEntry[] {
    return [...this.entries.get(tenant)!];
  }

  clear(tenant: TenantName): void {
    this.entries.set(tenant, []);
  }

  close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return Promise.resolve();
    return new Promise((resolve) => stream.end(resolve));
  }
}

/** Percent-decodes a request path for readability; falls back to the raw text on malformed escapes. */
export function readablePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
