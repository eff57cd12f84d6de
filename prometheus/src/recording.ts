/**
 * Recording rules. Spend is summed across instances (fleet-wide) after `increase()` per series,
 * which is what makes an app restart (counter reset) neither lose nor double spend. Windows of a
 * day or more are `sum_over_time` of pre-aggregated tiles, never raw multi-day increases.
 */
import { LABEL, METRIC } from '../../src/metrics/names.js';
import type { BudgetWindow, Duration, RulesConfig } from './config.js';
import {
  by,
  increaseWithFirstSeen,
  on,
  type RecordingRule,
  type RuleGroup,
  seconds,
  select,
  tileIncrease,
  tileRange,
} from './promql.js';
import { budgetLabels, budgetWindowLabels, LEVEL, recordNames } from './record-names.js';

const uniqueBySeconds = (durations: Duration[]): Duration[] =>
  [...new Set(durations)].sort((a, b) => seconds(a) - seconds(b));

/** Budget windows a burn-rate rule makes sense for: the alert must fire before the limit is gone. */
export function burnWindows(cfg: RulesConfig, longWindow: Duration, factor: number): BudgetWindow[] {
  return cfg.budget.windows.filter((w) => factor * seconds(longWindow) < seconds(w));
}

/** Tiles: the only rules that read raw counters over a range for windowed spend. */
function tileRules(cfg: RulesConfig): RuleGroup<RecordingRule> {
  const RECORD = recordNames(cfg);
  const spend = select(cfg, METRIC.budgetSpendUsd);
  const cost = select(cfg, METRIC.costUsd);
  return {
    name: 'llm-cost.tiles.records',
    interval: cfg.tile,
    rules: [
      {
        record: RECORD.budgetTile,
        expr: `sum ${by(budgetLabels(cfg))} (\n  ${tileIncrease(cfg, spend, cfg.tile)}\n)`,
      },
      {
        record: RECORD.costTile,
        expr: `sum ${by(LEVEL.COST_ROW)} (\n  ${tileIncrease(cfg, cost, cfg.tile)}\n)`,
      },
    ],
  };
}

function budgetRules(cfg: RulesConfig): RuleGroup<RecordingRule> {
  const RECORD = recordNames(cfg);
  const spend = select(cfg, METRIC.budgetSpendUsd);
  const budget = budgetLabels(cfg);
  const limit = (window: BudgetWindow) => `${RECORD.budgetLimit}{${LABEL.budgetWindow}="${window}"}`;
  const rateWindows = uniqueBySeconds(cfg.budget.burn.flatMap((b) => [b.shortWindow, b.longWindow]));
  const keep = cfg.budget.limitLookback;

  const rules: RecordingRule[] = [
    {
      // Last value over the lookback: a down or restarting target keeps its budget known.
      record: RECORD.budgetLimit,
      expr: `max ${by(budgetWindowLabels(cfg))} (last_over_time(${select(cfg, METRIC.budgetLimitUsd)}[${keep}]))`,
    },
    {
      record: RECORD.budgetThreshold,
      expr: `max ${by([...budget, LABEL.budgetThreshold])} (last_over_time(${select(cfg, METRIC.budgetThresholdRatio)}[${keep}]))`,
    },
    ...cfg.budget.windows.map((w) => ({
      record: RECORD.budgetIncrease(w),
      expr: `sum_over_time(${RECORD.budgetTile}[${tileRange(cfg, w)}])`,
    })),
    ...rateWindows.map((w) => ({
      // Few series (one per budget and instance): raw rates keep burn alerts as fast as a scrape.
      record: RECORD.budgetRate(w),
      expr: `sum ${by(budget)} (\n  ${increaseWithFirstSeen(cfg, spend, w)}\n) / ${seconds(w)}`,
    })),
    ...cfg.budget.windows.map((w) => ({
      record: RECORD.budgetUsage,
      expr: `${RECORD.budgetIncrease(w)}\n  / ${on(budget)}\n${limit(w)}`,
      labels: { [LABEL.budgetWindow]: w },
    })),
    {
      // Keeps each threshold the usage has reached (its value), then the highest per budget.
      record: RECORD.budgetThresholdReached,
      expr: `max ${by(budgetWindowLabels(cfg))} (\n  ${RECORD.budgetThreshold}\n  <= ${on(budget)} group_left (${LABEL.budgetWindow})\n  ${RECORD.budgetUsage}\n)`,
    },
  ];

  const burn = new Map<string, RecordingRule>();
  for (const alert of cfg.budget.burn) {
    for (const w of burnWindows(cfg, alert.longWindow, alert.factor)) {
      for (const rateWindow of [alert.shortWindow, alert.longWindow]) {
        burn.set(`${rateWindow}/${w}`, {
          record: RECORD.budgetBurnRate(rateWindow),
          expr: `${RECORD.budgetRate(rateWindow)}\n  / ${on(budget)}\n(${limit(w)} / ${seconds(w)})`,
          labels: { [LABEL.budgetWindow]: w },
        });
      }
    }
  }
  rules.push(...burn.values());

  const { lookback, window } = cfg.budget.projection;
  rules.push({
    record: RECORD.budgetProjected(window),
    expr: `sum_over_time(${RECORD.budgetTile}[${tileRange(cfg, lookback)}]) / ${seconds(lookback)} * ${seconds(window)}`,
  });
  return { name: 'llm-cost.budget.records', rules };
}

