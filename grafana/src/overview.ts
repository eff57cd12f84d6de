/** LLM Cost — Overview: what we spend, where it goes, and how close each budget is to its limit. */
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LABEL, METRIC } from '../../src/metrics/names.js';
import { buildDashboard, datasourceRef, instantQuery, prometheusQuery, tableQuery } from './common.js';
import {
  badCountThresholds,
  COUNT_UNIT,
  columnUnit,
  MONEY_UNIT,
  moneyRateTimeseries,
  neutralThresholds,
  RATIO_UNIT,
  statPanel,
  tableColumns,
  tablePanel,
  timeseriesPanel,
} from './panels.js';
import { countedOverRange, legendOf, orZero, rate, series, sumBy } from './promql.js';
import {
  BUDGET_LIMIT,
  BUDGET_SPENT,
  BUDGET_THRESHOLD_REACHED,
  BUDGET_USAGE,
  spendFromTiles,
  spendRateFromTiles,
} from './recorded.js';
import { perHour, spendByTimeseries, spendTable } from './spend-panels.js';

export const OVERVIEW_UID = 'llm-cost-overview';

const cost = series(METRIC.costUsd);

export const spendInRangeStat = (): stat.PanelBuilder =>
  statPanel(
    'Spend in range',
    'What the LLM calls matching the filters cost over the dashboard’s time range (UTC), in US dollars, ' +
      'from the raw cost counters — a call to a model first seen in the range counts too.',
  )
    .unit(MONEY_UNIT)
    .decimals(2)
    .thresholds(neutralThresholds())
    .withTarget(instantQuery(sumBy([], countedOverRange(cost)), 'Spend'));

/** Rolling windows like the budgets' (a 7d budget is the last 7 × 24 h, not a calendar week). */
const rollingSpendStat = (title: string, window: '7d' | '30d', description: string): stat.PanelBuilder =>
  statPanel(title, description)
    .unit(MONEY_UNIT)
    .decimals(2)
    .thresholds(neutralThresholds())
    .withTarget(instantQuery(spendFromTiles(window), 'Spend'));

export const spend7dStat = (): stat.PanelBuilder =>
  rollingSpendStat(
    'Spend, last 7 days',
    '7d',
    'What the LLM calls matching the filters cost over the last 7 × 24 hours (rolling, like a 7d budget), in ' +
      'US dollars. Read from the 5-minute spend tiles the shipped recording rules keep: up to 5 minutes behind.',
  );

export const spend30dStat = (): stat.PanelBuilder =>
  rollingSpendStat(
    'Spend, last 30 days',
    '30d',
    'What the LLM calls matching the filters cost over the last 30 × 24 hours (rolling, like a 30d budget), in ' +
      'US dollars. Read from the 5-minute spend tiles: up to 5 minutes behind, and only since the rules were loaded.',
  );

/** Seconds from now to the end of the current month (UTC), as PromQL. */
const SECONDS_LEFT_IN_MONTH = '((days_in_month() - day_of_month() + 1) * 86400 - time() % 86400)';

export const monthEndProjectionStat = (): stat.PanelBuilder =>
  statPanel(
    'Projected month-end spend',
    'Where this month (UTC, like the whole dashboard) will end if calls keep costing what they cost over the ' +
      'last hour: spend since the 1st plus the last hour’s spend rate times the time left in the month. A rough ' +
      'guide, not a forecast (the LLMBudgetProjectedOverrun alert uses the last day).',
  )
    .timeFrom('now/M')
    .unit(MONEY_UNIT)
    .decimals(2)
    .thresholds(neutralThresholds())
    .withTarget(
      instantQuery(
        `(${spendFromTiles('$__range')}) + ${spendRateFromTiles} * ${SECONDS_LEFT_IN_MONTH}`,
        'Projected month total',
      ),
    );

