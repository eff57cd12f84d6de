/**
 * Public types of llm-cost-otel. Everything exported here is part of the API; internal shapes
 * live next to the code that uses them.
 */

/**
 * Provider name as in the OTel GenAI semantic conventions (`gen_ai.provider.name`):
 * `openai`, `anthropic`, `gcp.gemini`, `gcp.vertex_ai`, `aws.bedrock`, `azure.ai.openai`,
 * `deepseek`, `x_ai`, … Any other string is accepted and priced through overrides.
 */
export type ProviderName = string;

/**
 * Token counts of one call, **inclusive** as in the OTel GenAI semantic conventions:
 * `inputTokens` includes cache reads and cache writes, `outputTokens` includes reasoning,
 * `cacheWrite1hTokens` is the 1-hour part of `cacheWriteTokens`.
 */
export interface TokenUsage {
  /** All prompt tokens, cached and cache-written ones included. */
  inputTokens: number;
  /** All generated tokens, reasoning included. */
  outputTokens: number;
  /** Prompt tokens served from the provider's cache (part of `inputTokens`). */
  cacheReadTokens?: number;
  /** Prompt tokens written to the cache, all TTLs (part of `inputTokens`). */
  cacheWriteTokens?: number;
  /** The 1-hour-TTL part of `cacheWriteTokens` (Anthropic); the rest is 5-minute writes. */
  cacheWrite1hTokens?: number;
  /** Reasoning/thinking tokens (part of `outputTokens`). */
  reasoningTokens?: number;
}

/** What `normalizeUsage()` returns: inclusive usage plus a provider-reported cost when present. */
export interface NormalizedUsage extends TokenUsage {
  /** Cost the provider reported for the call (e.g. OpenRouter `usage.cost`), USD. */
  costUsd?: number;
}

/**
 * The disjoint billing buckets one call's tokens fall into. They sum to the billable total:
 * `input + cacheRead + cacheWrite5m + cacheWrite1h + output + reasoning`.
 *
 * Six buckets, not the five `TOKEN_TYPES`: 5-minute and 1-hour cache writes are priced apart and
 * counted together as `cache_write`. Rates per bucket (`PriceEntry.ratesPerMTok`) use these same
 * keys; everything per token type (metrics, `CostBreakdown`, summaries) uses `TOKEN_TYPES`. The one
 * conversion is by name (`tokensOfType` in `pricing/buckets.ts`). The camelCase keys are public
 * (`toBuckets()`, `RecordedCall.buckets`) and stay as documented.
 */
export interface UsageBuckets {
  /** Prompt tokens billed at the base input rate. */
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
  /** Generated tokens excluding reasoning. */
  output: number;
  reasoning: number;
}

/**
 * The `llm_token_type` label values, in exposition order: the one tuple every per-token-type
 * record or array (token and cost series, `CostBreakdown`, summary totals) is keyed or indexed by.
 */
export const TOKEN_TYPES = ['input', 'cache_read', 'cache_write', 'output', 'reasoning'] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];

/**
 * USD per `llm_token_type` (cache_write is 5-minute + 1-hour writes). Keyed by `TOKEN_TYPES`, so its
 * snake_case keys are the label values (public: `priceCall()` results, `RecordedCall.breakdown`).
 */
export type CostBreakdown = Record<TokenType, number>;

export type Outcome = 'success' | 'error' | 'aborted';

/** One LLM call as reported to `record()`. */
export interface LLMCall {
  provider: ProviderName;
  /** The model the request asked for (`gen_ai.request.model`). */
  model: string;
  /** The model the provider says answered (`gen_ai.response.model`). */
  responseModel?: string;
  /**
   * The app's own operation (`llm_operation_name` label, `llm.operation.name` on spans), e.g.
   * `analyze_and_plan`. Wins over the context scope's; falls back to the scope, then the
   * configured default, then `apiOperation`.
   */
  operation?: string;
  /** The API operation per semconv (`chat`, `embeddings`, `generate_content`, …) — names the span. */
  apiOperation?: string;
  /**
   * The SDK the call went through, when an instrumentation of ours measured it. With
   * `genAiClientMetrics: 'auto'`, calls through `openai` leave `gen_ai.client.*` to
   * `@opentelemetry/instrumentation-openai` when that is loaded (it records them itself).
   */
  sdk?: 'openai' | 'anthropic' | 'google-genai';
  /** Attributed agent; wins over the context scope's. */
  agent?: string;
  /** Task / correlation id: spans only, never a metric label. */
  task?: string;
  /** Extra dimensions; only allow-listed keys become metric labels. */
  dimensions?: Record<string, string>;
  /** Usage; omit when the provider reported none (counted in `llm_usage_missing_total`). */
  usage?: TokenUsage;
  /** Why usage is absent or partial (`llm_usage_missing_total{reason}`), e.g. `stream_no_usage`. */
  usageMissingReason?: string;
  durationMs?: number;
  outcome?: Outcome;
  /** Error class name for `outcome: 'error'` (`error_type` label). */
  errorType?: string;
  /** Provider-reported cost in USD; wins over the computed price. */
  costUsd?: number;
  /** Service tier the call ran at, as the response reports it (wins over `requestServiceTier`). */
  serviceTier?: string;
  /** Service tier the request asked for; prices the call when the response reports none. */
  requestServiceTier?: string;
  /** When the call happened (selects effective-dated prices); default now. */
  timestamp?: Date | number;
  /**
   * Span to annotate with usage and cost. Default: the active span, if any.
   * Pass `null` to annotate no span.
   */
  span?: import('@opentelemetry/api').Span | null;
}

