// What synth's notes look like on the terminal: every note of an app while they are few; past a limit per app
// the first ones, then one line saying how many more there are and which file holds them all (the notes of a
// large organisation name hundreds of people outside an app's scope on every run, which would bury the plan).
import * as fs from 'node:fs';
import * as path from 'node:path';

/** One synth annotation of a stack, e.g. `eve: left on 2025-01-31 — not provisioned; …`. */
export interface SynthNote {
  stack: string;
  message: string;
}

/** Notes of one app shown in full up to this many; beyond it, `NOTES_SHOWN_WHEN_CUT` of them and a count. */
export const NOTES_PER_APP = 20;
export const NOTES_SHOWN_WHEN_CUT = 10;

/** The file (in the log folder) that holds every note of the last synth. */
export const NOTES_FILE = 'synth-notes.txt';

export function noteLine(n: SynthNote): string {
  return `[${n.stack}] ${n.message}`;
}

/** The lines to print for these notes; `notesFile` (where all of them are) is named in each cut line. */
export function terminalNotes(notes: SynthNote[], notesFile: string): { lines: string[]; cut: boolean } {
  const byStack = new Map<string, SynthNote[]>();
  for (const n of notes) {
    const own = byStack.get(n.stack);
    if (own) own.push(n);
    else byStack.set(n.stack, [n]);
  }
  const lines: string[] = [];
  let cut = false;
  for (const [stack, own] of byStack) {
    if (own.length <= NOTES_PER_APP) {
      lines.push(...own.map(noteLine));
      continue;
    }
    cut = true;
    lines.push(...own.slice(0, NOTES_SHOWN_WHEN_CUT).map(noteLine));
    const more = own.length - NOTES_SHOWN_WHEN_CUT;
    lines.push(`[${stack}] … and ${more.toLocaleString('en-US')} more notes (${own.length.toLocaleString('en-US')} in all): every note is in ${notesFile}`);
  }
  return { lines, cut };
}

/**
 * Writes every note to `<logDir>/synth-notes.txt` (each synth replaces it, so it never holds an older run's notes)
 * and prints them through `info`, cut per app past the limit.
 */
export function reportNotes(notes: SynthNote[], logDir: string, info: (line: string) => void, displayDir = process.cwd()): void {
  const file = path.join(logDir, NOTES_FILE);
  fs.mkdirSync(logDir, { recursive: true });
  fs.writeFileSync(file, notes.map((n) => `${noteLine(n)}\n`).join(''));
  const shown = path.relative(displayDir, file);
  for (const l of terminalNotes(notes, shown && !shown.startsWith('..') ? shown : file).lines) info(l);
}
