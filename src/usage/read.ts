/**
 * Reading counts from hostile wire objects without allocating.
 *
 * A count is `undefined` when the field is absent or `null` (not reported), `NaN` when it is present
 * but not a non-negative safe integer. NaN propagates through sums and fails every `>= 0` test, so a
 * normalizer can add fields freely and let `checkInclusive()` reject the result once.
 * Getters may throw; the caller (`normalize.ts`) catches that once around the whole read.
 */

/** A raw usage object as it came off the wire. */
export type RawRecord = Readonly<Record<string, unknown>>;

/** A nested details object: the record, `undefined` when absent/null, `null` when not an object. */
export function child(obj: RawRecord, key: string): RawRecord | null | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' && !Array.isArray(value) ? (value as RawRecord) : null;
}

/** A token count; `obj === null` (a details field of the wrong type) reads as invalid. */
export function count(obj: RawRecord | null | undefined, key: string): number | undefined {
  if (obj === undefined) return undefined;
  if (obj === null) return Number.NaN;
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return Number.NaN;
  return value === 0 ? 0 : value; // folds -0
}

/** The first of two spellings that is reported (Gemini camelCase vs snake_case). */
export function countEither(obj: RawRecord, key: string, altKey: string): number | undefined {
  const value = count(obj, key);
  return value === undefined ? count(obj, altKey) : value;
}

/** A money amount (USD): finite and non-negative, fractional allowed. */
export function amount(obj: RawRecord, key: string): number | undefined {
  const value = obj[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return Number.NaN;
  return value === 0 ? 0 : value;
}

/**
 * Whether a sub-count (`part`) is reported beside its parent count rather than inside it. Providers
 * disagree (xAI reasoning, Gemini thoughts, Bedrock cache), so when the reported `total` matches
 * exactly one reading it decides; otherwise the documented default holds.
 * `sumWithoutPart` is the sum of the top-level counts the total is made of, `part` excluded.
 */
export function reportedBeside(
  total: number | undefined,
  sumWithoutPart: number,
  part: number,
  byDefault: boolean,
): boolean {
  if (total !== undefined && part > 0) {
    if (total === sumWithoutPart + part) return true;
    if (total === sumWithoutPart) return false;
  }
  return byDefault;
}
