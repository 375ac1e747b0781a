// Loads the directory from org files (`people.yaml` and `teams.yaml`, or `.yml`/`.json`): parses them,
// validates every entry and reports each problem as `org/people.yaml: people[3].email: invalid email (line 14)`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { Construct } from 'constructs';
import { Directory, type DirectoryEntry } from './directory';
import { DirectoryError } from './errors';
import { explainFileIssue } from './org-hints';
import { peopleFileSchema, teamsFileSchema } from './org-schema';
import type { Person, Team } from './org-entities';
import { checkOptions } from './props-check';

export interface LoadDirectoryOptions {
  /** Folder holding `people.(yaml|yml|json)` and optionally `teams.(yaml|yml|json)`. */
  orgDir?: string;
  /** Explicit files (override `orgDir`). */
  peopleFile?: string;
  teamsFile?: string;
  /** The date leave dates are compared with (default: now). */
  asOf?: Date;
  /** Paths in messages are shown relative to this folder (default: the current directory). */
  relativeTo?: string;
}

export interface ParsedFile {
  display: string;
  data: unknown;
  locate: (p: PropertyKey[]) => number | undefined;
}

const find = (dir: string, base: string) =>
  ['yaml', 'yml', 'json'].map((ext) => path.join(dir, `${base}.${ext}`)).find((f) => fs.existsSync(f));

export function parseFile(file: string, display: string): ParsedFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DirectoryError([`${display}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
  if (file.endsWith('.json')) {
    try {
      return { display, data: JSON.parse(text), locate: () => undefined };
    } catch (err) {
      throw new DirectoryError([`${display}: invalid JSON: ${(err as Error).message}`]);
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length) throw new DirectoryError(yamlProblems(doc.errors, text, display));
  const locate = (p: PropertyKey[]) => {
    for (let n = p.length; n > 0; n--) {
      const node = doc.getIn(p.slice(0, n) as (string | number)[], true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return { display, data: doc.toJS(), locate };
}

/** How to fix the usual YAML mistakes, by the yaml library's error code. */
const YAML_FIXES: Record<string, string> = {
  DUPLICATE_KEY: 'this key appears twice in the same entry: keep one of them',
  TAB_AS_INDENT: 'indent with spaces, not tabs',
  BAD_INDENT: 'align this line with the other fields of its entry',
  MISSING_CHAR: 'a bracket or quote is not closed',
  MULTILINE_IMPLICIT_KEY: 'check the indentation of this line and the one above (a value may have spilled onto its own line)',
  BLOCK_AS_IMPLICIT_KEY: 'check the indentation of this line and the one above',
};

/**
 * YAML syntax errors as `org/people.yaml:17:5: invalid YAML: Map keys must be unique (`title: x`) — a field
 * appears twice …`. Only the first few are shown: later ones usually follow from the first.
 */
function yamlProblems(errors: { code: string; message: string; linePos?: [{ line: number; col: number }, ...unknown[]] }[], text: string, display: string): string[] {
  const lines = text.split(/\r?\n/);
  const shown = errors.slice(0, 3).map((e) => {
    const pos = e.linePos?.[0];
    const what = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    const source = pos ? lines[pos.line - 1]?.trim() : undefined;
    const fix = YAML_FIXES[e.code] ?? 'check the indentation and quoting of this line';
    return `${display}${pos ? `:${pos.line}:${pos.col}` : ''}: invalid YAML: ${what}${source ? ` (\`${source}\`)` : ''} — ${fix}`;
  });
  if (errors.length > shown.length) shown.push(`${display}: ${errors.length - shown.length} more YAML error(s) after these, probably caused by the first; fix it and run again`);
  return shown;
}

/** Loads and validates the org files into a new Directory construct; throws DirectoryError listing every problem. */
export function loadDirectory(scope: Construct, id: string, opts: LoadDirectoryOptions = {}): Directory {
  checkOptions(`loadDirectory(${id})`, 'loadDirectory', opts);
  const rel = (f: string) => {
    const r = path.relative(opts.relativeTo ?? process.cwd(), f);
    return r && !r.startsWith('..') ? r : f;
  };
  const orgDir = path.resolve(opts.orgDir ?? 'org');
  const peopleFile = opts.peopleFile ? path.resolve(opts.peopleFile) : find(orgDir, 'people');
  const teamsFile = opts.teamsFile ? path.resolve(opts.teamsFile) : find(orgDir, 'teams');
  if (!peopleFile) {
    throw new DirectoryError([
      `${rel(path.join(orgDir, 'people.yaml'))}: not found. Create it (see the README) or set SCIMFORM_ORG_DIR to the folder holding people.yaml`,
    ]);
  }
  const people = parseFile(peopleFile, rel(peopleFile));
  const teams = teamsFile ? parseFile(teamsFile, rel(teamsFile)) : undefined;
  const problems: string[] = [];
  const top = (f: ParsedFile, schema: typeof peopleFileSchema | typeof teamsFileSchema, field: string): unknown[] => {
    const r = schema.safeParse(f.data ?? {});
    if (!r.success) {
      problems.push(...r.error.issues.map((i) => `${f.display}: ${explainFileIssue(i, field as 'people' | 'teams', f.data)}`));
      if (f.data == null || typeof f.data !== 'object') problems.push(`${f.display}: expected a mapping with a "${field}:" list`);
      return [];
    }
    return (r.data as Record<string, unknown[]>)[field];
  };
  const peopleList = top(people, peopleFileSchema, 'people');
  const teamList = teams ? top(teams, teamsFileSchema, 'teams') : [];
  if (problems.length) throw new DirectoryError(problems);

  const directory = new Directory(scope, id, {
    asOf: opts.asOf,
    peopleSource: people.display,
    teamsSource: teams?.display ?? rel(path.join(orgDir, 'teams.yaml')),
  });
  const teamEntries: DirectoryEntry<Team>[] = teamList.map((spec, i) => ({
    spec,
    where: teams!.display,
    path: ['teams', i],
    locate: teams!.locate,
  }));
  const peopleEntries: DirectoryEntry<Person>[] = peopleList.map((spec, i) => ({
    spec,
    where: people.display,
    path: ['people', i],
    locate: people.locate,
  }));
  problems.push(...directory.addAll(teamEntries, peopleEntries));
  if (problems.length) throw new DirectoryError(problems);
  return directory;
}
