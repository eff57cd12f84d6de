/**
 * The metric contract: Prometheus exposition names, OTel instrument names and label names.
 * Dashboards, alert rules and tests import these constants; change one and they all follow.
 *
 * OTel instrument names end in their unit word and carry brace units (`{USD}`, `{token}`), so the
 * in-process exporter and an OTLP → Collector → Prometheus pipeline expose the same names.
 */
import { VERSION } from '../version.js';

export const METRIC = {
  costUsd: 'llm_cost_usd_total',
  tokens: 'llm_tokens_total',
  requests: 'llm_requests_total',
  requestCostUsd: 'llm_request_cost_usd',
  requestDurationSeconds: 'llm_request_duration_seconds',
  unpricedRequests: 'llm_unpriced_requests_total',
  usageMissing: 'llm_usage_missing_total',
  budgetSpendUsd: 'llm_budget_spend_usd_total',
  budgetLimitUsd: 'llm_budget_limit_usd',
  cacheSavingsUsd: 'llm_cache_savings_usd_total',
  seriesOverflow: 'llm_series_overflow_total',
  implausibleUsage: 'llm_usage_implausible_total',
  modelMismatch: 'llm_model_mismatch_total',
  tierCrossingRequests: 'llm_tier_crossing_requests_total',
  genAiTokenUsage: 'gen_ai_client_token_usage',
  genAiOperationDuration: 'gen_ai_client_operation_duration',
  priceApproximateRequests: 'llm_price_approximate_requests_total',
  priceCatalogTimestamp: 'llm_price_catalog_timestamp_seconds',
  budgetThresholdRatio: 'llm_budget_threshold_ratio',
  buildInfo: 'llm_cost_build_info',
  agentRuns: 'llm_agent_runs_total',
  agentRunCostUsd: 'llm_agent_run_cost_usd',
  agentRunDurationSeconds: 'llm_agent_run_duration_seconds',
  agentRunLlmCalls: 'llm_agent_run_llm_calls',
  agentBaselineCostPerSuccessUsd: 'llm_agent_baseline_cost_per_success_usd',
} as const;

/**
 * Families only a cluster primary (`registerClusterPrimary`) exposes. Kept apart from `METRIC`,
 * which lists what every app exposes (dashboards are checked to cover all of `METRIC`).
 */
export const CLUSTER_METRIC = {
  workers: 'llm_cluster_workers',
  workersUnresponsive: 'llm_cluster_workers_unresponsive',
  /** Worker series the primary merged into an overflow series at the last scrape (its cap was reached). */
  seriesMerged: 'llm_cluster_series_merged',
} as const;

/** OTel instrument name and unit for each family (what OTLP export carries). */
export const OTEL_NAMES: Record<keyof typeof METRIC, { name: string; unit: string }> = {
  costUsd: { name: 'llm.cost.usd', unit: '{USD}' },
  tokens: { name: 'llm.tokens', unit: '{token}' },
  requests: { name: 'llm.requests', unit: '{request}' },
  requestCostUsd: { name: 'llm.request.cost.usd', unit: '{USD}' },
  requestDurationSeconds: { name: 'llm.request.duration.seconds', unit: '{second}' },
  unpricedRequests: { name: 'llm.unpriced.requests', unit: '{request}' },
  usageMissing: { name: 'llm.usage.missing', unit: '{request}' },
  budgetSpendUsd: { name: 'llm.budget.spend.usd', unit: '{USD}' },
  budgetLimitUsd: { name: 'llm.budget.limit.usd', unit: '{USD}' },
  cacheSavingsUsd: { name: 'llm.cache.savings.usd', unit: '{USD}' },
  seriesOverflow: { name: 'llm.series.overflow', unit: '{record}' },
  implausibleUsage: { name: 'llm.usage.implausible', unit: '{request}' },
  modelMismatch: { name: 'llm.model.mismatch', unit: '{request}' },
  tierCrossingRequests: { name: 'llm.tier.crossing.requests', unit: '{request}' },
  genAiTokenUsage: { name: 'gen_ai.client.token.usage', unit: '{token}' },
  genAiOperationDuration: { name: 'gen_ai.client.operation.duration', unit: 's' },
  priceApproximateRequests: { name: 'llm.price.approximate.requests', unit: '{request}' },
  priceCatalogTimestamp: { name: 'llm.price.catalog.timestamp.seconds', unit: '{second}' },
  budgetThresholdRatio: { name: 'llm.budget.threshold.ratio', unit: '{ratio}' },
  buildInfo: { name: 'llm.cost.build.info', unit: '{info}' },
  agentRuns: { name: 'llm.agent.runs', unit: '{run}' },
  agentRunCostUsd: { name: 'llm.agent.run.cost.usd', unit: '{USD}' },
  agentRunDurationSeconds: { name: 'llm.agent.run.duration.seconds', unit: '{second}' },
  agentRunLlmCalls: { name: 'llm.agent.run.llm_calls', unit: '{call}' },
  agentBaselineCostPerSuccessUsd: { name: 'llm.agent.baseline.cost_per_success.usd', unit: '{USD}' },
};

