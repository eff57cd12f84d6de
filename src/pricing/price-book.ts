/**
 * The one place a call's cost is computed. `resolve()` does the expensive part (catalog scan,
 * override lookup, rate precomputation) once per (provider, model) and caches the resulting rate
 * table; `price()` — the hot path run for every recorded call — is then two Map lookups, a
 * validity check and six multiplications, allocating only the result and its breakdown
 * (unpriced results are prebuilt and shared).
 *
 * Provider-reported costs (OpenRouter `usage.cost`) win over ours, but that decision belongs to
 * the caller (`record()`), which then does not call `price()` for the total.
 */
import type { PriceCallInput, PriceOverride, PriceResult, ServiceTierRate, UsageBuckets } from '../types.js';
import { emptyBuckets, fillBuckets, usageProblem } from './buckets.js';
import { catalogGeneration, checkBundledData } from './catalog-data.js';
import { PriceConfigError } from './errors.js';
import { MAX_RATE_PER_MTOK } from './limits.js';
import { validatePriceOverrides } from './overrides.js';
import {
  buildRateTable,
  buildScheduledTable,
  type RateTable,
  selectLevel,
  selectVariant,
  tierRateTable,
} from './rates.js';
import { type ModelResolution, ModelResolver } from './resolve.js';
import { BUILTIN_SERVICE_TIERS, normalizeTier, ServiceTierTable } from './service-tiers.js';
import { validateServiceTiers } from './tier-validation.js';

export interface PriceBookOptions {
  /** Custom prices, aliases and discounts; validated in the constructor. Default: none. */
  overrides?: readonly PriceOverride[];
  /** Names where the overrides came from in error messages (a file path). Default `overrides`. */
  overridesSource?: string;
  /**
   * Treat approximate catalog matches (a prefix/substring rule accepting a name the catalog does
   * not list) as unpriced instead of pricing them as the sibling. Default `false`.
   */
  strictPricing?: boolean;
  /**
   * Service-tier prices consulted before the built-in table (`BUILTIN_SERVICE_TIERS`); validated
   * in the constructor. Default none.
   */
  serviceTiers?: readonly ServiceTierRate[];
  /** Price `ollama` / `vllm` calls at $0 (else they are unpriced, with a message saying how). Default `false`. */
  localRuntimesFree?: boolean;
}

export type UnpricedResult = Extract<PriceResult, { priced: false }>;

/** What `resolve()` returns for a name that cannot be priced. */
export interface UnknownModel {
  readonly kind: 'unknown';
  /** The shared, frozen result `price()` returns for this model. */
  readonly result: UnpricedResult;
}

export class PriceBook {
  readonly #resolver: ModelResolver;
  readonly #strict: boolean;
  readonly #tiers: ServiceTierTable;
  readonly #tables = new Map<string, Map<string, RateTable | UnknownModel>>();
  /** Reused by every `price()` call: pricing is synchronous, so one scratch object suffices. */
  readonly #scratch: UsageBuckets = emptyBuckets();