/** Which catalog entry priced a call. */
export interface PriceEntry {
  /** Catalog provider id the price came from. */
  provider: string;
  /** Catalog model id. */
  model: string;
  /**
   * How the requested name was resolved: `exact` (the catalog lists it), `snapshot` (a dated
   * snapshot of a listed model), `alias` (an `aliasOf` override or a resource path),
   * `override` (a custom price), `approximate` (only a catalog prefix/substring rule accepts it:
   * a sibling's price, counted in `llm_price_approximate_requests_total`).
   */
  matchedBy: 'exact' | 'snapshot' | 'alias' | 'override' | 'approximate';
  /** For `approximate`: the catalog rule that matched, e.g. `starts_with "claude-sonnet-5"`. */
  matchedRule?: string;
  /**
   * `genai-prices` (the catalog), `correction` (our dated, sourced corrections on top of it; see
   * `PRICE_CORRECTIONS`) or `override` (config).
   */
  source: 'genai-prices' | 'correction' | 'override';
  /** Start date (YYYY-MM-DD) of the effective-dated price used; null when the price is undated. */
  priceDate: string | null;
  /**
   * USD per million tokens applied to each billing bucket for this call (after tiers and
   * multipliers), keyed like `UsageBuckets`.
   */
  ratesPerMTok: Record<keyof UsageBuckets, number>;
  /** Input-token threshold of the long-context tier that applied, if any. */
  tierStartTokens?: number;
  /** Discount/markup multiplier applied from an override, if any. */
  multiplier?: number;
  /** Service tier the rates are for (`flex`, `priority`, `batch`, …); absent for the standard tier. */
  serviceTier?: string;
}

export type PriceResult =
  | { priced: true; costUsd: number; breakdown: CostBreakdown; entry: PriceEntry }
  | {
      priced: false;
      reason: 'unknown-model' | 'invalid-usage';
      /** Human-readable explanation. */
      message: string;
      /** Closest known model names, for messages. */
      candidates?: string[];
    };

export interface PriceCallInput {
  provider: ProviderName;
  model: string;
  usage: TokenUsage;
  timestamp?: Date | number;
  /**
   * Service tier the call ran at — the tier the response reports when it reports one (it wins
   * over the request's). `default`/`standard`/`auto` or absent: standard rates.
   */
  serviceTier?: string;
  /** The tier the request asked for; used only when `serviceTier` is absent. */
  requestServiceTier?: string;
}

/**
 * A service-tier price (see `src/pricing/service-tiers.ts`): scales the standard price of a
 * provider's models, or gives one model's published absolute rates for the tier.
 */
export interface ServiceTierRate {
  /** Our provider name (`openai`, `gcp.vertex_ai`) or a catalog provider id (`google`). */
  provider: string;
  /** Tier name as the API reports it (`flex`, `priority`, `batch`, `scale`). */
  tier: string;
  /** Catalog (or override) model id; omitted: every model of the provider. */
  model?: string;
  /** Factor on every bucket's standard rate (0.5 = half price). */
  multiplier?: number;
  /** Per-bucket factors that differ from `multiplier`. */
  bucketMultipliers?: Partial<Record<'input' | 'cacheRead' | 'cacheWrite' | 'output' | 'reasoning', number>>;
  /** Published absolute rates, USD per million tokens, at the base context level. */
  rates?: { input: number; cacheRead?: number; output: number };
  /** Where the figure was published. */
  source?: string;
  /** When it was last checked (YYYY-MM-DD). */
  checked?: string;
}

/** A price override or custom model, from code or a JSON/YAML file. */
export interface PriceOverride {
  /** Provider the entry applies to; `*` for any. */
  provider: string;
  /** Exact model name as callers send it (after snapshot-suffix stripping). */
  model: string;
  /** Price another catalog model instead (alias), e.g. an Azure deployment → `gpt-4o`. */
  aliasOf?: { provider?: string; model: string };
  /** USD per million tokens; a full custom price (all optional except input/output). */
  inputPerMTok?: number;
  outputPerMTok?: number;
  cacheReadPerMTok?: number;
  cacheWritePerMTok?: number;
  cacheWrite1hPerMTok?: number;
  reasoningPerMTok?: number;
  /** Multiplier on whatever price results (negotiated discount: 0.8 = 20 % off). */
  multiplier?: number;
}
