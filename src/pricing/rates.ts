/**
 * Precomputed rate tables: a catalog or override price turned, once, into everything the hot path
 * needs — per-bucket USD/MTok rates for each effective-dated variant and each long-context tier,
 * with the `PriceEntry` already built, so pricing a call is a lookup plus six multiplications.
 *
 * Rules (mirroring genai-prices where it has one):
 * - Variants: a model's `prices` may be a list of conditional prices. The **last** variant whose
 *   constraint holds wins (`start_date`: call time ≥ that UTC midnight; `time_of_date`: UTC
 *   window, may wrap midnight); an unconstrained variant always holds; if none hold, the first.
 * - Tiers: a tiered key's rate is `tier.price` for every tier with `prompt > tier.start`, where
 *   prompt is the **total input including cache reads and writes**; the rate applies to the whole
 *   request (all its tokens), not just the tokens past the threshold. At exactly `start` the base
 *   rate still applies. Every bucket switches on the same prompt count, so the tier starts of all
 *   keys are merged into levels.
 * - Missing keys: cache reads and 5-minute writes fall back to the input rate (what genai-prices
 *   does: unpriced cache tokens stay in `input_tokens`); reasoning falls back to the output rate
 *   (providers bill reasoning as output); 1-hour writes use `cache_write_1h_mtok`, else 2× the
 *   input rate when the entry prices cache writes at all (Anthropic's published rule: 1-hour
 *   writes cost 2× base input), else the input rate.
 */
import type { ConditionalPrice, ModelPrice, Tier } from '@pydantic/genai-prices';
import type { PriceEntry, ServiceTierRate } from '../types.js';
import { BILLING_BUCKETS } from './buckets.js';

/** USD per million tokens for each disjoint billing bucket (keyed like `UsageBuckets`). */
export type BucketRates = PriceEntry['ratesPerMTok'];

export interface RateLevel {
  /** The level applies when the prompt has more than this many tokens (-1 for the base level). */
  readonly startTokens: number;
  readonly rates: Readonly<BucketRates>;
  /** Shared, frozen: returned as-is in every result priced at this level. */
  readonly entry: Readonly<PriceEntry>;
}

export type VariantCondition =
  | { kind: 'always' }
  | { kind: 'from'; startMs: number }
  | { kind: 'time-of-day'; startSecond: number; endSecond: number }
  | {
      /** Corrections: a date range, weekdays and a UTC time window, each optional. */
      kind: 'scheduled';
      fromMs: number;
      untilMs: number;
      /** UTC days of the week (0 = Sunday); null = every day. */
      days: readonly number[] | null;
      /** UTC window; null = all day. */
      window: { startSecond: number; endSecond: number } | null;
    };

/** A price under a condition: what corrections are built from. */
export interface ScheduledPrice {
  when: VariantCondition;
  prices: ModelPrice;
}

export interface RateVariant {
  readonly when: VariantCondition;
  /** Ascending by `startTokens`; `levels[0]` is the base level. */
  readonly levels: readonly RateLevel[];
}

export interface RateTable {
  readonly kind: 'rates';
  /**
   * This table at each service tier seen, keyed by the tier name as reported (filled by the
   * PriceBook; a Map inside the frozen table so the hot path is one lookup).
   */
  readonly atTier: Map<string, object>;
  readonly variants: readonly RateVariant[];
}

/** Entry metadata common to every variant and level of one resolved model. */
export type EntryMeta = Pick<PriceEntry, 'provider' | 'model' | 'matchedBy' | 'matchedRule' | 'source'> & {
  multiplier: number;
};

