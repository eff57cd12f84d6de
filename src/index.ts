// What it would cost instead (issue 17): pre-call estimates and repricing on other models.
export {
  type CostEstimate,
  type CostEstimateRequest,
  estimateCost,
  type OutputBound,
  preloadTokenizers,
} from './advice/estimate.js';
export {
  type Assumption,
  type AssumptionCode,
  type ModelRef,
  type RepricedTarget,
  type RepriceOptions,
  type Repricing,
  repriceWorkload,
  type TokenMix,
} from './advice/reprice.js';
export type { UnpricedModelsPolicy } from './budgets/budget-guard.js';
export type { BudgetExceededDetails, RefusalReason } from './budgets/errors.js';
export { BudgetExceededError } from './budgets/errors.js';
export type { BudgetStoreOptions, RedisBudgetStoreOptions } from './budgets/store/options.js';
export type { BudgetConfig, BudgetEvent, BudgetEventListener, BudgetWindow } from './budgets/types.js';
export { ClusterPrimary, type ClusterPrimaryOptions, registerClusterPrimary } from './cluster/index.js';
export { ConfigError } from './config/errors.js';
export type {
  ClusterOptions,
  InstrumentationName,
  OtlpOptions,
  PromClientRegistryLike,
  PrometheusOptions,
  RegisterOptions,
} from './config/options.js';
export { getLLMContext, type LLMContext, withLLMContext } from './context.js';
export type { MetricsHandler } from './export/metrics-handler.js';
export {
  LLMCostInstrumentation,
  type LLMCostInstrumentationConfig,
} from './instrumentations/llm-cost-instrumentation.js';
export {
  LLMCostSpanProcessor,
  type LLMCostSpanProcessorOptions,
} from './instrumentations/span-processor/index.js';
export {
  type LLMCostMiddleware,
  type LLMCostMiddlewareOptions,
  llmCostMiddleware,
} from './instrumentations/vercel-ai/index.js';
export {
  CLUSTER_METRIC,
  COST_BUCKETS_USD,
  DURATION_BUCKETS_SECONDS,
  GUARD_METRIC,
  INSTRUMENT,
  LABEL,
  METRIC,
  OUTCOMES,
  OVERFLOW_VALUE,
  RUN_COST_BUCKETS_USD,
  RUN_DURATION_BUCKETS_SECONDS,
  RUN_LLM_CALLS_BUCKETS,
  RUN_OUTCOMES,
  TOKEN_TYPES,
  USAGE_MISSING_REASONS,
} from './metrics/names.js';
export { CatalogRefresher, type CatalogRefreshOptions } from './pricing/catalog-refresh.js';
export { PRICE_CORRECTIONS, type PriceCorrection } from './pricing/corrections.js';
export {
  BUILTIN_SERVICE_TIERS,
  BUNDLED_CATALOG,
  type CatalogInfo,
  catalogInfo,
  loadPriceOverrides,
  PriceBook,
  PriceConfigError,
  type PricesOptions,
  priceCall,
  sanitizeUsage,
  toBuckets,
} from './pricing/index.js';
export type { RecordedCall, RecordListener } from './record/recorder.js';
export type {
  Summary,
  SummaryDimension,
  SummaryGroup,
  SummaryQuery,
  SummaryTotals,
} from './record/summary.js';
export { getTelemetry, record, register } from './register.js';
export {
  type AgentBaseline,
  type AgentRun,
  type AgentRunEnd,
  type AgentRunOptions,
  type RunFigures,
  type RunListener,
  type RunOutcome,
  type RunSummary,
  type RunSummaryQuery,
  type RunsOptions,
  type RunTotals,
  startAgentRun,
  withAgentRun,
} from './runs/index.js';
export { LLMTelemetry } from './telemetry.js';
export type * from './types.js';
export {
  type AnthropicStreamUsage,
  mergeAnthropicStreamUsage,
  normalizeUsage,
  normalizeUsageDetailed,
  type UsageProblem,
  type UsageResult,
  type UsageShape,
} from './usage/index.js';
