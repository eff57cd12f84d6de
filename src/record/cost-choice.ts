/**
 * Which cost a call gets, and from where: a provider-reported cost wins (when believable);
 * otherwise the price catalog, by the response model first (the exact snapshot that answered),
 * then the request model. Every doubt about the number is counted and said once: an unbelievable
 * reported cost, a sibling's approximate price, a response model priced differently from the
 * request model, a long-context tier crossed, no price at all.
 */
import { notice, OnceWarner } from '../diag.js';
import type { MetricFamilies } from '../metrics/families.js';
import { tokensOfType } from '../pricing/buckets.js';
import type { PriceBook } from '../pricing/price-book.js';
import {
  type CostBreakdown,
  type LLMCall,
  type PriceEntry,
  TOKEN_TYPES,
  type TokenUsage,
  type UsageBuckets,
} from '../types.js';
import { cleanLabelValue } from './labels.js';
import { countUsageMissing } from './usage-check.js';

/** A prompt at most this factor over a long-context tier's threshold crossed it by a small margin. */
const TIER_SMALL_MARGIN = 1.1;
/** No single call costs a million dollars; a larger reported cost is corrupt data. */
const MAX_REPORTED_COST_USD = 1_000_000;

export interface CostChoice {
  /** USD for this call; undefined when it could not be priced (or had no usage and no reported cost). */
  costUsd?: number;
  costSource?: 'provider' | 'local';
  breakdown?: CostBreakdown;
  /** What the cache reads saved against the input rate, USD; added to the metric only when positive. */
  cacheSavingsUsd: number;
  /** The catalog entry that priced the call locally, if one did. */
  priceEntry?: PriceEntry;
}

/** What prices a call: its own fields (not its labels, which may be `__overflow__` past the cap). */
export interface CostInput {
  provider: string;
  model: string;
  responseModel?: string;
  serviceTier?: string;
  requestServiceTier?: string;
  timestamp: LLMCall['timestamp'];
  reportedCostUsd: unknown;
  usage?: TokenUsage;
  buckets?: UsageBuckets;
}

export interface CostChooserOptions {
  metricFamilies: MetricFamilies;
  priceBook: PriceBook;
  /** Shared with the recorder's other one-time warnings about bad input. */
  warner: OnceWarner;
}

export class CostChooser {
  private readonly unpricedWarner = new OnceWarner();
  private readonly approximateSaid = new Set<string>();

  constructor(private readonly options: CostChooserOptions) {}

  /** `labels`: the row's label values (provider and model first), for counting and messages. */
  choose(labels: readonly string[], input: CostInput): CostChoice {
    const reported = input.reportedCostUsd;
    const hasReported =
      typeof reported === 'number' &&
      Number.isFinite(reported) &&
      reported >= 0 &&
      reported <= MAX_REPORTED_COST_USD;
    if (reported !== undefined && !hasReported) {
      // A reported cost we cannot believe is counted, and the call is priced from usage instead.
      countUsageMissing(this.options.metricFamilies, labels, 'invalid_cost');
      this.options.warner.warn(
        `cost\u0000${labels[0]}\u0000${labels[1]}`,
        `ignored a provider-reported cost for ${labels[0]}/${labels[1]} (not a number of USD from 0 to ${MAX_REPORTED_COST_USD}); counted in llm_usage_missing_total{reason="invalid_cost"}`,
      );
    }
    const { usage, buckets } = input;
    if (usage === undefined || buckets === undefined) {
      if (!hasReported) return { cacheSavingsUsd: 0 };
      return {
        costUsd: reported,
        costSource: 'provider',
        breakdown: { input: reported, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 },
        cacheSavingsUsd: 0,
      };
    }
    const choice = this.priceLocally(labels, input, usage);
    if (!hasReported && choice.costUsd === undefined) this.unpriced(labels, choice.unpricedMessage);
    if (hasReported) {
      choice.breakdown = scaleBreakdown(choice.breakdown, buckets, reported);
      choice.costUsd = reported;
      choice.costSource = 'provider';
    } else if (choice.priceEntry?.matchedBy === 'approximate') {
      this.approximatePrice(labels, choice.priceEntry);
    }
    return choice;
  }

