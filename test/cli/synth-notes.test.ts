// Synth notes on the terminal: all of an app's notes while they are few, the first ten and a count past twenty,
// and every note in .scimform/logs/synth-notes.txt.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NOTES_PER_APP, reportNotes, terminalNotes, type SynthNote } from '../../cli/workflow/synth-notes';

const excluded = (stack: string, n: number): SynthNote[] =>
  Array.from({ length: n }, (_, i) => ({ stack, message: `p${String(i).padStart(3, '0')}: outside the scoping filter (contractor IS NULL) — not provisioned` }));

test('an app with few notes shows all of them, in order', () => {
  const notes = [...excluded('wiki', NOTES_PER_APP), { stack: 'proxy', message: 'eve: left on 2025-01-31 — not provisioned' }];
  const { lines, cut } = terminalNotes(notes, '.scimform/logs/synth-notes.txt');
  expect(cut).toBe(false);
  expect(lines).toHaveLength(NOTES_PER_APP + 1);
  expect(lines[0]).toBe('[wiki] p000: outside the scoping filter (contractor IS NULL) — not provisioned');
  expect(lines[NOTES_PER_APP]).toBe('[proxy] eve: left on 2025-01-31 — not provisioned');
});

test('past the limit an app shows its first ten notes and how many more, naming the file; other apps are untouched', () => {
  const notes = [...excluded('wiki', 1333), ...excluded('proxy', 3)];
  const { lines, cut } = terminalNotes(notes, '.scimform/logs/synth-notes.txt');
  expect(cut).toBe(true);
  expect(lines.slice(0, 10)).toEqual(notes.slice(0, 10).map((n) => `[wiki] ${n.message}`));
  expect(lines[10]).toBe('[wiki] … and 1,323 more notes (1,333 in all): every note is in .scimform/logs/synth-notes.txt');
  expect(lines.slice(11)).toEqual(['[proxy] p000: outside the scoping filter (contractor IS NULL) — not provisioned', '[proxy] p001: outside the scoping filter (contractor IS NULL) — not provisioned', '[proxy] p002: outside the scoping filter (contractor IS NULL) — not provisioned']);
});

test('every note is written to the log folder, replacing the last run; the cut line names it relative to the working folder', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scimform-notes-'));
  try {
    const logDir = path.join(root, '.scimform', 'logs');
    const printed: string[] = [];
    reportNotes(excluded('wiki', 25), logDir, (l) => printed.push(l), root);
    const file = path.join(logDir, 'synth-notes.txt');
    expect(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(25);
    expect(printed).toHaveLength(11);
    expect(printed[10]).toBe(`[wiki] … and 15 more notes (25 in all): every note is in ${path.join('.scimform', 'logs', 'synth-notes.txt')}`);

    printed.length = 0;
    reportNotes(excluded('proxy', 2), logDir, (l) => printed.push(l), root);
    expect(fs.readFileSync(file, 'utf8')).toBe(printed.map((l) => `${l}\n`).join(''));
    expect(printed).toHaveLength(2);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