  /** @throws PriceConfigError for an invalid override or an alias whose target cannot be priced. */
  constructor(options: PriceBookOptions = {}) {
    const source = options.overridesSource ?? 'overrides';
    const overrides = validatePriceOverrides(options.overrides ?? [], source);
    this.#strict = options.strictPricing ?? false;
    this.#resolver = new ModelResolver(overrides, {
      strict: this.#strict,
      localRuntimesFree: options.localRuntimesFree ?? false,
    });
    this.#tiers = new ServiceTierTable([
      ...validateServiceTiers(options.serviceTiers ?? [], source),
      ...BUILTIN_SERVICE_TIERS,
    ]);
    overrides.forEach((override, index) => {
      if (!override.aliasOf) return;
      // Resolve aliases now so a typo in a target fails at startup, not on the first call.
      // (Validation guarantees aliasOf.provider when the entry's provider is `*`.)
      const provider = override.provider === '*' ? override.aliasOf.provider! : override.provider;
      const resolution = this.#resolver.resolve(provider, override.model);
      if (resolution.kind === 'unknown') {
        throw new PriceConfigError(
          `${source}: entry ${index} (model "${override.model}"): ${resolution.message}`,
        );
      }
    });
  }

  /**
   * The cached rate table for a model, or why it cannot be priced. Memory is bounded whatever
   * names arrive: known models are bounded by the catalog and the overrides; unknown names are
   * cached up to MAX_CACHED_UNKNOWN, after which each is resolved afresh (no closest-name
   * search, nothing kept), and absurdly long names are refused without any lookup.
   */
  resolve(provider: string, model: string): RateTable | UnknownModel {
    if ((++this.#lookups & 255) === 0) checkBundledData();
    if (this.#generation !== catalogGeneration()) this.#dropResolutions();
    if (model.length > MAX_MODEL_NAME_LENGTH || provider.length > MAX_MODEL_NAME_LENGTH) return TOO_LONG;
    let byModel = this.#tables.get(provider);
    if (!byModel) {
      if (this.#tables.size >= MAX_CACHED_UNKNOWN)
        return tableFor(this.#resolver.resolveTransient(provider, model));
      byModel = new Map();
      this.#tables.set(provider, byModel);
    }
    let table = byModel.get(model);
    if (!table) {
      if (this.#unknownCached >= MAX_CACHED_UNKNOWN) {
        table = tableFor(this.#resolver.resolveTransient(provider, model));
        if (table.kind === 'unknown') return table;
        table = tableFor(this.#resolver.resolve(provider, model));
      } else {
        table = tableFor(this.#resolver.resolve(provider, model));
      }
      if (table.kind === 'unknown') this.#unknownCached++;
      byModel.set(model, table);
    }
    return table;
  }

  #unknownCached = 0;

  /**
   * `table` at a service tier (cached per table under the name as reported): the standard table
   * for standard tiers, the tier's rates from the tier table, else standard rates flagged approximate.
   */
  #atTier(provider: string, model: string, table: RateTable, tierName: string): RateTable | UnknownModel {
    const cached = table.atTier.get(tierName) as RateTable | UnknownModel | undefined;
    if (cached) return cached;
    const tier = normalizeTier(tierName);
    if (tier === null) return this.#remember(table, tierName, table);
    const entry = table.variants[0]!.levels[0]!.entry;
    const keys = [provider.trim().toLowerCase(), entry.provider.toLowerCase(), '*'];
    const price = this.#tiers.find(keys, tier, entry.model);
    let result: RateTable | UnknownModel;
    if (price) {
      result = tierRateTable(table, tier, price);
    } else if (this.#strict) {
      result = unknown(
        `no price for ${provider} model "${model}" at service tier "${tier}" (the tier table has none for ${entry.provider}/${entry.model}), and strictPricing treats standard rates as unpriced. Add a prices.serviceTiers entry to price it.`,
        [],
      );
    } else {
      result = tierRateTable(table, tier, null, {
        matchedBy: 'approximate',
        matchedRule: `service tier "${tier}" has no price for ${entry.provider}/${entry.model}: standard rates`,
      });
    }
    return this.#remember(table, tierName, result);
  }

  #remember(table: RateTable, tierName: string, result: RateTable | UnknownModel): RateTable | UnknownModel {
    if (table.atTier.size < MAX_TIERS_PER_MODEL) table.atTier.set(tierName, result);
    return result;
  }

  #lookups = 0;
  #generation = catalogGeneration();

  /** The catalog data changed: what was resolved from the old data is forgotten. */
  #dropResolutions(): void {
    this.#generation = catalogGeneration();
    this.#tables.clear();
    this.#unknownCached = 0;
    this.#resolver.clear();
  }

  /**
   * Cost of one call. Unknown models and invalid usage return `priced: false` (never $0).
   * Inconsistent usage (a part larger than its whole) is priced with the parts winning; see
   * `toBucketsChecked`. An invalid `timestamp` prices at the current time.
   */
  price(input: PriceCallInput): PriceResult {
    let table = this.resolve(input.provider, input.model);
    if (table.kind === 'unknown') return table.result;
    const tierName = input.serviceTier ?? input.requestServiceTier;
    if (tierName !== undefined) {
      table = this.#atTier(input.provider, input.model, table, tierName);
      if (table.kind === 'unknown') return table.result;
    }
    const problem = usageProblem(input.usage);
    if (problem !== null) {
      return { priced: false, reason: 'invalid-usage', message: `cannot price ${input.model}: ${problem}` };
    }
    const b = this.#scratch;
    fillBuckets(input.usage, b);
    const variants = table.variants;
    const variant = variants.length === 1 ? variants[0]! : selectVariant(variants, timeMs(input.timestamp));
    // Long-context tiers look at the whole prompt, cache reads and writes included.
    const level = selectLevel(variant.levels, b.input + b.cacheRead + b.cacheWrite5m + b.cacheWrite1h);
    const r = level.rates;
    const inputUsd = (b.input * r.input) / 1e6;
    const cacheReadUsd = (b.cacheRead * r.cacheRead) / 1e6;
    const cacheWriteUsd = (b.cacheWrite5m * r.cacheWrite5m) / 1e6 + (b.cacheWrite1h * r.cacheWrite1h) / 1e6;
    const outputUsd = (b.output * r.output) / 1e6;
    const reasoningUsd = (b.reasoning * r.reasoning) / 1e6;
    return {
      priced: true,
      costUsd: inputUsd + cacheReadUsd + cacheWriteUsd + outputUsd + reasoningUsd,
      breakdown: {
        input: inputUsd,
        cache_read: cacheReadUsd,
        cache_write: cacheWriteUsd,
        output: outputUsd,
        reasoning: reasoningUsd,
      },
      entry: level.entry,
    };
  }
}

/** Distinct service tiers cached per model (tier names come from responses: bounded). */
const MAX_TIERS_PER_MODEL = 8;

/** Model names longer than this are not model names: refused without a catalog lookup. */
export const MAX_MODEL_NAME_LENGTH = 256;
/** Unknown (provider, model) resolutions kept in the cache, per PriceBook. */
export const MAX_CACHED_UNKNOWN = 1000;

const TOO_LONG: UnknownModel = Object.freeze({
  kind: 'unknown',
  result: Object.freeze({
    priced: false,
    reason: 'unknown-model',
    message: `model name longer than ${MAX_MODEL_NAME_LENGTH} characters`,
  }) as UnpricedResult,
});

let shared: PriceBook | undefined;

/** The process-wide PriceBook with the bundled catalog and no overrides (created on first use). */
export function defaultPriceBook(): PriceBook {
  shared ??= new PriceBook();
  return shared;
}

/** Prices a call with the default PriceBook. Use your own `PriceBook` to apply overrides. */
export function priceCall(input: PriceCallInput): PriceResult {
  return defaultPriceBook().price(input);
}

/**
 * The rate table for a resolution, refused when a rate is not a sane price (multipliers along an
 * alias chain can compound past any real price; a downloaded catalog can hold anything).
 */
function tableFor(resolution: ModelResolution): RateTable | UnknownModel {
  const table = rawTableFor(resolution);
  if (table.kind === 'unknown') return table;
  for (const variant of table.variants) {
    for (const level of variant.levels) {
      for (const rate of Object.values(level.rates)) {
        if (!(rate >= 0 && rate <= MAX_RATE_PER_MTOK)) {
          return unknown(
            `price of ${level.entry.provider}/${level.entry.model} is ${rate} USD per million tokens after multipliers, above ${MAX_RATE_PER_MTOK} USD per million tokens (or not a number); check the overrides`,
            [],
          );
        }
      }
    }
  }
  return table;
}

function rawTableFor(resolution: ModelResolution): RateTable | UnknownModel {
  if (resolution.kind === 'unknown') return unknown(resolution.message, resolution.candidates);
  const meta = {
    matchedBy: resolution.matchedBy,
    multiplier: resolution.multiplier,
  };
  if (resolution.kind === 'correction') {
    return buildScheduledTable(resolution.correction.prices, {
      ...meta,
      provider: resolution.provider,
      model: resolution.correction.model,
      source: 'correction',
      ...(resolution.rule !== undefined ? { matchedRule: resolution.rule } : {}),
    });
  }
  const table =
    resolution.kind === 'catalog'
      ? buildRateTable(resolution.match.model.prices, {
          ...meta,
          provider: resolution.match.providerId,
          model: resolution.match.model.id,
          source: 'genai-prices',
          ...(resolution.matchedBy === 'approximate' ? { matchedRule: resolution.match.rule } : {}),
        })
      : buildRateTable(
          {
            input_mtok: resolution.override.inputPerMTok,
            output_mtok: resolution.override.outputPerMTok,
            cache_read_mtok: resolution.override.cacheReadPerMTok,
            cache_write_mtok: resolution.override.cacheWritePerMTok,
            cache_write_1h_mtok: resolution.override.cacheWrite1hPerMTok,
            output_reasoning_mtok: resolution.override.reasoningPerMTok,
          },
          { ...meta, provider: resolution.provider, model: resolution.model, source: 'override' },
        );
  return typeof table === 'string' ? unknown(table, []) : table;
}

function unknown(message: string, candidates: string[]): UnknownModel {
  const result: UnpricedResult = { priced: false, reason: 'unknown-model', message };
  if (candidates.length > 0) result.candidates = Object.freeze([...candidates]) as string[];
  return Object.freeze({ kind: 'unknown', result: Object.freeze(result) });
}

function timeMs(timestamp: Date | number | undefined): number {
  const ms =
    timestamp === undefined ? Number.NaN : typeof timestamp === 'number' ? timestamp : timestamp.getTime();
  return Number.isFinite(ms) ? ms : Date.now();
}
