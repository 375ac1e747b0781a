// A Logger that writes hclog JSON lines to stderr. go-plugin parses these lines in Terraform, so
// `TF_LOG=debug` (or TF_LOG_PROVIDER) shows them with the right level; stdout is never used.
import type { Logger } from './provider-definition';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

export interface HclogOptions {
  /** `@module` of every line, e.g. `provider.terraform-provider-scim`. */
  module?: string;
  level?: LogLevel;
  write?: (line: string) => void;
}

/** The level Terraform asked for: TF_LOG_PROVIDER, else TF_LOG; info when neither is set. */
export function levelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const raw = (env.TF_LOG_PROVIDER || env.TF_LOG || '').toLowerCase();
  if (raw === 'json') return 'trace';
  return raw in RANK ? (raw as LogLevel) : 'info';
}

/** hclog timestamps carry microseconds: 2006-01-02T15:04:05.000000Z07:00. */
export function hclogTimestamp(d: Date = new Date()): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function createHclogLogger(options: HclogOptions = {}): Logger {
  const threshold = RANK[options.level ?? levelFromEnv()];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (RANK[level] < threshold) return;
    const entry: Record<string, unknown> = { '@level': level, '@message': msg, '@timestamp': hclogTimestamp() };
    if (options.module) entry['@module'] = options.module;
    if (fields) {
      for (const [k, v] of Object.entries(fields)) if (!k.startsWith('@')) entry[k] = v instanceof Error ? v.message : v;
    }
    let line: string;
    try {
      line = JSON.stringify(entry);
    } catch {
      line = JSON.stringify({ '@level': level, '@message': msg, '@timestamp': entry['@timestamp'] });
    }
    write(line + '\n');
  };
  return {
    trace: (m, f) => emit('trace', m, f),
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}
