// The provisioning log: one JSON line per SCIM call attempt (time, endpoint, method, path, status,
// durationMs, action, attempt, error) appended to a file and/or handed to a callback. It never contains a
// token, password or Authorization header: URLs are stripped of userinfo and credential-like parameters.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalidConfigError, redactUrl } from './errors';

export interface ProvisioningLogLine {
  time: string;
  endpoint: string;
  method: string;
  path: string;
  status?: number;
  durationMs: number;
  action?: string;
  attempt?: number;
  error?: string;
  /** Free text for decisions that are not HTTP attempts (e.g. an adoption). */
  detail?: string;
  /** Progress of a bulk apply (action `roster-progress`): items finished (done includes failed) of total. */
  done?: number;
  total?: number;
  failed?: number;
}

/** Redacts a relative path+query the same way as a full URL. */
export function redactPath(pathAndQuery: string): string {
  const r = redactUrl(`http://x${pathAndQuery.startsWith('/') ? '' : '/'}${pathAndQuery}`);
  return r.startsWith('http://x') ? r.slice('http://x'.length) : pathAndQuery;
}

export class ProvisioningLog {
  private fd: number | undefined;
  private readonly endpoint: string;

  constructor(endpoint: string, file?: string, private readonly onLog?: (line: ProvisioningLogLine) => void, private readonly secrets: string[] = []) {
    this.endpoint = redactUrl(endpoint);
    if (file) {
      try {
        fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
        this.fd = fs.openSync(file, 'a');
      } catch (e) {
        throw invalidConfigError(`cannot open the provisioning log file ${file}: ${(e as Error).message} (check log_file)`);
      }
    }
  }

  get enabled(): boolean {
    return this.fd !== undefined || this.onLog !== undefined;
  }

  /** Removes any configured secret that slipped into free text (e.g. a server echoing a header in an error). */
  private scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) if (s.length >= 4) out = out.split(s).join('[REDACTED]');
    return out;
  }

  write(entry: Omit<ProvisioningLogLine, 'time' | 'endpoint'>): void {
    if (!this.enabled) return;
    const line: ProvisioningLogLine = { time: new Date().toISOString(), endpoint: this.endpoint, ...entry, path: this.scrub(redactPath(entry.path)) };
    if (line.error !== undefined) line.error = this.scrub(line.error);
    if (line.detail !== undefined) line.detail = this.scrub(line.detail);
    if (this.fd !== undefined) fs.writeSync(this.fd, JSON.stringify(line) + '\n');
    if (this.onLog) {
      try {
        this.onLog(line);
      } catch {
        // a failing log callback must not break provisioning
      }
    }
  }

  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
