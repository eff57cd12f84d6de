/**
 * Rule shapes, selectors and recording-rule names. Recording rules follow `level:metric:operations`
 * (https://prometheus.io/docs/practices/rules/): the level is the labels kept, joined by `_`; the
 * metric drops `_total` once a rate or increase is taken.
 */
import { LABEL, METRIC } from '../../src/metrics/names.js';
import type { Duration, RulesConfig, Severity } from './config.js';

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for: Duration;
  labels: { severity: Severity } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string; dashboard_url: string };
}

export interface RuleGroup<R = RecordingRule | AlertingRule> {
  name: string;
  /** Only for groups that must run at their own pace (pre-aggregation tiles). */
  interval?: Duration;
  rules: R[];
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

export function seconds(duration: Duration): number {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(duration);
  if (!match) throw new Error(`Invalid duration: ${duration} (expected e.g. 30s, 5m, 1h, 7d)`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/** Whole seconds as a compound Prometheus duration: 86250 → `23h57m30s`. */
export function durationOf(totalSeconds: number): string {
  let left = Math.round(totalSeconds);
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(left / size);
    if (n > 0) out += `${n}${unit}`;
    left -= n * size;
  }
  return out || '0s';
}

/** `metric{<configured selector>,<extra matchers>}`. */
export function select(cfg: RulesConfig, metric: string, ...matchers: string[]): string {
  const all = [cfg.selector, ...matchers].filter((m) => m.length > 0);
  return `${metric}{${all.join(',')}}`;
}

export const level = (labels: readonly string[]): string => labels.join('_');
export const by = (labels: readonly string[]): string => `by (${labels.join(', ')})`;
export const on = (labels: readonly string[]): string => `on (${labels.join(', ')})`;

const rated = (counter: string): string => counter.replace(/_total$/, '');

/**
 * How much `counter` grew over `window`, per raw series, counting a series born inside the window
 * with its whole value — `increase()` cannot see a series' first sample, and for series that cannot
 * exist before their first event (a new error type, an unpriced model) that sample is the event.
 * A series is "born" only if its target was scraped one window earlier (a fresh Prometheus does not
 * count old totals) and the series was not seen in `firstSeenLookback` before the window.
 */
export function increaseWithFirstSeen(cfg: RulesConfig, counter: string, window: Duration): string {
  const born =
    `(${counter} unless present_over_time(${counter}[${cfg.firstSeenLookback}] offset ${window}))` +
    ` and on (job, instance) (${select(cfg, 'up')} offset ${window})`;
  return `(${born}) or increase(${counter}[${window}])`;
}

/**
 * Range that picks exactly `window ÷ tile` tiles whatever side of the range Prometheus closes
 * (2.x includes the left edge, 3.x does not): half a tile short of the window.
 */
export function tileRange(cfg: RulesConfig, window: Duration): string {
  return durationOf(seconds(window) - seconds(cfg.tile) / 2);
}

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
    /** One tile of budget spend (`increase` over `cfg.tile`, evaluated every `cfg.tile`). */
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
