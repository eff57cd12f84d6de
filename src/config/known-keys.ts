/**
 * Unknown keys in configuration objects are errors, not silently ignored: `register({
 * budgetsGuard: true })` must fail the deploy instead of leaving the user believing the guard is
 * on. The message names the key and the closest valid one.
 */
import { ConfigError } from './errors.js';

/** Levenshtein distance (insert / delete / substitute), case-insensitive; two rows of memory. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitute = (previous[j - 1] as number) + (s[i - 1] === t[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitute);
    }
    previous = current;
  }
  return previous[t.length] as number;
}

/**
 * The valid key nearest to `key` (first of the list on a tie). A key that a valid one starts with
 * (`bearer` / `bearerToken`) counts as between one and two edits away.
 */
export function closestKey(key: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  // Keys from files can be long garbage; compare a bounded prefix so this stays cheap.
  const probe = key.slice(0, 64);
  for (const candidate of valid) {
    const a = probe.toLowerCase();
    const b = candidate.toLowerCase();
    const truncated = a.length >= 3 && b.startsWith(a);
    const distance = Math.min(editDistance(probe, candidate), truncated ? 1.5 : Number.POSITIVE_INFINITY);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** A key shown in a message: quoted, control characters escaped, never huge. */
function showKey(key: string): string {
  const text = JSON.stringify(key);
  return text.length > 66 ? `${text.slice(0, 63)}..."` : text;
}

/**
 * Throws `ConfigError` for the first own key of `value` not in `valid`, e.g.
 * `llm-cost-otel: register() options has unknown key "budgetsGuard"; did you mean "budgetGuard"?`.
 * `where` names the object (`register() options`, `prometheus`, `budgets file x.yaml [0]`).
 */
export function rejectUnknownKeys(where: string, value: object, valid: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (valid.includes(key)) continue;
    const nearest = closestKey(key, valid);
    const hint = nearest === undefined ? '' : `; did you mean "${nearest}"?`;
    throw new ConfigError(
      `llm-cost-otel: ${where} has unknown key ${showKey(key)}${hint} (valid keys: ${valid.join(', ')})`,
    );
  }
}
