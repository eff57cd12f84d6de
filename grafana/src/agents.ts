/** LLM Cost — Agents: which agent spends what, on which models and operations, and how reliably. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as piechart from '@grafana/grafana-foundation-sdk/piechart';
import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LABEL, METRIC, OUTCOMES } from '../../src/metrics/names.js';
import {
  buildDashboard,
  COUNT_UNIT,
  columnUnit,
  countedOverRange,
  datasourceRef,
  instantQuery,
  legendOf,
  MONEY_UNIT,
  moneyRateTimeseries,
  prometheusQuery,
  RATIO_UNIT,
  REQUEST_RATE_UNIT,
  rate,
  series,
  sumBy,
  TOKEN_UNIT,
  tableColumns,
  tablePanel,
  tableQuery,
  timeseriesPanel,
  zeroFilledRatio,
} from './common.js';
import { runRows } from './runs-panels.js';

export const AGENTS_UID = 'llm-cost-agents';

const [, ERROR] = OUTCOMES;

const cost = series(METRIC.costUsd);
const requests = series(METRIC.requests);
const errors = series(METRIC.requests, [`${LABEL.outcome}="${ERROR}"`]);
const tokens = series(METRIC.tokens);

export const agentSpendTimeseries = (): timeseries.PanelBuilder =>
  moneyRateTimeseries(
    'Spend per agent',
    'US dollars per hour per agent, stacked. Agents come from withLLMContext({ agent }) scopes; calls outside ' +
      'any scope carry the configured default agent.',
  ).withTarget(prometheusQuery(`${sumBy([LABEL.agent], rate(cost))} * 3600`, legendOf(LABEL.agent)));

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

const costMatrixTable = (title: string, description: string, labels: string[]): table.PanelBuilder =>
  tablePanel(title, description, 'Spend')
    .withTarget(tableQuery(sumBy(labels, countedOverRange(cost)), 'A'))
    .withTarget(tableQuery(sumBy(labels, countedOverRange(requests)), 'B'))
    .withTarget(tableQuery(sumBy(labels, countedOverRange(tokens)), 'C'))
    .transformations(tableColumns({ A: 'Spend', B: 'Requests', C: 'Tokens' }))
    .overrideByName('Spend', columnUnit(MONEY_UNIT, 4))
    .overrideByName('Requests', columnUnit(COUNT_UNIT, 0))
    .overrideByName('Tokens', columnUnit(TOKEN_UNIT, 0));

export const agentModelTable = (): table.PanelBuilder =>
  costMatrixTable(
    'Agent × model',
    'What each agent spent on each model in the selected range, with requests and tokens. Shows which agent ' +
      'could move to a cheaper model.',
    [LABEL.agent, LABEL.model],
  );

export const agentOperationTable = (): table.PanelBuilder =>
  costMatrixTable(
    'Agent × operation',
    'What each agent spent per operation (e.g. plan, search, summarize) in the selected range.',
    [LABEL.agent, LABEL.appOperation],
  );

export const agentRequestRateTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel('Requests per agent', 'LLM calls per second per agent, every outcome together.')
    .unit(REQUEST_RATE_UNIT)
    .decimals(2)
    .min(0)
    .withTarget(prometheusQuery(sumBy([LABEL.agent], rate(requests)), legendOf(LABEL.agent)));

export const agentErrorRatioTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Error ratio per agent',
    'Share of each agent’s calls that failed. Retries after failures cost money too, so a failing agent is ' +
      'often an expensive one. Agents with no errors show a flat zero line.',
  )
    .unit(RATIO_UNIT)
    .decimals(1)
    .min(0)
    .withTarget(
      prometheusQuery(
        zeroFilledRatio(sumBy([LABEL.agent], rate(errors)), sumBy([LABEL.agent], rate(requests))),
        legendOf(LABEL.agent),
      ),
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