  /** The catalog's price: response model first, then the request model; unpriced is counted. */
  private priceLocally(
    labels: readonly string[],
    input: CostInput,
    usage: TokenUsage,
  ): CostChoice & { unpricedMessage?: string } {
    const o = this.options;
    const { provider, model, responseModel, timestamp, serviceTier, requestServiceTier } = input;
    // The response model is the exact snapshot that answered: it prices the call when known.
    let priced =
      responseModel !== undefined
        ? o.priceBook.price({
            provider,
            model: responseModel,
            usage,
            timestamp,
            serviceTier,
            requestServiceTier,
          })
        : undefined;
    if (priced === undefined || !priced.priced) {
      priced = o.priceBook.price({ provider, model, usage, timestamp, serviceTier, requestServiceTier });
    } else if (responseModel !== model) {
      this.checkModelMismatch(labels, input, responseModel!, priced.costUsd, usage);
    }
    if (!priced.priced) return { cacheSavingsUsd: 0, unpricedMessage: priced.message };
    const rates = priced.entry.ratesPerMTok;
    const saved = ((usage.cacheReadTokens ?? 0) * (rates.input - rates.cacheRead)) / 1e6;
    const tierStart = priced.entry.tierStartTokens;
    if (tierStart !== undefined) {
      // The tier's rate applies to the whole prompt: say how far past the threshold it went.
      const margin = usage.inputTokens <= tierStart * TIER_SMALL_MARGIN ? 'small' : 'large';
      o.metricFamilies.tierCrossing.at([labels[0]!, labels[1]!, labels[2]!, margin]).add(1);
    }
    return {
      costUsd: priced.costUsd,
      costSource: 'local',
      breakdown: priced.breakdown,
      cacheSavingsUsd: saved,
      priceEntry: priced.entry,
    };
  }

  /** No cost at all for a call with usage: counted, and said once per model. */
  private unpriced(labels: readonly string[], why: string | undefined): void {
    this.options.metricFamilies.unpriced.at([labels[0]!, labels[1]!]).add(1);
    this.unpricedWarner.warn(
      `${labels[0]}\u0000${labels[1]}`,
      `no price for ${labels[0]} model "${labels[1]}": no cost added (counted in llm_unpriced_requests_total). ${why ?? ''} Add a price override to price it.`,
    );
  }

  /** A sibling's price was used: counted per matched model, and said once per model. */
  private approximatePrice(labels: readonly string[], entry: PriceEntry): void {
    const matched = `${entry.provider}/${entry.model}`;
    const key = `${labels[0]}\u0000${labels[1]}\u0000${matched}`;
    this.options.metricFamilies.priceApproximate.at([labels[0]!, labels[1]!, matched]).add(1);
    // Said once per (provider, model, rule) from here, so the hot path builds no message per call.
    const noticeKey = `${key}\u0000${entry.matchedRule}`;
    if (this.approximateSaid.has(noticeKey) || this.approximateSaid.size >= 1000) return;
    this.approximateSaid.add(noticeKey);
    const why =
      entry.serviceTier !== undefined && entry.matchedRule?.startsWith('service tier')
        ? `at ${entry.matchedRule}`
        : `is not in the price catalog; priced as ${matched} (catalog rule ${entry.matchedRule ?? '?'})`;
    notice(
      `approximate\u0000${noticeKey}`,
      `${labels[0]} model "${labels[1]}" ${why}, counted in llm_price_approximate_requests_total. Add an aliasOf override (or a prices.serviceTiers entry) to confirm it, a custom price to correct it, or set strictPricing to treat it as unpriced.`,
    );
  }

  /**
   * The response model answered and was priced; metrics stay labelled by the request model. When
   * the request model prices the same usage differently, that is counted and said once: the
   * label's model is not the one the cost came from.
   */
  private checkModelMismatch(
    labels: readonly string[],
    input: CostInput,
    responseModel: string,
    costUsd: number,
    usage: TokenUsage,
  ): void {
    const o = this.options;
    const asRequested = o.priceBook.price({
      provider: labels[0]!,
      model: input.model,
      usage,
      timestamp: input.timestamp,
      serviceTier: input.serviceTier,
    });
    if (!asRequested.priced || Math.abs(asRequested.costUsd - costUsd) <= 1e-12 * Math.max(1, costUsd))
      return;
    const response = cleanLabelValue(responseModel, 'unknown');
    o.metricFamilies.modelMismatch.at([labels[0]!, labels[1]!, response]).add(1);
    o.warner.warn(
      `mismatch\u0000${labels[0]}\u0000${labels[1]}\u0000${response}`,
      `${labels[0]} answered a request for "${labels[1]}" with "${response}", which is priced differently: the cost is the response model's, the labels the request model's (counted in llm_model_mismatch_total)`,
    );
  }
}

/**
 * Spread a provider-reported total over the token types: in proportion to our own price
 * breakdown when we have one, else to the token counts, else all on `input`.
 */
function scaleBreakdown(
  local: CostBreakdown | undefined,
  buckets: UsageBuckets,
  total: number,
): CostBreakdown {
  const weights = { input: 0, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 } as CostBreakdown;
  let sum = 0;
  for (const type of TOKEN_TYPES) {
    weights[type] = local ? local[type] : tokensOfType(buckets, type);
    sum += weights[type];
  }
  if (!(sum > 0)) return { input: total, cache_read: 0, cache_write: 0, output: 0, reasoning: 0 };
  const f = total / sum;
  for (const type of TOKEN_TYPES) weights[type] *= f;
  return weights;
}
