// Quoted string values in filter text (RFC 7644 §3.4.2.2: JSON strings, so `\"`, `\\`, `\uXXXX` … are
// allowed). scimmy's tokenizer ends a string at the first `"` and never unescapes, and its `( … )` /
// `[ … ]` groups end at the first `)` / `]` even inside a string. So before scimmy sees a filter, every
// quoted value is swapped for a placeholder literal made of private-use characters (no quotes,
// brackets, spaces or backslashes), and after scimmy has parsed it the placeholders are swapped back
// for the decoded values. Only string literals are scanned here; the filter grammar stays scimmy's.
import { invalidFilter } from './scim-error';

const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /^\uE000(\d+)\uE001$/;

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export interface ProtectedFilter {
  /** The filter text with each quoted value replaced by `"<placeholder>"`. */
  text: string;
  /** Decoded values, indexed by placeholder number. */
  literals: string[];
  /** The quoted values as written (without the quotes), indexed by placeholder number. */
  raw: string[];
}

/** Decodes the JSON string starting at text[start] (a `"`); returns the value and the index after the closing quote. */
function readLiteral(text: string, start: number, raw: string): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) break;
    if (e in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[e];
      i += 2;
    } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
      value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
      i += 6;
    } else {
      throw invalidFilter(`Invalid filter '${raw}': invalid escape '\\${e}' in the string value starting at character ${start + 1} (allowed: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`);
    }
  }
  throw invalidFilter(`Invalid filter '${raw}': the string value starting at character ${start + 1} has no closing '"'`);
}

/** Replaces every quoted value of a filter by a placeholder scimmy can tokenise (linear time). */
export function protectLiterals(text: string, raw = text): ProtectedFilter {
  const literals: string[] = [];
  const rawLiterals: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === OPEN || c === CLOSE) throw invalidFilter(`Invalid filter '${raw}': unexpected character U+${c.charCodeAt(0).toString(16).toUpperCase()} outside a string value`);
    if (c !== '"') {
      out += c;
      i++;
      continue;
    }
    const { value, end } = readLiteral(text, i, raw);
    out += `"${OPEN}${literals.length}${CLOSE}"`;
    literals.push(value);
    rawLiterals.push(text.slice(i + 1, end - 1));
    i = end;
  }
  return { text: out, literals, raw: rawLiterals };
}

/** A deep copy of scimmy's parsed filter with every placeholder replaced by its decoded value. */
export function restoreLiterals<T>(parsed: T, literals: string[]): T {
  const restore = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const m = PLACEHOLDER.exec(v);
      return m ? literals[Number(m[1])] : v;
    }
    if (Array.isArray(v)) return v.map(restore);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, restore(x)]));
    return v;
  };
  return restore(parsed) as T;
}

/** An error message of scimmy's about protected text, with the placeholders shown as the original quoted values. */
export function unprotectMessage(message: string, literals: string[]): string {
  return message
    .replace(/\uE000(\d+)\uE001/g, (_, n: string) => JSON.stringify(literals[Number(n)] ?? '').slice(1, -1))
    .replace(/[\uE000\uE001]/g, '');
}