export const spendRateTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Spend rate',
    'How fast money is being spent, in US dollars per hour, and what a whole month would cost at that pace ' +
      '(right axis). Spikes here are what the spend-spike and burn-rate alerts look at.',
  )
    .unit(MONEY_UNIT)
    .decimals(2)
    .axisLabel('USD per hour')
    .min(0)
    .withTarget(prometheusQuery(perHour(sumBy([], rate(cost))), 'USD per hour'))
    .withTarget(prometheusQuery(`${sumBy([], rate(cost))} * 86400 * days_in_month()`, 'Month at this pace'))
    .overrideByName('Month at this pace', [
      { id: 'custom.axisPlacement', value: 'right' },
      { id: 'custom.axisLabel', value: 'USD per month' },
      { id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } },
    ]);

export const spendByProviderTimeseries = (): timeseries.PanelBuilder =>
  spendByTimeseries(
    LABEL.provider,
    'Spend by provider',
    'US dollars per hour per provider (OpenAI, Anthropic, Google…), stacked: the top edge is the total.',
  );

export const spendByModelTimeseries = (): timeseries.PanelBuilder =>
  spendByTimeseries(
    LABEL.model,
    'Spend by model',
    'US dollars per hour per requested model, stacked. A model that suddenly grows is the first place to look ' +
      'when spend jumps.',
  );

export const spendByAgentTimeseries = (): timeseries.PanelBuilder =>
  spendByTimeseries(
    LABEL.agent,
    'Spend by agent',
    'US dollars per hour per agent (set with withLLMContext({ agent }) or the default agent), stacked.',
  );

export const spendByOperationTimeseries = (): timeseries.PanelBuilder =>
  spendByTimeseries(
    LABEL.appOperation,
    'Spend by operation',
    'US dollars per hour per operation: the one named in withLLMContext({ operation }) (or the API operation, ' +
      'such as chat or embeddings, when the app names none), stacked.',
  );

export const topModelsTable = (): table.PanelBuilder =>
  spendTable(
    'Top models by spend',
    'Every model called in the selected time range, most expensive first: what it cost, how many requests ' +
      'and how many tokens (all billing types together).',
    [LABEL.provider, LABEL.model],
    2,
  );

/** Exported for the integration test: spent fraction of each budget's limit over its own window. */
export const BUDGET_USAGE_EXPR = BUDGET_USAGE;

/** Budget thresholds as in the default budget config: warn at 80 %, then 95 %, red at the limit. */
const budgetThresholds = (): dashboard.ThresholdsConfigBuilder =>
  new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: 'green' },
    { value: 0.8, color: 'yellow' },
    { value: 0.95, color: 'orange' },
    { value: 1, color: 'red' },
  ]);

export const budgetUsageBarGauge = (): bargauge.PanelBuilder =>
  new bargauge.PanelBuilder()
    .title('Budget usage')
    .description(
      'How much of each budget’s limit is spent within the budget’s own rolling window (1h, 1d, 7d or 30d), ' +
        'per app (job): the same figure the budget alerts use. Colours follow the default thresholds (yellow from ' +
        '80 %, orange from 95 %, red at the limit); the table shows the highest of each budget’s own thresholds ' +
        'reached. Budgets count every matching call, so only the job filter applies here.',
    )
    .datasource(datasourceRef)
    .height(8)
    .span(12)
    .unit(RATIO_UNIT)
    .decimals(1)
    .min(0)
    .max(1)
    .thresholds(budgetThresholds())
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .orientation(common.VizOrientation.Horizontal)
    .showUnfilled(true)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .withTarget(
      instantQuery(
        BUDGET_USAGE_EXPR,
        `${legendOf(LABEL.budgetName)} (${legendOf('job')}, ${legendOf(LABEL.budgetWindow)})`,
      ),
    );