/** Builds the table, or returns why the price cannot be used for token billing. */
export function buildRateTable(prices: ModelPrice | ConditionalPrice[], meta: EntryMeta): RateTable | string {
  const conditional: ConditionalPrice[] = Array.isArray(prices) ? prices : [{ prices }];
  if (conditional.length === 0) return `catalog entry "${meta.model}" has no prices`;
  const variants: RateVariant[] = [];
  for (const { constraint, prices: price } of conditional) {
    // An empty price is how the catalog declares a free model (Gemma on the Gemini API, OpenRouter
    // `:free`): every rate 0, explicitly — unlike an entry that prices only other units.
    const free = Object.keys(price).length === 0;
    if (!free && price['input_mtok'] === undefined && price['output_mtok'] === undefined) {
      return `catalog entry "${meta.model}" has no per-token prices`;
    }
    let when: VariantCondition = { kind: 'always' };
    let priceDate: string | null = null;
    if (constraint?.type === 'start_date') {
      when = { kind: 'from', startMs: Date.parse(`${constraint.start_date}T00:00:00Z`) };
      priceDate = constraint.start_date;
    } else if (constraint?.type === 'time_of_date') {
      when = {
        kind: 'time-of-day',
        startSecond: secondOfDay(constraint.start_time),
        endSecond: secondOfDay(constraint.end_time),
      };
    }
    variants.push({ when, levels: buildLevels(price, meta, priceDate) });
  }
  return Object.freeze({ kind: 'rates', variants: Object.freeze(variants), atTier: new Map() });
}

/** A table from scheduled prices (corrections); same rules as `buildRateTable`. */
export function buildScheduledTable(prices: readonly ScheduledPrice[], meta: EntryMeta): RateTable {
  const variants = prices.map(({ when, prices: price }) => ({
    when,
    levels: buildLevels(price, meta, null),
  }));
  return Object.freeze({ kind: 'rates', variants: Object.freeze(variants), atTier: new Map() });
}

/** Which variant prices a call made at `timeMs` (see the module comment). */
export function selectVariant(variants: readonly RateVariant[], timeMs: number): RateVariant {
  for (let i = variants.length - 1; i >= 0; i--) {
    const variant = variants[i]!;
    const when = variant.when;
    if (when.kind === 'always') return variant;
    if (when.kind === 'from') {
      if (timeMs >= when.startMs) return variant;
      continue;
    }
    if (when.kind === 'scheduled') {
      if (timeMs < when.fromMs || timeMs >= when.untilMs) continue;
      if (when.days !== null && !when.days.includes(new Date(timeMs).getUTCDay())) continue;
      if (when.window !== null && !inWindow(timeMs, when.window.startSecond, when.window.endSecond)) continue;
      return variant;
    }
    if (inWindow(timeMs, when.startSecond, when.endSecond)) return variant;
  }
  return variants[0]!;
}

/** Whether `timeMs` falls in the UTC time-of-day window (which may wrap midnight). */
function inWindow(timeMs: number, startSecond: number, endSecond: number): boolean {
  const second = (((timeMs % 86_400_000) + 86_400_000) % 86_400_000) / 1000;
  return endSecond < startSecond
    ? second >= startSecond || second < endSecond
    : second >= startSecond && second < endSecond;
}

/** The highest level whose threshold the prompt passes (strictly greater). */
export function selectLevel(levels: readonly RateLevel[], promptTokens: number): RateLevel {
  let level = levels[0]!;
  for (let i = 1; i < levels.length; i++) {
    const candidate = levels[i]!;
    if (promptTokens > candidate.startTokens) level = candidate;
  }
  return level;
}

/**
 * The table for a call at a service tier: every level's rates scaled by the tier's factors
 * (`entry` may override the entry fields, e.g. flag a missing tier price as approximate).
 * With published absolute `rates`, the base level takes them as given and longer-context levels
 * are scaled by the same ratio to the standard base rate.
 */
export function tierRateTable(
  table: RateTable,
  tier: string,
  price: ServiceTierRate | null,
  entry: Partial<PriceEntry> = {},
): RateTable {
  const variants = table.variants.map((variant): RateVariant => {
    const base = variant.levels[0]!.rates;
    const factors = tierFactors(price, base);
    const levels = variant.levels.map((level, index): RateLevel => {
      const rates: BucketRates = { ...level.rates };
      for (const bucket of BILLING_BUCKETS) rates[bucket] *= factors[bucket];
      if (index === 0 && price?.rates) {
        rates.input = price.rates.input;
        rates.output = price.rates.output;
        if (price.rates.cacheRead !== undefined) rates.cacheRead = price.rates.cacheRead;
      }
      Object.freeze(rates);
      const tiered: PriceEntry = { ...level.entry, ...entry, serviceTier: tier, ratesPerMTok: rates };
      return { startTokens: level.startTokens, rates, entry: Object.freeze(tiered) };
    });
    return { when: variant.when, levels: Object.freeze(levels) };
  });
  return Object.freeze({ kind: 'rates', variants: Object.freeze(variants), atTier: new Map() });
}

