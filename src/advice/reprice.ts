/**
 * Repricing: what an observed token mix (the `llm_token_type` buckets summed over a period) would
 * have cost on other models, and what that comparison silently assumes — said next to each figure.
 *
 * Aggregated tokens are priced with each target's base rates directly, not through
 * `PriceBook.price()`: a week of prompts summed into one "call" would cross every long-context
 * tier. Tiers are a per-call property the metrics do not keep, so they become an assumption.
 */
import { defaultPriceBook, type PriceBook, type RateLevel, type RateTable } from '../pricing/index.js';
import { selectVariant } from '../pricing/rates.js';
import type { CostBreakdown, PriceEntry, TokenType } from '../types.js';
import { isReasoningModel, pricesCacheReads, pricesCacheWrites } from './model-traits.js';
import { priceTimeMs } from './price-time.js';

/** Tokens per `llm_token_type` bucket (disjoint, as in the metrics). */
export type TokenMix = Record<TokenType, number>;

export interface ModelRef {
  /** Our provider name (`openai`, `anthropic`, `gcp.gemini`, …). */
  provider: string;
  model: string;
}

export type AssumptionCode =
  | 'reasoning-onto-non-reasoning'
  | 'reasoning-not-observed'
  | 'cache-reads-at-input-rate'
  | 'cache-writes-at-input-rate'
  | 'cache-writes-at-5m-rate'
  | 'cache-behaviour-differs'
  | 'long-context-tier-base'
  | 'long-context-tier-average';

export interface Assumption {
  code: AssumptionCode;
  /** One line a person can read next to the figure. */
  text: string;
}

export type RepricedTarget =
  | {
      target: ModelRef;
      priced: true;
      costUsd: number;
      breakdown: CostBreakdown;
      /** Baseline − cost; null without a baseline. Negative: the target costs more. */
      savingUsd: number | null;
      /** savingUsd / baseline × 100; null without a (non-zero) baseline. */
      savingPercent: number | null;
      entry: PriceEntry;
      assumptions: Assumption[];
    }
  | { target: ModelRef; priced: false; message: string };

export interface RepriceOptions {
  /** Candidate models. */
  to: readonly ModelRef[];
  /** The model that served the workload: needed for the reasoning and caching assumptions. */
  from?: ModelRef;
  /** What the workload really cost (from `llm_cost_usd_total`). Default: the mix priced on `from`. */
  actualUsd?: number;
  /** Calls in the workload; lets the long-context assumption use the average prompt. */
  requests?: number;
  priceBook?: PriceBook;
  /** Prices in effect at this time (effective-dated prices). Default now. */
  at?: Date | number;
}

