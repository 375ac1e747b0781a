// scripts/ts-register.js runs the TypeScript sources (the scimform bin, cdktf.json's app, npm scripts): types
// stripped, CommonJS semantics kept (dynamic import of a .ts module works), and errors name .ts lines.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REGISTER = path.resolve(__dirname, '..', '..', 'scripts', 'ts-register.js');
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-tsreg-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('runs a .ts program that imports another .ts module, statically and dynamically', () => {
  fs.writeFileSync(path.join(dir, 'lib.ts'), 'export interface X { n: number }\nexport const double = (x: X): number => x.n * 2;\n');
  fs.writeFileSync(path.join(dir, 'main.ts'), "import { double } from './lib';\n(async () => {\n  const m = await import('./lib');\n  console.log(double({ n: 2 }), m.double({ n: 5 }));\n})();\n");
  const r = spawnSync(process.execPath, ['-r', REGISTER, path.join(dir, 'main.ts')], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.stdout.trim()).toBe('4 10');
});

test('a thrown error points at the line of the .ts source', () => {
  fs.writeFileSync(path.join(dir, 'boom.ts'), 'type T = { a: string };\nconst t: T = { a: "x" };\nthrow new Error(`boom ${t.a}`);\n');
  const r = spawnSync(process.execPath, ['-r', REGISTER, path.join(dir, 'boom.ts')], { encoding: 'utf8' });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('boom x');
  expect(r.stderr).toContain(`${path.join(dir, 'boom.ts')}:3`);
});

test(".ts lines stay mapped after .js modules load; a .js module's own source map is not read", () => {
  // A .js dependency with a source map that would move its own line numbers if Node read it.
  const map = { version: 3, sources: ['dep-src.ts'], names: [], mappings: 'AAUA' };
  fs.writeFileSync(path.join(dir, 'dep.js'), `exports.fail = () => { throw new Error('from dep'); };\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`);
  fs.writeFileSync(path.join(dir, 'main.ts'), "const dep = require('./dep');\ntype T = { a: string };\ntry {\n  dep.fail();\n} catch (e) {\n  console.error((e as Error).stack);\n}\nthrow new Error('main');\n");
  const r = spawnSync(process.execPath, ['-r', REGISTER, path.join(dir, 'main.ts')], { encoding: 'utf8' });
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain(`${path.join(dir, 'main.ts')}:8`);
  expect(r.stderr).toContain(`${path.join(dir, 'dep.js')}:1`);
  expect(r.stderr).not.toContain('dep-src.ts');
});