function spendRules(cfg: RulesConfig): RuleGroup<RecordingRule> {
  const RECORD = recordNames(cfg);
  const { by: spikeBy, window, baselineWindow, seasons } = cfg.spike;
  const rate = RECORD.costRate(spikeBy, window);
  const avg = RECORD.costRateAvg(spikeBy, window, baselineWindow);
  // Each candidate baseline gets its own `baseline` label so `or` keeps all of them for `max`.
  const candidates = [
    ...seasons.map((s) => `label_replace(${rate} offset ${s}, "baseline", "${s} ago", "", "")`),
    `label_replace(${avg}, "baseline", "${baselineWindow} average", "", "")`,
  ];
  return {
    name: 'llm-cost.spend.records',
    rules: [
      {
        record: rate,
        expr: `sum ${by(spikeBy)} (sum_over_time(${RECORD.costTile}[${tileRange(cfg, window)}])) / ${seconds(window)}`,
      },
      { record: avg, expr: `avg_over_time(${rate}[${baselineWindow}])` },
      {
        // The largest of the same hour one season ago and the trailing average, so a daily or
        // weekly peak (Monday morning) is not a spike.
        record: RECORD.costRateBaseline(spikeBy, window),
        expr: `max ${by(spikeBy)} (\n  ${candidates.join('\n  or\n  ')}\n)`,
      },
    ],
  };
}

function reliabilityRules(cfg: RulesConfig): RuleGroup<RecordingRule> {
  const RECORD = recordNames(cfg);
  const w = cfg.ratioWindow;
  const provider = by(LEVEL.PROVIDER);
  const providerModel = by(LEVEL.PROVIDER_MODEL);
  const requests = select(cfg, METRIC.requests);
  const errors = select(cfg, METRIC.requests, `${LABEL.outcome}="error"`);
  const successes = select(cfg, METRIC.requests, `${LABEL.outcome}="success"`);
  const missing = select(cfg, METRIC.usageMissing);
  const counted = (selector: string, labels: string) =>
    `sum ${labels} (\n  ${increaseWithFirstSeen(cfg, selector, w)}\n)`;
  return {
    name: 'llm-cost.reliability.records',
    rules: [
      { record: RECORD.requestIncrease(w), expr: counted(requests, provider) },
      {
        // `or 0 * …` makes a provider without errors read 0, not "no data".
        record: RECORD.errorRatio(w),
        expr: `(${counted(errors, provider)} or 0 * ${RECORD.requestIncrease(w)})\n  /\n${RECORD.requestIncrease(w)}`,
      },
      { record: RECORD.modelRequestIncrease(w), expr: counted(requests, providerModel) },
      {
        record: RECORD.usageMissingRatio(w),
        expr: `(${counted(missing, providerModel)} or 0 * ${RECORD.modelRequestIncrease(w)})\n  /\n${RECORD.modelRequestIncrease(w)}`,
      },
      { record: RECORD.successIncrease(w), expr: counted(successes, providerModel) },
      {
        // Successful calls only, like the latency panels: a timeout or an abort is not "slow".
        record: RECORD.latencyQuantile,
        expr: `histogram_quantile(${cfg.latency.quantile}, sum ${by([...LEVEL.PROVIDER_MODEL, 'le'])} (rate(${select(cfg, `${METRIC.requestDurationSeconds}_bucket`, `${LABEL.outcome}="success"`)}[${w}])))`,
        labels: { quantile: String(cfg.latency.quantile) },
      },
    ],
  };
}

export function recordingRuleGroups(cfg: RulesConfig): RuleGroup<RecordingRule>[] {
  return [tileRules(cfg), budgetRules(cfg), spendRules(cfg), reliabilityRules(cfg)];
}