function tierFactors(price: ServiceTierRate | null, base: Readonly<BucketRates>): BucketRates {
  if (price === null) {
    return { input: 1, cacheRead: 1, cacheWrite5m: 1, cacheWrite1h: 1, output: 1, reasoning: 1 };
  }
  if (price.rates) {
    const ratio = (tierRate: number, standard: number) => (standard > 0 ? tierRate / standard : 1);
    const input = ratio(price.rates.input, base.input);
    const output = ratio(price.rates.output, base.output);
    const cacheRead =
      price.rates.cacheRead === undefined ? input : ratio(price.rates.cacheRead, base.cacheRead);
    return { input, cacheRead, cacheWrite5m: input, cacheWrite1h: input, output, reasoning: output };
  }
  const m = price.multiplier ?? 1;
  const b = price.bucketMultipliers ?? {};
  return {
    input: b.input ?? m,
    cacheRead: b.cacheRead ?? m,
    cacheWrite5m: b.cacheWrite ?? m,
    cacheWrite1h: b.cacheWrite ?? m,
    output: b.output ?? m,
    reasoning: b.reasoning ?? b.output ?? m,
  };
}

function buildLevels(price: ModelPrice, meta: EntryMeta, priceDate: string | null): RateLevel[] {
  const starts = new Set<number>([-1]);
  for (const value of Object.values(price)) {
    if (isTiered(value)) for (const tier of value.tiers) starts.add(tier.start);
  }
  return [...starts]
    .sort((a, b) => a - b)
    .map((startTokens) => {
      const rates = Object.freeze(ratesAt(price, startTokens, meta.multiplier));
      const entry: PriceEntry = {
        provider: meta.provider,
        model: meta.model,
        matchedBy: meta.matchedBy,
        source: meta.source,
        priceDate,
        ratesPerMTok: rates,
      };
      if (meta.matchedRule !== undefined) entry.matchedRule = meta.matchedRule;
      if (startTokens >= 0) entry.tierStartTokens = startTokens;
      if (meta.multiplier !== 1) entry.multiplier = meta.multiplier;
      return { startTokens, rates, entry: Object.freeze(entry) };
    });
}

function ratesAt(price: ModelPrice, levelStart: number, multiplier: number): BucketRates {
  const key = (name: string): number | undefined => rateAt(price[name], levelStart);
  const input = key('input_mtok') ?? 0;
  const cacheWrite = key('cache_write_mtok');
  const output = key('output_mtok') ?? 0;
  const rates: BucketRates = {
    input,
    cacheRead: key('cache_read_mtok') ?? input,
    cacheWrite5m: cacheWrite ?? input,
    cacheWrite1h: key('cache_write_1h_mtok') ?? (cacheWrite === undefined ? input : 2 * input),
    output,
    reasoning: key('output_reasoning_mtok') ?? output,
  };
  if (multiplier !== 1) {
    for (const bucket of BILLING_BUCKETS) rates[bucket] *= multiplier;
  }
  return rates;
}

function rateAt(value: ModelPrice[string], levelStart: number): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  let rate = value.base;
  for (const tier of sortedTiers(value.tiers)) if (levelStart >= tier.start) rate = tier.price;
  return rate;
}

function isTiered(value: ModelPrice[string]): value is { base: number; tiers: Tier[] } {
  return typeof value === 'object' && value !== null && Array.isArray(value.tiers);
}

function sortedTiers(tiers: readonly Tier[]): Tier[] {
  return [...tiers].sort((a, b) => a.start - b.start);
}

/** `HH:MM:SS[.fff](Z|±HH:MM)` → UTC second of day, as genai-prices parses time-of-day constraints. */
function secondOfDay(time: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(time);
  if (!match) return 0;
  const local =
    Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) + Number(`0.${match[4] ?? ''}`);
  const offset =
    match[5] === 'Z' ? 0 : (match[6] === '+' ? 1 : -1) * (Number(match[7]) * 60 + Number(match[8])) * 60;
  return (local - offset + 86_400) % 86_400;
}
