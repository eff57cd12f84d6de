/**
 * Sanity bounds for prices given as data (overrides, tier tables, downloaded catalogs). A value
 * past them is a typo or corrupt data, and would turn into `Infinity`/`NaN` costs downstream.
 */

/**
 * USD per million tokens: $1 per token. The dearest published rate is a few hundred dollars per
 * million (o1-pro output); the bound keeps every cost finite and catches typos off by orders of
 * magnitude, while leaving room for synthetic test prices.
 */
export const MAX_RATE_PER_MTOK = 1_000_000;
/** Discount/markup and tier factors: 0.8 is a discount, 2.5 a priority surcharge; 100× is not a price. */
export const MAX_MULTIPLIER = 100;
/** Entries in one overrides list or file. Real ones hold tens; a hundred thousand is not config. */
export const MAX_OVERRIDES = 10_000;
/** Size of an overrides file. */
export const MAX_OVERRIDES_FILE_BYTES = 4 * 1024 * 1024;
/** Hops an alias may take to reach a priced model. */
export const MAX_ALIAS_HOPS = 32;

/** Why `value` is not a usable rate, or null when it is. */
export function rateProblem(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return 'must be a non-negative number';
  }
  if (value > MAX_RATE_PER_MTOK) return `must be at most ${MAX_RATE_PER_MTOK} USD per million tokens`;
  return null;
}

/** Why `value` is not a usable multiplier (> 0, ≤ MAX_MULTIPLIER), or null when it is. */
export function multiplierProblem(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    return 'must be a positive number';
  }
  if (value > MAX_MULTIPLIER) return `must be at most ${MAX_MULTIPLIER}`;
  return null;
}
