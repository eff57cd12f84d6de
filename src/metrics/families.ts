/**
 * The metric families of the contract, created once per telemetry handle. Label layout:
 * base labels = provider, model, agent, API operation, app operation, then allow-listed dimensions.
 */
import { MetricFamily } from './family.js';
import {
  COST_BUCKETS_USD,
  DURATION_BUCKETS_SECONDS,
  GENAI_DURATION_BUCKETS,
  GENAI_TOKEN_BUCKETS,
  LABEL,
  LIBRARY_VERSION,
  METRIC,
  OTEL_NAMES,
  RUN_COST_BUCKETS_USD,
  RUN_DURATION_BUCKETS_SECONDS,
  RUN_LLM_CALLS_BUCKETS,
} from './names.js';

export interface MetricFamiliesOptions {
  /** Allow-listed extra dimensions, already validated as label names. */
  dimensions: readonly string[];
  /** Allow-listed agent-run dimensions (e.g. `variant`), labels of the run families only. */
  runDimensions?: readonly string[];
  maxSeries: number;
  onOverflow: (family: string) => void;
}

export type MetricFamilies = ReturnType<typeof createMetricFamilies>;

export function createMetricFamilies(options: MetricFamiliesOptions) {
  const { maxSeries, onOverflow } = options;
  const base = [
    LABEL.provider,
    LABEL.model,
    LABEL.agent,
    LABEL.operation,
    LABEL.appOperation,
    ...options.dimensions,
  ];
  const family = <T extends 'counter' | 'gauge' | 'histogram'>(
    key: keyof typeof METRIC,
    type: T,
    help: string,
    labelNames: readonly string[],
    extra: { buckets?: readonly number[]; uncapped?: readonly string[]; maxSeries?: number } = {},
  ) =>
    new MetricFamily<T>({
      name: METRIC[key],
      instrument: OTEL_NAMES[key],
      help,
      type,
      labelNames,
      buckets: extra.buckets,
      uncappedLabels: extra.uncapped,
      maxSeries: extra.maxSeries ?? maxSeries,
      onOverflow,
    });

  // Exported from the start (value 1), so an idle app still shows its metrics are wired: alert
  // rules tell "target down" and "instrumentation gone" apart from "no calls yet" by it.
  const buildInfo = family('buildInfo', 'gauge', 'Always 1; labelled with the llm-cost-otel version.', [
    LABEL.version,
  ]);
  buildInfo.get(LIBRARY_VERSION, [LIBRARY_VERSION]).value = 1;

  const run = [LABEL.agent, ...(options.runDimensions ?? [])];
  // The three per-run histograms differ only in name, help and buckets.
  const runHistogram = (key: keyof typeof METRIC, help: string, buckets: readonly number[]) =>
    family(key, 'histogram', help, [...run, LABEL.runOutcome], { buckets, uncapped: [LABEL.runOutcome] });
  return {
    baseLabelNames: base,
    runLabelNames: run,
    cost: family(
      'costUsd',
      'counter',
      'Cost of LLM calls in USD, by billing bucket.',
      [...base, LABEL.tokenType],
      {
        uncapped: [LABEL.tokenType],
      },
    ),
    tokens: family(
      'tokens',
      'counter',
      'LLM tokens, by disjoint billing bucket.',
      [...base, LABEL.tokenType],
      {
        uncapped: [LABEL.tokenType],
      },
    ),
    requests: family(
      'requests',
      'counter',
      'LLM calls, by outcome (success, error, aborted) and error type.',
      [...base, LABEL.outcome, LABEL.errorType],
      // Error types are bounded per row by the recorder (20, then `_OTHER`).
      { uncapped: [LABEL.outcome, LABEL.errorType] },
    ),
    requestCost: family('requestCostUsd', 'histogram', 'Cost of one LLM call in USD.', base, {
      buckets: COST_BUCKETS_USD,
    }),
    duration: family(
      'requestDurationSeconds',
      'histogram',
      'Duration of one LLM call in seconds, streams until their end.',
      [...base, LABEL.outcome],
      { buckets: DURATION_BUCKETS_SECONDS, uncapped: [LABEL.outcome] },
    ),
    unpriced: family(
      'unpricedRequests',
      'counter',
      'LLM calls whose model has no known price: no cost was added for them.',
      [LABEL.provider, LABEL.model],
    ),
    usageMissing: family(
      'usageMissing',
      'counter',
      'LLM calls whose usage was missing, partial or invalid, by reason.',
      [LABEL.provider, LABEL.model, LABEL.reason],
      { uncapped: [LABEL.reason] },
    ),
    budgetSpend: family('budgetSpendUsd', 'counter', 'Spend counted against each budget, USD.', [
      LABEL.budgetName,
    ]),
    budgetLimit: family('budgetLimitUsd', 'gauge', 'Configured limit of each budget over its window, USD.', [
      LABEL.budgetName,
      LABEL.budgetWindow,
    ]),
    budgetThreshold: family(
      'budgetThresholdRatio',
      'gauge',
      'Each threshold of each budget, as a fraction of its limit (the shipped alerts fire at these).',
      [LABEL.budgetName, LABEL.budgetThreshold],
    ),
    buildInfo,
    cacheSavings: family(
      'cacheSavingsUsd',
      'counter',
      'What cache reads saved against the base input price, USD.',
      [LABEL.provider, LABEL.model, LABEL.agent],
    ),
    seriesOverflow: family(
      'seriesOverflow',
      'counter',
      'Records that landed in a metric overflow series because the series cap was reached.',
      [LABEL.metric],
      { maxSeries: 64 },
    ),
    implausibleUsage: family(
      'implausibleUsage',
      'counter',
      'LLM calls whose reported tokens exceed maxPlausibleTokens: recorded as reported, flagged here.',
      [LABEL.provider, LABEL.model],
    ),
    modelMismatch: family(
      'modelMismatch',
      'counter',
      'LLM calls answered by a model priced differently from the requested one (cost from the response model, labels from the request).',
      [LABEL.provider, LABEL.model, LABEL.responseModel],
    ),
    tierCrossing: family(
      'tierCrossingRequests',
      'counter',
      'LLM calls priced at a long-context tier (the higher rate for the whole prompt), by how far the prompt went past the threshold.',
      [LABEL.provider, LABEL.model, LABEL.agent, LABEL.tierMargin],
      { uncapped: [LABEL.tierMargin] },
    ),
    genAiTokenUsage: family(
      'genAiTokenUsage',
      'histogram',
      'Number of input and output tokens used per call (OTel GenAI semantic conventions).',
      [LABEL.operation, LABEL.provider, LABEL.model, LABEL.genAiTokenType],
      { buckets: GENAI_TOKEN_BUCKETS, uncapped: [LABEL.genAiTokenType] },
    ),
    genAiOperationDuration: family(
      'genAiOperationDuration',
      'histogram',
      'GenAI operation duration in seconds (OTel GenAI semantic conventions).',
      [LABEL.operation, LABEL.provider, LABEL.model, LABEL.errorType],
      { buckets: GENAI_DURATION_BUCKETS },
    ),
    priceApproximate: family(
      'priceApproximateRequests',
      'counter',
      'LLM calls priced by an approximate catalog rule (a sibling model price), by the model that priced them.',
      [LABEL.provider, LABEL.model, LABEL.matchedModel],
    ),
    priceCatalogTimestamp: family(
      'priceCatalogTimestamp',
      'gauge',
      'Date of the price catalog data in use, Unix seconds (UTC midnight): bundled, refreshed or from a catalog file.',
      [],
    ),
    agentRuns: family(
      'agentRuns',
      'counter',
      'Agent runs (tasks) ended, by outcome: success, failure, abandoned.',
      [...run, LABEL.runOutcome],
      { uncapped: [LABEL.runOutcome] },
    ),
    agentRunCost: runHistogram(
      'agentRunCostUsd',
      'Cost of one agent run in USD: its LLM calls, sub-runs included.',
      RUN_COST_BUCKETS_USD,
    ),
    agentRunDuration: runHistogram(
      'agentRunDurationSeconds',
      'Duration of one agent run in seconds.',
      RUN_DURATION_BUCKETS_SECONDS,
    ),
    agentRunLlmCalls: runHistogram(
      'agentRunLlmCalls',
      'LLM calls made by one agent run, sub-runs included.',
      RUN_LLM_CALLS_BUCKETS,
    ),
    agentBaseline: family(
      'agentBaselineCostPerSuccessUsd',
      'gauge',
      'Configured baseline cost per successful run of each agent, USD.',
      [LABEL.agent],
    ),
  };
}

/** All families in exposition order. */
export function familiesOf(metricFamilies: MetricFamilies): MetricFamily[] {
  return [
    metricFamilies.cost,
    metricFamilies.tokens,
    metricFamilies.requests,
    metricFamilies.requestCost,
    metricFamilies.duration,
    metricFamilies.unpriced,
    metricFamilies.usageMissing,
    metricFamilies.cacheSavings,
    metricFamilies.budgetSpend,
    metricFamilies.budgetLimit,
    metricFamilies.budgetThreshold,
    metricFamilies.buildInfo,
    metricFamilies.seriesOverflow,
    metricFamilies.implausibleUsage,
    metricFamilies.modelMismatch,
    metricFamilies.tierCrossing,
    metricFamilies.genAiTokenUsage,
    metricFamilies.genAiOperationDuration,
    metricFamilies.priceApproximate,
    metricFamilies.priceCatalogTimestamp,
    metricFamilies.agentRuns,
    metricFamilies.agentRunCost,
    metricFamilies.agentRunDuration,
    metricFamilies.agentRunLlmCalls,
    metricFamilies.agentBaseline,
  ] as MetricFamily[];
}
