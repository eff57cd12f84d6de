/**
 * Names of the recording rules and the label levels they keep. Recording rules follow
 * `level:metric:operations` (https://prometheus.io/docs/practices/rules/): the level is the labels
 * kept, joined by `_`; the metric drops `_total` once a rate or increase is taken.
 */
import { LABEL, METRIC } from '../../src/metrics/names.js';
import type { Duration, RulesConfig } from './config.js';
import { level } from './promql.js';

/** A counter's name once a rate or increase is taken: `_total` dropped. */
const rated = (counter: string): string => counter.replace(/_total$/, '');

/** The labels identifying one budget: the configured identity plus its name. */
export const budgetLabels = (cfg: RulesConfig): string[] => [...cfg.budget.identity, LABEL.budgetName];
export const budgetWindowLabels = (cfg: RulesConfig): string[] => [...budgetLabels(cfg), LABEL.budgetWindow];

const PROVIDER = [LABEL.provider] as const;
const PROVIDER_MODEL = [LABEL.provider, LABEL.model] as const;
/**
 * The level spend is pre-aggregated at: one series per app, provider, model, agent and both
 * operations (no instance, token type or exporter scope labels).
 */
const COST_ROW = [
  'job',
  LABEL.provider,
  LABEL.model,
  LABEL.agent,
  LABEL.operation,
  LABEL.appOperation,
] as const;

export const LEVEL = { PROVIDER, PROVIDER_MODEL, COST_ROW, AGENT: [LABEL.agent] as const };

/** Names of the recording rules; dashboards and tests import these instead of spelling them. */
export function recordNames(cfg: RulesConfig) {
  const budget = level(budgetLabels(cfg));
  const budgetWindow = level(budgetWindowLabels(cfg));
  const budgetThreshold = level([...budgetLabels(cfg), LABEL.budgetThreshold]);
  const spend = rated(METRIC.budgetSpendUsd);
  return {
    /** One tile of budget spend (`tileIncrease` over `cfg.tile`, evaluated every `cfg.tile`). */
    budgetTile: `${budget}:${spend}:increase${cfg.tile}`,
    /** One tile of spend per cost row. */
    costTile: `${level(COST_ROW)}:${rated(METRIC.costUsd)}:increase${cfg.tile}`,
    budgetLimit: `${budgetWindow}:${METRIC.budgetLimitUsd}:last`,
    budgetThreshold: `${budgetThreshold}:${METRIC.budgetThresholdRatio}:last`,
    budgetIncrease: (window: Duration) => `${budget}:${spend}:increase${window}`,
    budgetRate: (window: Duration) => `${budget}:${spend}:rate${window}`,
    /** Spend over the window ÷ the window's limit, one series per budget with its window label. */
    budgetUsage: `${budgetWindow}:llm_budget_usage:ratio`,
    /** The highest of the budget's own thresholds that spend has reached. */
    budgetThresholdReached: `${budgetWindow}:llm_budget_threshold_reached:max`,
    /** Spend rate ÷ (limit ÷ window length): 1 means on track to use exactly the limit. */
    budgetBurnRate: (rateWindow: Duration) => `${budgetWindow}:llm_budget_burn_rate:ratio_rate${rateWindow}`,
    budgetProjected: (window: Duration) => `${budget}:${spend}:projected${window}`,
    costRate: (labels: readonly string[], window: Duration) =>
      `${level(labels)}:${rated(METRIC.costUsd)}:rate${window}`,
    costRateAvg: (labels: readonly string[], window: Duration, avgWindow: Duration) =>
      `${level(labels)}:${rated(METRIC.costUsd)}:rate${window}_avg${avgWindow}`,
    costRateBaseline: (labels: readonly string[], window: Duration) =>
      `${level(labels)}:${rated(METRIC.costUsd)}:rate${window}_baseline`,
    requestIncrease: (window: Duration) => `${level(PROVIDER)}:${rated(METRIC.requests)}:increase${window}`,
    errorRatio: (window: Duration) =>
      `${level(PROVIDER)}:${rated(METRIC.requests)}_errors:ratio_rate${window}`,
    modelRequestIncrease: (window: Duration) =>
      `${level(PROVIDER_MODEL)}:${rated(METRIC.requests)}:increase${window}`,
    usageMissingRatio: (window: Duration) =>
      `${level(PROVIDER_MODEL)}:${rated(METRIC.usageMissing)}:ratio_rate${window}`,
    successIncrease: (window: Duration) =>
      `${level(PROVIDER_MODEL)}:${rated(METRIC.requests)}_success:increase${window}`,
    latencyQuantile: `${level(PROVIDER_MODEL)}:${METRIC.requestDurationSeconds}:histogram_quantile`,
  };
}

export type RecordNames = ReturnType<typeof recordNames>;
