/**
 * Recording rules. Budget spend is summed across instances (fleet-wide) after `increase()`/`rate()`
 * per series, which is what makes an app restart (counter reset) neither lose nor double spend.
 */
import { LABEL, METRIC } from '../../src/metrics/names.js';
import type { BudgetWindow, Duration, RulesConfig } from './config.js';
import { by, LEVEL, RECORD, type RecordingRule, type RuleGroup, seconds, select } from './promql.js';

/** Same-hour-yesterday comparison for the spike baseline (daily seasonality). */
const SEASON: Duration = '1d';

const uniqueBySeconds = (durations: Duration[]): Duration[] =>
  [...new Set(durations)].sort((a, b) => seconds(a) - seconds(b));

/** Budget windows a burn-rate rule makes sense for: the alert must fire before the limit is gone. */
export function burnWindows(cfg: RulesConfig, longWindow: Duration, factor: number): BudgetWindow[] {
  return cfg.budget.windows.filter((w) => factor * seconds(longWindow) < seconds(w));
}

function budgetRules(cfg: RulesConfig): RuleGroup<RecordingRule> {
  const spend = select(cfg, METRIC.budgetSpendUsd);
  const budget = by(LEVEL.BUDGET);
  const limit = (window: BudgetWindow) => `${RECORD.budgetLimit}{${LABEL.budgetWindow}="${window}"}`;
  const rateWindows = uniqueBySeconds([
    ...cfg.budget.burn.flatMap((b) => [b.shortWindow, b.longWindow]),
    cfg.budget.projection.lookback,
  ]);

  const rules: RecordingRule[] = [
    {
      record: RECORD.budgetLimit,
      expr: `max ${by(LEVEL.BUDGET_WINDOW)} (${select(cfg, METRIC.budgetLimitUsd)})`,
    },
    ...cfg.budget.windows.map((w) => ({
      record: RECORD.budgetIncrease(w),
      expr: `sum ${budget} (increase(${spend}[${w}]))`,
    })),
    ...rateWindows.map((w) => ({
      record: RECORD.budgetRate(w),
      expr: `sum ${budget} (rate(${spend}[${w}]))`,
    })),
    ...cfg.budget.windows.map((w) => ({
      record: RECORD.budgetUsage,
      expr: `${RECORD.budgetIncrease(w)}\n  / on (${LABEL.budgetName})\n${limit(w)}`,
      labels: { [LABEL.budgetWindow]: w },
    })),
  ];

  const burn = new Map<string, RecordingRule>();
  for (const alert of cfg.budget.burn) {
    for (const w of burnWindows(cfg, alert.longWindow, alert.factor)) {
      for (const rateWindow of [alert.shortWindow, alert.longWindow]) {
        burn.set(`${rateWindow}/${w}`, {
          record: RECORD.budgetBurnRate(rateWindow),
          expr: `${RECORD.budgetRate(rateWindow)}\n  / on (${LABEL.budgetName})\n(${limit(w)} / ${seconds(w)})`,
          labels: { [LABEL.budgetWindow]: w },
        });
      }
    }
  }
  rules.push(...burn.values());

  const { lookback, window } = cfg.budget.projection;
  rules.push({
    record: RECORD.budgetProjected(window),
    expr: `${RECORD.budgetRate(lookback)} * ${seconds(window)}`,
  });
  return { name: 'llm-cost.budget.records', rules };
}

function spendRules(cfg: RulesConfig): RuleGroup<RecordingRule> {
  const cost = select(cfg, METRIC.costUsd);
  const { by: spikeBy, window, baselineWindow } = cfg.spike;
  const rate = RECORD.costRate(spikeBy, window);
  const avg = RECORD.costRateAvg(spikeBy, window, baselineWindow);
  const levels = [LEVEL.PROVIDER, LEVEL.PROVIDER_MODEL, LEVEL.AGENT];
  return {
    name: 'llm-cost.spend.records',
    rules: [
      ...levels.map((labels) => ({
        record: RECORD.costRate(labels, cfg.ratioWindow),
        expr: `sum ${by(labels)} (rate(${cost}[${cfg.ratioWindow}]))`,
      })),
      { record: rate, expr: `sum ${by(spikeBy)} (rate(${cost}[${window}]))` },
      { record: avg, expr: `avg_over_time(${rate}[${baselineWindow}])` },
      {
        // The larger of the same hour yesterday and the trailing average, so a daily peak is not a spike.
        record: RECORD.costRateBaseline(spikeBy, window),
        expr: `(${rate} offset ${SEASON} >= ${avg})\nor\n${avg}`,
      },
    ],
  };
}

function reliabilityRules(cfg: RulesConfig): RuleGroup<RecordingRule> {
  const w = cfg.ratioWindow;
  const provider = by(LEVEL.PROVIDER);
  const providerModel = by(LEVEL.PROVIDER_MODEL);
  const requests = select(cfg, METRIC.requests);
  const errors = select(cfg, METRIC.requests, `${LABEL.outcome}="error"`);
  const missing = select(cfg, METRIC.usageMissing);
  const allRequests = `sum ${providerModel} (rate(${requests}[${w}]))`;
  return {
    name: 'llm-cost.reliability.records',
    rules: [
      { record: RECORD.requestRate(w), expr: `sum ${provider} (rate(${requests}[${w}]))` },
      {
        // `or 0 * …` makes a provider without errors read 0, not "no data".
        record: RECORD.errorRatio(w),
        expr: `(sum ${provider} (rate(${errors}[${w}])) or 0 * ${RECORD.requestRate(w)})\n  /\n${RECORD.requestRate(w)}`,
      },
      {
        record: RECORD.usageMissingRatio(w),
        expr: `(sum ${providerModel} (rate(${missing}[${w}])) or 0 * ${allRequests})\n  /\n${allRequests}`,
      },
      {
        record: RECORD.latencyQuantile,
        expr: `histogram_quantile(${cfg.latency.quantile}, sum ${by([...LEVEL.PROVIDER_MODEL, 'le'])} (rate(${select(cfg, `${METRIC.requestDurationSeconds}_bucket`)}[${w}])))`,
        labels: { quantile: String(cfg.latency.quantile) },
      },
    ],
  };
}

export function recordingRuleGroups(cfg: RulesConfig): RuleGroup<RecordingRule>[] {
  return [budgetRules(cfg), spendRules(cfg), reliabilityRules(cfg)];
}
