/**
 * Text from the network (label values, Prometheus error messages, URLs) made safe for a terminal
 * and for spreadsheets. A label value may carry escape sequences that retitle the window, clear
 * the screen, hide text or plant hyperlinks; a CSV cell may be a formula. The CLI's own colours
 * are added after this, so they are the only escape sequences it ever prints.
 */

// C0 controls, DEL, C1 controls (0x9b is a one-byte CSI on some terminals), line/paragraph
// separators, bidi embeddings/overrides/isolates, BOM.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const hex = (c: string) => {
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** Control characters shown as visible escapes (`\x1b`, `\u202e`): printable, one line. */
export function safeText(text: string): string {
  return text.replace(UNSAFE, hex);
}

/** Multi-line text for the terminal: every line escaped as `safeText`, the line breaks kept. */
export function safeLines(text: string): string {
  return text.split('\n').map(safeText).join('\n');
}

// What JSON.stringify leaves raw inside strings (it escapes C0 itself; raw C0 outside strings is
// the indentation's own newlines).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** JSON whose strings carry no raw control characters (C1 and bidi too), still valid JSON. */
export function safeJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * One CSV cell: a text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
 * `@`, tab or CR) is prefixed with `'` (OWASP "CSV injection"); control characters are escaped;
 * quotes, commas and newlines are quoted per RFC 4180.
 */
export function csvTextCell(text: string): string {
  let cell = safeText(text);
  if (/^[=+\-@\t\r]/.test(text)) cell = `'${cell}`;
  return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
