// "Did you mean …?": the known name closest to a mistyped one (edit distance on names compared without
// case, "_" or "-"; or the only known name ending with it), used by the construct props check and the org-file messages.

const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

/** Edit distance between two short strings, a swap of two neighbouring letters counting as one edit. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
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
  // `name` for `displayName`: the only known name that ends with the given one.
  const endings = known.filter((k) => n.length >= 3 && norm(k).endsWith(n));
  if (best.d > 0 && endings.length === 1) return endings[0];
  const limit = Math.max(1, Math.floor(Math.max(n.length, norm(best.name).length) / 3));
  return best.d <= limit ? best.name : undefined;
}
