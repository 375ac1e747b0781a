// Test helper: the diagnostics (errors and warnings) of one `terraform … -no-color` run, one block each, so
// that a suite can plan several independent failing cases in ONE terraform command and still assert each
// case on its own diagnostic (the block that names its resource, data source or provider address).
import type { TfResult } from './terraform';

/** Each "Error: …" / "Warning: …" block of the run's output (box characters removed, whitespace collapsed). */
export function diagnosticBlocks(r: TfResult): string[] {
  const text = `${r.stdout}\n${r.stderr}`;
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^[│╷╵]\s?/, '');
    if (/^(Error|Warning): /.test(line)) {
      if (current) blocks.push(current.join(' '));
      current = [line];
    } else if (current && (raw.startsWith('╵') || /^(Plan|Apply complete|No changes)/.test(line))) {
      blocks.push(current.join(' '));
      current = undefined;
    } else if (current) {
      current.push(line);
    }
  }
  if (current) blocks.push(current.join(' '));
  return blocks.map((b) => b.replace(/\s+/g, ' ').trim());
}

/**
 * The diagnostic blocks that name `address` (`with <address>,`: a resource, `data.<type>.<name>`, or a
 * provider configuration such as `provider["registry.terraform.io/scimform/scim"].bad`), joined by " | ".
 * Throws when there is none, listing the blocks there are, so a failing case says what the run printed.
 */
export function diagnosticsOf(r: TfResult, address: string): string {
  const all = diagnosticBlocks(r);
  const mine = all.filter((b) => b.includes(`with ${address},`));
  if (mine.length === 0) throw new Error(`no diagnostic names ${address}; the run printed:\n${all.join('\n') || `${r.stdout}\n${r.stderr}`}`);
  return mine.join(' | ');
}
