// What a saved plan is bound to: the files the app loaded (recorded by the preloaded recorder), the org
// files and the SCIMFORM_<APP>_ENDPOINT variables; every change is named for the user, even in app code.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { scimformPaths } from '../../lib/paths';
import { APP_MODULES_RECORDER, currentSynthInputs, synthChanges } from '../../cli/workflow/plan-inputs';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-inputs-'));
  fs.mkdirSync(path.join(root, 'org'));
  fs.writeFileSync(path.join(root, 'org', 'people.yaml'), 'people: []\n');
  fs.writeFileSync(path.join(root, 'main.js'), "require('./helper.js');\n");
  fs.writeFileSync(path.join(root, 'helper.js'), 'module.exports = 1;\n');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('the recorder lists every file the app loaded', () => {
  const list = path.join(root, 'loaded.json');
  const r = spawnSync(process.execPath, ['main.js'], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: `--require ${JSON.stringify(APP_MODULES_RECORDER)}`, SCIMFORM_APP_MODULES_FILE: list },
  });
  expect(r.status).toBe(0);
  const loaded = JSON.parse(fs.readFileSync(list, 'utf8')) as string[];
  expect(loaded).toEqual(expect.arrayContaining([path.join(root, 'main.js'), path.join(root, 'helper.js')]));
});

test('a change in imported code, an org file or an endpoint variable is named', () => {
  const paths = scimformPaths({}, root);
  const before = currentSynthInputs(paths, ['main.js', 'helper.js'], {});
  expect(synthChanges(before, currentSynthInputs(paths, ['main.js', 'helper.js'], {}))).toEqual([]);
  fs.writeFileSync(path.join(root, 'helper.js'), 'module.exports = 2;\n');
  fs.writeFileSync(path.join(root, 'org', 'teams.yaml'), 'teams: []\n');
  const now = currentSynthInputs(paths, ['main.js', 'helper.js'], { SCIMFORM_WIKI_ENDPOINT: 'https://wiki.example.com/scim' });
  expect(synthChanges(before, now)).toEqual([
    'org file org/teams.yaml was added',
    'app code helper.js changed',
    'SCIMFORM_WIKI_ENDPOINT was set',
  ]);
});
