// Safe Markdown building blocks for reports posted as GitHub comments: values from the directory go in
// code spans (no mentions, links or HTML), text in HTML context is entity-escaped.

/** An inline code span holding any text, whatever backticks or pipes it contains. */
export function mdCode(value: string): string {
  const text = value.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** HTML-escapes text for element content and quoted attribute values. */
export function htmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Text inside HTML in a GitHub comment (`<summary>`), where Markdown is not processed: one line,
 * entities escaped, `@` too so it never becomes a mention. */
export function htmlText(value: string): string {
  return htmlEscape(value.replace(/[\r\n]+/g, ' ')).replace(/@/g, '&#64;');
}

/** Plain Markdown text inside a line: entities and inline Markdown punctuation escaped, so it renders literally. */
export function mdText(value: string): string {
  return htmlText(value.replace(/([\\`*_[\]|~])/g, '\\$1'));
}

/** A fenced block holding untrusted multi-line text (e.g. an error). */
export function mdFence(value: string, maxChars = 2000): string {
  const text = value.length > maxChars ? `${value.slice(0, maxChars)}\n… (${value.length - maxChars} more characters)` : value;
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}