export const budgetSpentVsLimitTable = (): table.PanelBuilder =>
  tablePanel(
    'Budgets: spent vs limit',
    'Each budget (per app) with its window, what has been spent in that window, its limit, the share used and ' +
      'the highest of its own thresholds reached. Spend is summed over all instances; the limit is the configured ' +
      'one, kept through a target outage.',
    'Used',
  )
    .withTarget(tableQuery(BUDGET_SPENT, 'A'))
    .withTarget(tableQuery(BUDGET_LIMIT, 'B'))
    .withTarget(tableQuery(BUDGET_USAGE_EXPR, 'C'))
    .withTarget(tableQuery(`${BUDGET_THRESHOLD_REACHED} or 0 * ${BUDGET_LIMIT}`, 'D'))
    .transformations(tableColumns({ A: 'Spent', B: 'Limit', C: 'Used', D: 'Threshold reached' }))
    .overrideByName('Spent', columnUnit(MONEY_UNIT, 2))
    .overrideByName('Limit', columnUnit(MONEY_UNIT, 2))
    .overrideByName('Used', [
      ...columnUnit(RATIO_UNIT, 1),
      { id: 'thresholds', value: budgetThresholds().build() },
      { id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } },
    ])
    .overrideByName('Threshold reached', columnUnit(RATIO_UNIT, 0));

const cacheSavings = series(METRIC.cacheSavingsUsd);

export const cacheSavingsStat = (): stat.PanelBuilder =>
  statPanel(
    'Cache savings',
    'What prompt caching saved in the selected time range: cache-read tokens priced at the normal input ' +
      'rate minus what they actually cost.',
  )
    .unit(MONEY_UNIT)
    .decimals(2)
    .thresholds(
      new dashboard.ThresholdsConfigBuilder()
        .mode(dashboard.ThresholdsMode.Absolute)
        .steps([{ value: null, color: 'green' }]),
    )
    .withTarget(instantQuery(orZero(sumBy([], countedOverRange(cacheSavings))), 'Saved'));

export const cacheSavingsByModelTimeseries = (): timeseries.PanelBuilder =>
  moneyRateTimeseries(
    'Cache savings by model',
    'US dollars per hour that prompt caching is saving, per model. Flat at zero means no cache hits.',
  ).withTarget(prometheusQuery(perHour(sumBy([LABEL.model], rate(cacheSavings))), legendOf(LABEL.model)));

const unpriced = series(METRIC.unpricedRequests);

export const unpricedCallsStat = (): stat.PanelBuilder =>
  statPanel(
    'Unpriced calls',
    'Calls to models with no known price in the selected range. Their cost is NOT in the spend figures ' +
      '(never counted as $0 silently): add a price override for these models.',
  )
    .unit(COUNT_UNIT)
    .decimals(0)
    .colorMode(common.BigValueColorMode.Background)
    .thresholds(badCountThresholds())
    .withTarget(instantQuery(orZero(sumBy([], countedOverRange(unpriced))), 'Unpriced calls'));

export const unpricedModelsTable = (): table.PanelBuilder =>
  tablePanel(
    'Unpriced models',
    'Which provider/model pairs had calls without a price in the selected range, and how many. Empty is good.',
    'Calls',
  )
    .withTarget(tableQuery(`${sumBy([LABEL.provider, LABEL.model], countedOverRange(unpriced))} > 0`, 'A'))
    .transformations(tableColumns({ A: 'Calls' }))
    .overrideByName('Calls', columnUnit(COUNT_UNIT, 0));

export const overviewDashboard = (): dashboard.Dashboard =>
  buildDashboard({
    uid: OVERVIEW_UID,
    title: 'LLM Cost — Overview',
    description: 'What your LLM calls cost: totals, trends, where the money goes, and budgets.',
    rows: [
      {
        title: 'Spend',
        panels: [spendInRangeStat(), spend7dStat(), spend30dStat(), monthEndProjectionStat()],
      },
      { title: 'Trend', panels: [spendRateTimeseries(), spendByProviderTimeseries()] },
      {
        title: 'Where the money goes',
        panels: [
          spendByModelTimeseries(),
          spendByAgentTimeseries(),
          spendByOperationTimeseries(),
          topModelsTable(),
        ],
      },
      { title: 'Budgets', panels: [budgetUsageBarGauge(), budgetSpentVsLimitTable()] },
      {
        title: 'Caching and pricing gaps',
        panels: [
          cacheSavingsStat().height(8),
          cacheSavingsByModelTimeseries().span(18),
          unpricedCallsStat().height(8),
          unpricedModelsTable().span(18),
        ],
      },
    ],
  });
