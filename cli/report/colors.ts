// ANSI colours for terminal output, enabled only on a TTY (and never with NO_COLOR set).
export interface Palette {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  red(s: string): string;
  cyan(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const ansiPalette: Palette = {
  bold: wrap(1, 22),
  dim: wrap(2, 22),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  red: wrap(31, 39),
  cyan: wrap(36, 39),
};

const plain = (s: string) => s;
export const plainPalette: Palette = { bold: plain, dim: plain, green: plain, yellow: plain, red: plain, cyan: plain };

/** Colour when writing to a terminal, unless NO_COLOR is set; FORCE_COLOR forces it on. */
export function paletteFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Palette {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return plainPalette;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return ansiPalette;
  return stream.isTTY ? ansiPalette : plainPalette;
}

/** Removes ANSI escapes and other control characters from untrusted text before printing it. */
export const stripControl = (s: string): string =>
  s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
