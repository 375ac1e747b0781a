// The repo's own source files and their imports, for the structure checks of `npm test`
// (test/repo/structure.test.ts): which files import which, the import circles, and the line counts.
// Type-only imports count as imports: a reader following a value meets them just the same, and a type
// circle is a design circle (two concepts that cannot be read one after the other).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folders whose .ts files are product source (tests excluded; lib/generated is generated). */
export const SOURCE_ROOTS = ['providers', 'sandbox', 'lib', 'cli', 'bench', 'scripts', 'main.ts'];
const SKIP = new Set(['node_modules', 'generated', 'fixtures']);

export function sourceFiles(repoRoot: string, roots: string[] = SOURCE_ROOTS): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isFile()) {
      if (/\.(ts|js)$/.test(p) && !p.endsWith('.d.ts')) out.push(path.relative(repoRoot, p));
      return;
    }
    for (const e of fs.readdirSync(p)) if (!SKIP.has(e)) walk(path.join(p, e));
  };
  for (const r of roots) walk(path.join(repoRoot, r));
  return out.sort();
}

/** Module specifiers a file imports: `import … from`, `export … from`, `import('…')`, `require('…')`. */
export function importSpecifiers(text: string): string[] {
  const out: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const patterns = [
    /^\s*(?:import|export)\s+(?:type\s+)?[\w*{}\s,$]*?\s*from\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) out.push(m[1]!);
  return out;
}

function resolveRelative(repoRoot: string, from: string, spec: string): string | undefined {
  const base = path.resolve(repoRoot, path.dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.js`, path.join(base, 'index.ts')]) {
    if (fs.statSync(c, { throwIfNoEntry: false })?.isFile()) return path.relative(repoRoot, c);
  }
  return undefined;
}

/** file → the repo files it imports (relative specifiers only). */
export function importGraph(repoRoot: string, files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const deps = importSpecifiers(fs.readFileSync(path.join(repoRoot, f), 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => resolveRelative(repoRoot, f, s))
      .filter((d): d is string => d !== undefined && d !== f);
    graph.set(f, [...new Set(deps)]);
  }
  return graph;
}

/** Every import circle (strongly connected component of more than one file), each as a closed path. */
export function importCircles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) components.push(c);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!idx.has(v)) visit(v);
  // Show each component as one concrete loop: a → b → … → a.
  return components.map((c) => {
    const inC = new Set(c);
    const start = [...c].sort()[0]!;
    const pathTo = (from: string, seen: Set<string>): string[] | undefined => {
      for (const w of graph.get(from) ?? []) {
        if (w === start) return [from, start];
        if (inC.has(w) && !seen.has(w)) {
          seen.add(w);
          const rest = pathTo(w, seen);
          if (rest) return [from, ...rest];
        }
      }
      return undefined;
    };
    return pathTo(start, new Set([start])) ?? c;
  });
}

/** Files over `limit` lines whose header comment (the leading comment lines) gives no reason with "over 400 lines:". */
export function oversizedFiles(repoRoot: string, files: string[], limit = 400): { file: string; lines: number }[] {
  const out: { file: string; lines: number }[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(repoRoot, f), 'utf8');
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (lines <= limit) continue;
    const header = text.split('\n').filter((l, i, all) => all.slice(0, i + 1).every((x) => /^\s*(\/\/|#!|'use strict'|$)/.test(x))).join('\n');
    if (!/over \d+ lines:/i.test(header)) out.push({ file: f, lines });
  }
  return out;
}
