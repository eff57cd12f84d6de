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
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface RuleGroup<R = RecordingRule | AlertingRule> {
  name: string;
  rules: R[];
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 } as const;

export function seconds(duration: Duration): number {
  const match = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(duration);
  if (!match) throw new Error(`Invalid duration: ${duration} (expected e.g. 30s, 5m, 1h, 7d)`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

/** `metric{<configured selector>,<extra matchers>}`. */
export function select(cfg: RulesConfig, metric: string, ...matchers: string[]): string {
  const all = [cfg.selector, ...matchers].filter((m) => m.length > 0);
  return `${metric}{${all.join(',')}}`;
}

export const level = (labels: readonly string[]): string => labels.join('_');
export const by = (labels: readonly string[]): string => `by (${labels.join(', ')})`;

const rated = (counter: string): string => counter.replace(/_total$/, '');

const BUDGET = [LABEL.budgetName] as const;
const BUDGET_WINDOW = [LABEL.budgetName, LABEL.budgetWindow] as const;
const PROVIDER = [LABEL.provider] as const;
const PROVIDER_MODEL = [LABEL.provider, LABEL.model] as const;

export const LEVEL = { BUDGET, BUDGET_WINDOW, PROVIDER, PROVIDER_MODEL, AGENT: [LABEL.agent] as const };

/** Names of the recording rules; dashboards and tests import these instead of spelling them. */
export const RECORD = {
  budgetLimit: `${level(BUDGET_WINDOW)}:${METRIC.budgetLimitUsd}:max`,
  budgetIncrease: (window: Duration) => `${level(BUDGET)}:${rated(METRIC.budgetSpendUsd)}:increase${window}`,
  budgetRate: (window: Duration) => `${level(BUDGET)}:${rated(METRIC.budgetSpendUsd)}:rate${window}`,
  /** Spend over the window ÷ the window's limit, one series per budget with its window label. */
  budgetUsage: `${level(BUDGET_WINDOW)}:llm_budget_usage:ratio`,
  /** Spend rate ÷ (limit ÷ window length): 1 means on track to use exactly the limit. */
  budgetBurnRate: (rateWindow: Duration) =>
    `${level(BUDGET_WINDOW)}:llm_budget_burn_rate:ratio_rate${rateWindow}`,
  budgetProjected: (window: Duration) =>
    `${level(BUDGET)}:${rated(METRIC.budgetSpendUsd)}:projected${window}`,
  costRate: (labels: readonly string[], window: Duration) =>
    `${level(labels)}:${rated(METRIC.costUsd)}:rate${window}`,
  costRateAvg: (labels: readonly string[], window: Duration, avgWindow: Duration) =>
    `${level(labels)}:${rated(METRIC.costUsd)}:rate${window}_avg${avgWindow}`,
  costRateBaseline: (labels: readonly string[], window: Duration) =>
    `${level(labels)}:${rated(METRIC.costUsd)}:rate${window}_baseline`,
  requestRate: (window: Duration) => `${level(PROVIDER)}:${rated(METRIC.requests)}:rate${window}`,
  errorRatio: (window: Duration) => `${level(PROVIDER)}:${rated(METRIC.requests)}_errors:ratio_rate${window}`,
  usageMissingRatio: (window: Duration) =>
    `${level(PROVIDER_MODEL)}:${rated(METRIC.usageMissing)}:ratio_rate${window}`,
  latencyQuantile: `${level(PROVIDER_MODEL)}:${METRIC.requestDurationSeconds}:histogram_quantile`,
};
