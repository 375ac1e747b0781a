// Plain-text formatting of report values shared by every renderer: a changed attribute reads
// `title: "Engineer" → "Senior Engineer"`; sensitive and unknown values show as placeholders only.
import { AttributeChange, SENSITIVE_TEXT, Shown, UNKNOWN_TEXT } from './attribute-diff';
import { isObject, JsonValue } from './plan-json';
import { ChangeCounts, COUNT_LABELS } from './report-model';

/** One value, compactly: strings quoted, null as (none), multi-valued attributes as `value (type, primary)`. */
export function formatJsonValue(v: JsonValue): string {
  if (v === null) return '(none)';
  if (typeof v === 'string') return v === SENSITIVE_TEXT || v === UNKNOWN_TEXT ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatElement).join(', ')}]`;
  return `{${Object.entries(v)
    .filter(([, x]) => x !== null)
    .map(([k, x]) => `${k}: ${formatJsonValue(x)}`)
    .join(', ')}}`;
}

function formatElement(v: JsonValue): string {
  if (isObject(v) && typeof v.value === 'string') {
    const tags = [typeof v.type === 'string' ? v.type : undefined, v.primary === true ? 'primary' : undefined].filter(Boolean);
    return tags.length ? `${v.value} (${tags.join(', ')})` : v.value;
  }
  return formatJsonValue(v);
}

export function formatShown(s: Shown): string {
  if ('sensitive' in s) return SENSITIVE_TEXT;
  if ('unknown' in s) return UNKNOWN_TEXT;
  return formatJsonValue(s.value);
}

/** `title: "Engineer" → "Senior Engineer"`; a changed sensitive value never shows either side. */
export function formatChange(c: AttributeChange): string {
  if ('sensitive' in c.before || 'sensitive' in c.after) return `${c.path}: (sensitive value changed)`;
  return `${c.path}: ${formatShown(c.before)} → ${formatShown(c.after)}`;
}

/** "1 create, 2 deactivate, 3 members added" (only non-zero counts); "no changes" when all are zero. */
export function formatCounts(c: ChangeCounts, separator = ', '): string {
  const parts = (Object.keys(COUNT_LABELS) as (keyof ChangeCounts)[])
    .filter((k) => c[k] > 0)
    .map((k) => `${c[k]} ${COUNT_LABELS[k][c[k] === 1 ? 0 : 1]}`);
  return parts.length ? parts.join(separator) : 'no changes';
}
