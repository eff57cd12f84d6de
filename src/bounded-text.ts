/**
 * One rule for every string that comes from a provider response (or another process) and reaches
 * a span attribute, a metric label or a log line: response model names, service tiers, error
 * types and finish reasons, ids. A hostile or broken endpoint can send a 10 MB `model`; kept as
 * is, it would sit in every span queued for export (and in label sets and price caches).
 *
 * - at most `TEXT_LIMIT` (256) UTF-16 code units; a longer value keeps its first 255 and ends in
 *   `…` (never splitting a surrogate pair), so a truncated value is visibly truncated;
 * - control characters (C0, DEL, C1), line/paragraph separators and bidi overrides, which can
 *   rewrite a terminal or a log line, become `\uFFFD`.
 *
 * Real model names, tiers and error class names are far shorter and pass unchanged (and without
 * allocation: the common case is one length check and one regex test).
 */

/** The documented maximum length of a bounded string, in UTF-16 code units. */
export const TEXT_LIMIT = 256;

// C0 controls, DEL, C1 controls, U+2028/2029, bidi embeddings/overrides/isolates, BOM.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_TEST = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

/** `value` bounded and sanitized; `undefined` for a non-string or an empty string. */
export function boundedText(value: unknown, limit = TEXT_LIMIT): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  let text = value;
  if (text.length > limit) {
    let end = limit - 1;
    const code = text.charCodeAt(end - 1);
    // Do not leave half of a surrogate pair at the cut.
    if (code >= 0xd800 && code <= 0xdbff) end -= 1;
    text = `${text.slice(0, end)}…`;
  }
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, '\uFFFD') : text;
}
