/**
 * The name rewrites model resolution may apply, each one explicit and tested. Nothing here guesses
 * a model from a prefix: a rewrite removes only a recognisable date stamp or resource path.
 */

/** Names are compared trimmed and lower-cased, as the catalog does. */
export function normalizeModelName(name: string): string {
  return name.trim().toLowerCase();
}

/**
 * Dated-snapshot suffixes we strip (only at the very end, only one, only a real calendar date):
 *
 * | pattern          | example                                | who              |
 * |------------------|----------------------------------------|------------------|
 * | `-YYYY-MM-DD`    | `gpt-4o-2024-08-06` → `gpt-4o`         | OpenAI           |
 * | `-YYYYMMDD`      | `claude-3-5-sonnet-20241022` → `claude-3-5-sonnet` | Anthropic |
 * | `@YYYYMMDD`      | `claude-3-5-haiku@20241022` → `claude-3-5-haiku`   | Vertex AI |
 * | `-MMDD`          | `gpt-3.5-turbo-0125` → `gpt-3.5-turbo` | OpenAI (older)   |
 *
 * Years must be 20xx. `-MMDD` requires a valid month and day, so YYMM-style version stamps
 * (`mistral-large-2411`, `codestral-2501`) are left alone. Not stripped: Gemini `-preview-MM-DD`
 * and Bedrock `-v2:0` (the catalog's own rules cover those), `-latest`, `-preview`.
 * Returns null when there is no such suffix.
 */
export function stripSnapshotSuffix(name: string): string | null {
  let match = /^(.+)-(20\d{2})-(\d{2})-(\d{2})$/.exec(name);
  if (match && isDate(match[2]!, match[3]!, match[4]!)) return match[1]!;
  match = /^(.+)[-@](20\d{2})(\d{2})(\d{2})$/.exec(name);
  if (match && isDate(match[2]!, match[3]!, match[4]!)) return match[1]!;
  match = /^(.+)-(\d{2})(\d{2})$/.exec(name);
  // 2024 is a leap year, so 0229 counts as a date.
  if (match && isDate('2024', match[2]!, match[3]!)) return match[1]!;
  return null;
}

function isDate(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * The model id inside a resource path, for providers that report one:
 * - AWS Bedrock ARNs: `arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-…-v2:0`
 *   and `…:foundation-model/anthropic.claude-…` → the part after the last `/`. Application
 *   inference profiles have opaque ids and need an `aliasOf` override.
 * - Google: `models/gemini-2.5-pro`, `publishers/google/models/gemini-2.5-pro`,
 *   `projects/p/locations/l/publishers/google/models/gemini-2.5-pro` → the part after `models/`.
 * Returns null when the name is not such a path (other providers' ids may legitimately contain `/`).
 */
export function resourceBaseName(catalogProviderId: string, name: string): string | null {
  if (catalogProviderId === 'aws' && name.startsWith('arn:')) {
    const slash = name.lastIndexOf('/');
    return slash >= 0 && slash < name.length - 1 ? name.slice(slash + 1) : null;
  }
  if (catalogProviderId === 'google') {
    const at = name.lastIndexOf('models/');
    if (at === 0 || (at > 0 && name[at - 1] === '/')) {
      const base = name.slice(at + 'models/'.length);
      return base.length > 0 && !base.includes('/') ? base : null;
    }
  }
  return null;
}

/**
 * Up to `limit` names closest to `target` by edit distance, for "did you mean" messages only
 * (never used to price). Ties break alphabetically so messages are stable.
 */
export function closestNames(target: string, names: Iterable<string>, limit = 3): string[] {
  const scored: { name: string; distance: number }[] = [];
  for (const name of new Set(names)) scored.push({ name, distance: editDistance(target, name) });
  scored.sort((a, b) => a.distance - b.distance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return scored.slice(0, limit).map((entry) => entry.name);
}

/** Levenshtein distance, two rolling rows. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}
