// The house rules a newcomer relies on, checked on every run: no import circle among the product's source
// files (type-only imports included), no source file over 400 lines without a reason in its header, and
// package.json's dependencies are exactly what the code run at install and run time needs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { importCircles, importGraph, importSpecifiers, oversizedFiles, sourceFiles } from '../../scripts/source-graph';

const REPO = path.resolve(__dirname, '..', '..');
const files = sourceFiles(REPO);

test('the checks see the whole source tree', () => {
  expect(files.length).toBeGreaterThan(150);
  for (const f of ['lib/scim-app.ts', 'cli/main.ts', 'providers/scim/main.ts', 'sandbox/server.ts', 'main.ts']) expect(files).toContain(f);
});

test('no import circle among the source files (type-only imports count)', () => {
  const circles = importCircles(importGraph(REPO, files)).map((c) => c.join(' → '));
  expect(circles).toEqual([]);
});

test('the circle check finds a circle, type-only or not', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts']],
    ['d.ts', ['a.ts']],
  ]);
  expect(importCircles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  expect(importSpecifiers("import type { X } from './x';\nexport * from './y';\nconst z = require('./z');")).toEqual(['./x', './y', './z']);
});

test('no source file over 400 lines unless its header comment says why ("over 400 lines: …")', () => {
  expect(oversizedFiles(REPO, files)).toEqual([]);
});

test('every package the product code imports is a dependency, and every dependency is used', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; scripts: Record<string, string> };
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  const packageOf = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
  const imported = new Set<string>();
  for (const f of [...files, 'cli/scimform.js']) {
    for (const s of importSpecifiers(fs.readFileSync(path.join(REPO, f), 'utf8'))) if (!s.startsWith('.') && !builtins.has(s)) imported.add(packageOf(s));
  }
  const deps = Object.keys(pkg.dependencies);
  expect([...imported].filter((p) => !deps.includes(p)).sort()).toEqual([]);
  // Run by name rather than imported: cdktf-cli is the `cdktf synth/diff/deploy` command the README offers
  // beside `scimform`. (TypeScript runs from source through scripts/ts-register.js, i.e. esbuild.)
  const runAt = `${fs.readFileSync(path.join(REPO, 'cdktf.json'), 'utf8')} ${Object.values(pkg.scripts).join(' ')}`;
  const runByName = new Set(['cdktf-cli']);
  const unused = deps.filter((d) => !imported.has(d) && !runAt.includes(d) && !runByName.has(d));
  expect(unused).toEqual([]);
  // What runs after `npm ci --omit=dev` is never a devDependency.
  expect(Object.keys(pkg.devDependencies).filter((d) => imported.has(d))).toEqual([]);
});

test('the README is a front door: short, states the Terraform range once, and its links resolve', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  expect(readme.split('\n').length).toBeLessThanOrEqual(350);
  expect(readme).toContain('npm ci && npm start');
  expect(readme).toContain('npm test');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { TERRAFORM_RANGE } = require('../../lib/terraform-version') as { TERRAFORM_RANGE: string };
  expect(readme).toContain(TERRAFORM_RANGE);
  expect(readme.match(/Terraform ≥/g)).toHaveLength(1);
  // Guides being written in parallel (issue 14 and 16) are linked before they land.
  const pending = new Set(['docs/guides/plan-and-apply.md', 'docs/guides/security.md', 'docs/guides/team-state.md']);
  const targets = [...readme.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((t) => !/^https?:/.test(t));
  expect(targets.length).toBeGreaterThan(10);
  expect(targets.filter((t) => !pending.has(t) && !fs.existsSync(path.join(REPO, t)))).toEqual([]);
});

test('lib/ reaches into providers/ only for the connector profiles (pure data), and never into cdktf internals', () => {
  const graph = importGraph(REPO, files);
  const outside = [...graph].filter(([f]) => f.startsWith('lib/')).flatMap(([f, deps]) => deps.filter((d) => !d.startsWith('lib/')).map((d) => `${f} → ${d}`));
  expect(outside.filter((e) => !/→ providers\/scim\/client\/(profiles\/|errors\.ts$)/.test(e))).toEqual([]);
  for (const f of files.filter((x) => x.startsWith('lib/'))) {
    expect(importSpecifiers(fs.readFileSync(path.join(REPO, f), 'utf8')).filter((s) => /^cdktf\/|^constructs\//.test(s))).toEqual([]);
  }
});