export const LABEL = {
  provider: 'gen_ai_provider_name',
  model: 'gen_ai_request_model',
  responseModel: 'gen_ai_response_model',
  agent: 'gen_ai_agent_name',
  /** The API operation, GenAI semconv values only: `chat`, `embeddings`, `generate_content`, … */
  operation: 'gen_ai_operation_name',
  /** The app's own operation (`plan`, `analyze_and_plan`); the API operation when the app names none. */
  appOperation: 'llm_operation_name',
  tokenType: 'llm_token_type',
  genAiTokenType: 'gen_ai_token_type',
  outcome: 'llm_outcome',
  errorType: 'error_type',
  reason: 'reason',
  budgetName: 'llm_budget_name',
  budgetWindow: 'llm_budget_window',
  metric: 'metric',
  matchedModel: 'llm_matched_model',
  budgetThreshold: 'llm_budget_threshold',
  version: 'version',
  /** How an agent run ended: `success`, `failure`, `abandoned` (see `RUN_OUTCOMES`). */
  runOutcome: 'llm_run_outcome',
  /** `small`: the prompt was within 10% above a long-context tier's threshold; else `large`. */
  tierMargin: 'llm_tier_margin',
} as const;

/** The library version exported in `llm_cost_build_info{version}` from the start of every process. */
export const LIBRARY_VERSION = VERSION;

export { TOKEN_TYPES } from '../types.js';
export const OUTCOMES = ['success', 'error', 'aborted'] as const;

/** Every `llm_usage_missing_total{reason}` value the library writes. */
export const USAGE_MISSING_REASONS = [
  'missing',
  'invalid',
  'inconsistent',
  'invalid_cost',
  'invalid_call',
  'raw_response',
  'stream_no_usage',
  'stream_aborted',
  'stream_error',
  'stream_abandoned',
  'stream_not_observed',
  'stream_options',
  'stream_usage_not_requested',
  'span_no_usage',
  'aborted',
  'not_reported',
  'unknown_shape',
] as const;

/**
 * The reasons each (provider, model) gets at 0 when it is first seen, so `increase()` counts their
 * first occurrence: the ones ordinary traffic produces. Five, like the token types, so the family
 * holds as many models as the cost family before its cap; the rarer reasons appear at first use.
 */
export const USAGE_MISSING_PRECREATED = [
  'missing',
  'invalid',
  'stream_no_usage',
  'stream_aborted',
  'stream_error',
] as const;

/** Label value every capped label takes in the overflow series. */
export const OVERFLOW_VALUE = '__overflow__';

/** Log-spaced USD buckets, 1e-6 … 100 (1, 2.5, 5 per decade). */
export const COST_BUCKETS_USD: readonly number[] = [
  1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1,
  0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100,
];

/** Request duration buckets, seconds, up to 300 s (long reasoning calls and streams). */
export const DURATION_BUCKETS_SECONDS: readonly number[] = [
  0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 180, 300,
];

/** Bucket boundaries the GenAI semantic conventions advise for `gen_ai.client.token.usage`. */
export const GENAI_TOKEN_BUCKETS: readonly number[] = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];

/** Bucket boundaries the GenAI semantic conventions advise for `gen_ai.client.operation.duration`. */
export const GENAI_DURATION_BUCKETS: readonly number[] = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];

/** OTel attribute key for each Prometheus label name (OTLP carries dotted semconv keys). */
export const OTEL_ATTRIBUTE: Record<string, string> = {
  [LABEL.provider]: 'gen_ai.provider.name',
  [LABEL.model]: 'gen_ai.request.model',
  [LABEL.responseModel]: 'gen_ai.response.model',
  [LABEL.agent]: 'gen_ai.agent.name',
  [LABEL.operation]: 'gen_ai.operation.name',
  [LABEL.appOperation]: 'llm.operation.name',
  [LABEL.tokenType]: 'llm.token.type',
  [LABEL.genAiTokenType]: 'gen_ai.token.type',
  [LABEL.outcome]: 'llm.outcome',
  [LABEL.errorType]: 'error.type',
  [LABEL.reason]: 'reason',
  [LABEL.budgetName]: 'llm.budget.name',
  [LABEL.budgetWindow]: 'llm.budget.window',
  [LABEL.metric]: 'metric',
  [LABEL.matchedModel]: 'llm.matched_model',
  [LABEL.budgetThreshold]: 'llm.budget.threshold',
  [LABEL.version]: 'version',
  [LABEL.runOutcome]: 'llm.run.outcome',
  [LABEL.tierMargin]: 'llm.tier.margin',
};

/**
 * Budget guard families (`budgetGuard: true` only; kept apart from `METRIC`, which lists what
 * every app exposes). Labels: `llm_budget_name`, `reason`.
 */
export const GUARD_METRIC = {
  /** Calls refused, by reason: limit, closed, unpriced_model, store_unavailable. */
  refusals: 'llm_budget_refusals_total',
  /** Calls whose real cost passed their reservation: output_over_cap, input_over_estimate, price_differs. */
  overshoot: 'llm_budget_overshoot_total',
  /** Calls admitted without a reservation: unpriced_model (unpricedModels: 'allow'), store_unavailable (failOpen). */
  unguarded: 'llm_budget_unguarded_calls_total',
} as const;

/** Outcomes of an agent run (`llm_run_outcome`); every one exists at 0 from an agent's first run. */
export const RUN_OUTCOMES = ['success', 'failure', 'abandoned'] as const;

/** Agent-run cost buckets, USD: a tenth of a cent to a hundred dollars (1, 2.5, 5 per decade). */
export const RUN_COST_BUCKETS_USD: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100,
];

/** Agent-run duration buckets, seconds: one second to four hours. */
export const RUN_DURATION_BUCKETS_SECONDS: readonly number[] = [
  1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14400,
];

/** LLM calls per agent run (retries and tool loops make long tails). */
export const RUN_LLM_CALLS_BUCKETS: readonly number[] = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233];
