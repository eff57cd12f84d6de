/**
 * Inclusive usage (as callers and the GenAI semconv report it) → disjoint billing buckets.
 *
 * Inconsistent usage (a part larger than its whole, e.g. `cacheReadTokens > inputTokens`) is
 * resolved deterministically: **the specific counts win** and only the remainder bucket is clamped
 * at 0. The split fields are what each rate is charged on, and a whole smaller than its parts most
 * often means the caller passed an exclusive total (Anthropic's `input_tokens` excludes cache
 * tokens), in which case the parts are the true counts. `toBucketsChecked` tells the caller when
 * this happened so it can warn.
 */
import type { TokenType, TokenUsage, UsageBuckets } from '../types.js';
import { errorMessage } from '../util/error-message.js';
import { describeValue } from './describe-value.js';

/** Per-field ceiling: no single call bills a billion tokens; larger counts are corrupt data. */
export const MAX_TOKENS_PER_FIELD = 1e9;

const REQUIRED_FIELDS = ['inputTokens', 'outputTokens'] as const;
const OPTIONAL_FIELDS = [
  'cacheReadTokens',
  'cacheWriteTokens',
  'cacheWrite1hTokens',
  'reasoningTokens',
] as const;

/**
 * The billing buckets' names (`UsageBuckets` keys), for loops over rates or counts by bucket
 * (test/pricing/token-types.test.ts fails when `UsageBuckets` gains a key this list lacks).
 */
export const BILLING_BUCKETS = [
  'input',
  'cacheRead',
  'cacheWrite5m',
  'cacheWrite1h',
  'output',
  'reasoning',
] as const satisfies readonly (keyof UsageBuckets)[];

/** All buckets at 0. */
export function emptyBuckets(): UsageBuckets {
  return { input: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, output: 0, reasoning: 0 };
}

export interface CheckedBuckets {
  buckets: UsageBuckets;
  /** True when a part exceeded its whole and a remainder bucket was clamped to 0. */
  clamped: boolean;
}

/** Splits inclusive usage into disjoint buckets; see the module comment for inconsistent input. */
export function toBuckets(usage: TokenUsage): UsageBuckets {
  return toBucketsChecked(usage).buckets;
}

export function toBucketsChecked(usage: TokenUsage): CheckedBuckets {
  const buckets = emptyBuckets();
  const clamped = fillBuckets(usage, buckets);
  return { buckets, clamped };
}

/**
 * Writes the buckets into `out` and returns whether anything was clamped. Internal: lets the
 * pricing hot path reuse one scratch object instead of allocating per call.
 */
export function fillBuckets(usage: TokenUsage, out: UsageBuckets): boolean {
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const cacheWrite1h = usage.cacheWrite1hTokens ?? 0;
  const reasoning = usage.reasoningTokens ?? 0;
  const cacheWrite5m = cacheWrite - cacheWrite1h;
  const input = usage.inputTokens - cacheRead - (cacheWrite5m > 0 ? cacheWrite : cacheWrite1h);
  const output = usage.outputTokens - reasoning;
  out.input = Math.max(input, 0);
  out.cacheRead = cacheRead;
  out.cacheWrite5m = Math.max(cacheWrite5m, 0);
  out.cacheWrite1h = cacheWrite1h;
  out.output = Math.max(output, 0);
  out.reasoning = reasoning;
  return input < 0 || cacheWrite5m < 0 || output < 0;
}

/**
 * The tokens of `buckets` that one `llm_token_type` counts: the one conversion from the six
 * billing buckets to the five token types (`cache_write` is 5-minute plus 1-hour writes, which
 * are priced apart but counted together).
 */
export function tokensOfType(buckets: UsageBuckets, type: TokenType): number {
  switch (type) {
    case 'input':
      return buckets.input;
    case 'cache_read':
      return buckets.cacheRead;
    case 'cache_write':
      return buckets.cacheWrite5m + buckets.cacheWrite1h;
    case 'output':
      return buckets.output;
    case 'reasoning':
      return buckets.reasoning;
  }
}

/**
 * Why `usage` cannot be priced, or null when it can. Allocates nothing on valid input (it runs on
 * every priced call); assumes a plain object — use `sanitizeUsage` for untrusted data.
 */
export function usageProblem(usage: TokenUsage): string | null {
  if (typeof usage !== 'object' || usage === null)
    return `usage must be an object, got ${describeValue(usage)}`;
  // Fast path with static property reads (a loop over field names is a megamorphic keyed load).
  if (
    isValidCount(usage.inputTokens) &&
    isValidCount(usage.outputTokens) &&
    isAbsentOrValid(usage.cacheReadTokens) &&
    isAbsentOrValid(usage.cacheWriteTokens) &&
    isAbsentOrValid(usage.cacheWrite1hTokens) &&
    isAbsentOrValid(usage.reasoningTokens)
  ) {
    return null;
  }
  for (const field of REQUIRED_FIELDS) {
    const value = usage[field];
    if (value === undefined) return `${field} is missing`;
    if (!isValidCount(value)) return countProblem(field, value);
  }
  for (const field of OPTIONAL_FIELDS) {
    const value = usage[field];
    if (value !== undefined && !isValidCount(value)) return countProblem(field, value);
  }
  return null;
}

/**
 * Validates usage from an untrusted source (an SDK response, a user's `record()` call) and returns
 * a fresh plain `TokenUsage`, or the reason it is unusable. Never throws, even for objects whose
 * getters or proxy traps throw. `null`/`undefined` optional fields are treated as absent.
 */
export function sanitizeUsage(raw: unknown): { usage: TokenUsage } | { invalid: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { invalid: `usage must be an object, got ${describeValue(raw)}` };
  }
  const record = raw as Record<string, unknown>;
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  for (const field of [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS]) {
    let value: unknown;
    try {
      value = record[field];
    } catch (error) {
      return { invalid: `reading ${field} threw: ${errorMessage(error)}` };
    }
    if (value === undefined || value === null) {
      if ((REQUIRED_FIELDS as readonly string[]).includes(field)) return { invalid: `${field} is missing` };
      continue;
    }
    if (!isValidCount(value)) return { invalid: countProblem(field, value) };
    usage[field] = value;
  }
  return { usage };
}

function isAbsentOrValid(value: unknown): boolean {
  return value === undefined || isValidCount(value);
}

function isValidCount(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_TOKENS_PER_FIELD;
}

function countProblem(field: string, value: unknown): string {
  if (typeof value === 'number' && value > MAX_TOKENS_PER_FIELD && value !== Number.POSITIVE_INFINITY) {
    return `${field} is implausibly large (${value} > ${MAX_TOKENS_PER_FIELD}); treating the usage as corrupt`;
  }
  return `${field} must be a finite non-negative number, got ${describeValue(value)}`;
}
