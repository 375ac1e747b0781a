// Plain-words descriptions of file-system errors (ENOTDIR, EACCES, …) for the sandbox's one-line
// start-up errors, and the backup copy kept of a data file that cannot be loaded.
import * as fs from 'node:fs';
import * as path from 'node:path';

const PHRASES: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a directory',
  EEXIST: 'it exists and is not a directory',
  EISDIR: 'it is a directory, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  ENOENT: 'no such file or directory',
};

/** "permission denied (EACCES)" for a Node.js fs error; the message of anything else, on one line. */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && PHRASES[e.code]) return `${PHRASES[e.code]} (${e.code})`;
  return oneLine(err instanceof Error ? err.message : String(err));
}

export const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/**
 * Copies a file that cannot be loaded to `<file>.corrupt-<UTC time>` next to it, so that no later
 * step (or user) can lose it. An identical earlier copy is reused instead of adding another.
 * Returns the backup path, or throws (fs error) when no copy could be made.
 */
export function backupCorruptFile(file: string, now = new Date()): string {
  const content = fs.readFileSync(file);
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.corrupt-`;
  for (const name of fs.readdirSync(dir).filter((n) => n.startsWith(prefix)).sort()) {
    const existing = path.join(dir, name);
    try {
      if (fs.statSync(existing).size === content.length && fs.readFileSync(existing).equals(content)) return existing;
    } catch {
      // unreadable earlier copy: make a new one
    }
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let backup = path.join(dir, `${prefix}${stamp}`);
  for (let n = 2; fs.existsSync(backup); n++) backup = path.join(dir, `${prefix}${stamp}-${n}`);
  fs.writeFileSync(backup, content, { mode: 0o600, flag: 'wx' });
  return backup;
}
