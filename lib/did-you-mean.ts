// "Did you mean …?": the known name closest to a mistyped one (edit distance on names compared without
// case, "_" or "-"), used by the construct props check and the org-file messages.

const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

/** Levenshtein distance between two short strings. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/** The known name closest to `name`, when it is close enough to be a likely typo; otherwise undefined. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const n = norm(name);
  let best: { name: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(n, norm(k));
    if (!best || d < best.d) best = { name: k, d };
  }
  if (!best) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(n.length, norm(best.name).length) / 3));
  return best.d <= limit ? best.name : undefined;
}
