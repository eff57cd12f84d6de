/** LLM Cost — Agents: which agent spends what, on which models and operations, and how reliably. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';
import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LABEL, METRIC, OUTCOMES } from '../../src/metrics/names.js';
import { buildDashboard, datasourceRef, instantQuery } from './common.js';
import { MONEY_UNIT, REQUEST_RATE_UNIT, rateByTimeseries, ratioByTimeseries } from './panels.js';
import { countedOverRange, legendOf, series, sumBy } from './promql.js';
import { runRows } from './runs-panels.js';
import { spendByTimeseries, spendTable } from './spend-panels.js';

export const AGENTS_UID = 'llm-cost-agents';

const [, ERROR] = OUTCOMES;

const cost = series(METRIC.costUsd);
const requests = series(METRIC.requests);
const errors = series(METRIC.requests, [`${LABEL.outcome}="${ERROR}"`]);

export const agentSpendTimeseries = (): timeseries.PanelBuilder =>
  spendByTimeseries(
    LABEL.agent,
    'Spend per agent',
    'US dollars per hour per agent, stacked. Agents come from withLLMContext({ agent }) scopes; calls outside ' +
      'any scope carry the configured default agent.',
  );

export const agentSpendSharePie = (): piechart.PanelBuilder =>
  new piechart.PanelBuilder()
    .title('Share of spend per agent')
    .description('Each agent’s slice of the total spend in the selected time range.')
    .datasource(datasourceRef)
    .height(8)
    .span(12)
    .unit(MONEY_UNIT)
    .decimals(2)
    .pieType(piechart.PieChartType.Donut)
    .displayLabels([piechart.PieChartLabels.Percent])
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .legend(
      new piechart.PieChartLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Right)
        .values([piechart.PieChartLegendValues.Value, piechart.PieChartLegendValues.Percent]),
    )
    .withTarget(instantQuery(sumBy([LABEL.agent], countedOverRange(cost)), legendOf(LABEL.agent)));

export const agentModelTable = (): table.PanelBuilder =>
  spendTable(
    'Agent × model',
    'What each agent spent on each model in the selected range, with requests and tokens. Shows which agent ' +
      'could move to a cheaper model.',
    [LABEL.agent, LABEL.model],
    4,
  );

export const agentOperationTable = (): table.PanelBuilder =>
  spendTable(
    'Agent × operation',
    'What each agent spent per operation (e.g. plan, search, summarize) in the selected range.',
    [LABEL.agent, LABEL.appOperation],
    4,
  );

export const agentRequestRateTimeseries = (): timeseries.PanelBuilder =>
  rateByTimeseries(
    {
      title: 'Requests per agent',
      description: 'LLM calls per second per agent, every outcome together.',
      unit: REQUEST_RATE_UNIT,
      decimals: 2,
    },
    [LABEL.agent],
    requests,
  );

export const agentErrorRatioTimeseries = (): timeseries.PanelBuilder =>
  ratioByTimeseries(
    'Error ratio per agent',
    'Share of each agent’s calls that failed. Retries after failures cost money too, so a failing agent is ' +
      'often an expensive one. Agents with no errors show a flat zero line.',
    LABEL.agent,
    errors,
    requests,
  );

export const agentsDashboard = (): dashboard.Dashboard =>
  buildDashboard({
    uid: AGENTS_UID,
    title: 'LLM Cost — Agents',
    description: 'Spend, share, models, operations and reliability per agent.',
    rows: [
      { title: 'Spend per agent', panels: [agentSpendTimeseries(), agentSpendSharePie()] },
      { title: 'Where each agent spends', panels: [agentModelTable(), agentOperationTable()] },
      {
        title: 'Agent traffic and errors',
        panels: [agentRequestRateTimeseries(), agentErrorRatioTimeseries()],
      },
      ...runRows(),
    ],
  });