export interface Repricing {
  mix: TokenMix;
  from?: ModelRef;
  /** The figure savings are measured against, and where it came from. */
  baselineUsd: number | null;
  baselineSource: 'observed' | 'repriced' | 'none';
  /** Why there is no baseline (the source model is unpriced), when there is none. */
  baselineNote?: string;
  results: RepricedTarget[];
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rate = (usdPerMTok: number) => `$${Number(usdPerMTok.toPrecision(4))}/MTok`;

export function emptyMix(): TokenMix {
  return { input: 0, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 };
}

export function promptTokens(mix: TokenMix): number {
  return mix.input + mix.cache_read + mix.cache_write;
}

/** Base-level rate table of a model at a time, or why it cannot be priced. */
export function ratesOf(
  book: PriceBook,
  ref: ModelRef,
  atMs: number,
): { levels: readonly RateLevel[] } | { message: string } {
  const table = book.resolve(ref.provider, ref.model) as
    | RateTable
    | { kind: 'unknown'; result: { message: string } };
  if (table.kind === 'unknown') return { message: table.result.message };
  return { levels: selectVariant(table.variants, atMs).levels };
}

function priceAt(mix: TokenMix, level: RateLevel): { costUsd: number; breakdown: CostBreakdown } {
  const r = level.rates;
  const breakdown: CostBreakdown = {
    input: (mix.input * r.input) / 1e6,
    cache_read: (mix.cache_read * r.cacheRead) / 1e6,
    // The metrics merge 5-minute and 1-hour writes into one bucket; priced at the 5-minute rate.
    cache_write: (mix.cache_write * r.cacheWrite5m) / 1e6,
    output: (mix.output * r.output) / 1e6,
    reasoning: (mix.reasoning * r.reasoning) / 1e6,
  };
  const costUsd =
    breakdown.input + breakdown.cache_read + breakdown.cache_write + breakdown.output + breakdown.reasoning;
  return { costUsd, breakdown };
}

/** Which tier the mix is priced at, and the sentence that says what that assumes. */
function chooseLevel(
  levels: readonly RateLevel[],
  mix: TokenMix,
  requests: number | undefined,
  name: string,
): { level: RateLevel; assumption?: Assumption } {
  const base = levels[0]!;
  if (levels.length === 1) return { level: base };
  const tier = levels[1]!;
  const average = requests !== undefined && requests > 0 ? promptTokens(mix) / requests : undefined;
  if (average !== undefined && average > tier.startTokens) {
    let level = tier;
    for (const candidate of levels) if (average > candidate.startTokens) level = candidate;
    return {
      level,
      assumption: {
        code: 'long-context-tier-average',
        text: `average prompt ${fmt(average)} tokens is over ${name}'s long-context threshold of ${fmt(level.startTokens)}: every call priced at the long-context rate (input ${rate(level.rates.input)})`,
      },
    };
  }
  return {
    level: base,
    assumption: {
      code: 'long-context-tier-base',
      text: `priced at ${name}'s base rate (input ${rate(base.rates.input)}); calls with prompts over ${fmt(tier.startTokens)} tokens pay ${rate(tier.rates.input)} — per-call prompt sizes are not in the metrics${average !== undefined ? ` (average ${fmt(average)})` : ''}`,
    },
  };
}

function assumptionsFor(
  mix: TokenMix,
  level: RateLevel,
  target: ModelRef,
  entry: PriceEntry,
  from: { ref: ModelRef; entry: PriceEntry } | undefined,
): Assumption[] {
  const out: Assumption[] = [];
  const name = target.model;
  const r = level.rates;
  if (mix.reasoning > 0 && !isReasoningModel(entry.model)) {
    out.push({
      code: 'reasoning-onto-non-reasoning',
      text: `${name} does not reason: the ${fmt(mix.reasoning)} reasoning tokens are priced as output (${rate(r.output)}); it may write fewer tokens, and answer worse`,
    });
  }
  if (mix.reasoning === 0 && from && !isReasoningModel(from.entry.model) && isReasoningModel(entry.model)) {
    out.push({
      code: 'reasoning-not-observed',
      text: `${name} reasons but the observed model did not: its reasoning tokens (billed as output, ${rate(r.reasoning)}) are not in this figure`,
    });
  }
  if (mix.cache_read > 0 && !pricesCacheReads(r)) {
    out.push({
      code: 'cache-reads-at-input-rate',
      text: `${name} has no cached-input price: the ${fmt(mix.cache_read)} cache-read tokens are priced as full input (${rate(r.input)})`,
    });
  }
  if (mix.cache_write > 0 && !pricesCacheWrites(r)) {
    out.push({
      code: 'cache-writes-at-input-rate',
      text: `${name} bills no cache writes: the ${fmt(mix.cache_write)} cache-write tokens are priced as ordinary input (${rate(r.input)})`,
    });
  }
  if (mix.cache_write > 0 && pricesCacheWrites(r) && r.cacheWrite1h !== r.cacheWrite5m) {
    out.push({
      code: 'cache-writes-at-5m-rate',
      text: `cache writes priced at the 5-minute rate (${rate(r.cacheWrite5m)}); 1-hour writes cost ${rate(r.cacheWrite1h)} and the metrics do not separate them`,
    });
  }
  if (
    mix.cache_read + mix.cache_write > 0 &&
    from &&
    from.ref.provider !== target.provider &&
    pricesCacheReads(r)
  ) {
    out.push({
      code: 'cache-behaviour-differs',
      text: `the observed cache hits carry over to ${target.provider}, whose caching works differently (OpenAI and Gemini cache automatically, Anthropic needs cache_control)`,
    });
  }
  return out;
}

/**
 * What `mix` would have cost on each model of `options.to`, with savings against the observed
 * (or the `from`-repriced) cost and the assumptions behind each figure. Unknown models are
 * returned as `priced: false` with the reason — never as $0.
 */
export function repriceWorkload(mix: TokenMix, options: RepriceOptions): Repricing {
  const book = options.priceBook ?? defaultPriceBook();
  const at = priceTimeMs(options.at);
  let from: { ref: ModelRef; entry: PriceEntry } | undefined;
  let fromCost: number | undefined;
  let baselineNote: string | undefined;
  if (options.from) {
    const rates = ratesOf(book, options.from, at);
    if ('levels' in rates) {
      const { level } = chooseLevel(rates.levels, mix, options.requests, options.from.model);
      from = { ref: options.from, entry: level.entry };
      fromCost = priceAt(mix, level).costUsd;
    } else {
      baselineNote = `${options.from.model} has no known price: ${rates.message}`;
    }
  }
  const baselineUsd = options.actualUsd ?? fromCost ?? null;
  const baselineSource =
    options.actualUsd !== undefined ? 'observed' : fromCost !== undefined ? 'repriced' : 'none';
  const results: RepricedTarget[] = options.to.map((target) => {
    const rates = ratesOf(book, target, at);
    if (!('levels' in rates)) return { target, priced: false, message: rates.message };
    const { level, assumption } = chooseLevel(rates.levels, mix, options.requests, target.model);
    const { costUsd, breakdown } = priceAt(mix, level);
    const assumptions = assumptionsFor(mix, level, target, level.entry, from);
    if (assumption) assumptions.push(assumption);
    const savingUsd = baselineUsd === null ? null : baselineUsd - costUsd;
    const savingPercent =
      savingUsd === null || baselineUsd === null || baselineUsd <= 0 ? null : (savingUsd / baselineUsd) * 100;
    return {
      target,
      priced: true,
      costUsd,
      breakdown,
      savingUsd,
      savingPercent,
      entry: level.entry,
      assumptions,
    };
  });
  const repricing: Repricing = { mix, baselineUsd, baselineSource, results };
  if (options.from) repricing.from = options.from;
  if (baselineNote !== undefined && baselineUsd === null) repricing.baselineNote = baselineNote;
  return repricing;
}
