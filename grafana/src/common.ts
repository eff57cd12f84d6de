/**
 * What every LLM Cost dashboard shares: the datasource, the filter variables, the label selector
 * each metric family gets, panel defaults and units. Metric and label names come from the metric
 * contract (`src/metrics/names.ts`), so a renamed metric changes every query here.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { LABEL, METRIC } from '../../src/metrics/names.js';

/** UID of the Prometheus datasource in `grafana/provisioning/datasources/llm-cost.yaml`. */
export const PROMETHEUS_DATASOURCE_UID = 'llm-cost-prometheus';
/** UID of the Alertmanager datasource in the same provisioning file. */
export const ALERTMANAGER_DATASOURCE_UID = 'llm-cost-alertmanager';
/** Name of the dashboard variable that picks the Prometheus datasource. */
export const DATASOURCE_VARIABLE = 'datasource';
export const DASHBOARD_TAG = 'llm-cost';

/** Every query and variable goes through the datasource variable, so users can point at another Prometheus. */
export const datasourceRef: { type: string; uid: string } = {
  type: 'prometheus',
  uid: `\${${DATASOURCE_VARIABLE}}`,
};

export const MONEY_UNIT = units.Dollars;
export const TOKEN_UNIT = units.Short;
/** Plain counts of calls. */
export const COUNT_UNIT = units.Short;
export const RATIO_UNIT = units.PercentUnit;
export const SECONDS_UNIT = units.Seconds;
export const REQUEST_RATE_UNIT = units.RequestsPerSecond;

/** The filter variables, in cascade order: each one's options are narrowed by those before it. */
export const FILTERS = ['job', 'provider', 'model', 'agent', 'operation'] as const;
export type Filter = (typeof FILTERS)[number];

export const FILTER_LABEL: Record<Filter, string> = {
  job: 'job',
  provider: LABEL.provider,
  model: LABEL.model,
  agent: LABEL.agent,
  operation: LABEL.appOperation,
};

const FILTER_TITLE: Record<Filter, string> = {
  job: 'Job',
  provider: 'Provider',
  model: 'Model',
  agent: 'Agent',
  operation: 'Operation',
};

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/**
 * Which filters apply to each family. A matcher on a label a family does not carry would hide all
 * of its series once a value is picked, so budget series only follow `job`, and so on.
 */
const METRIC_FILTERS: Partial<Record<MetricName, readonly Filter[]>> = {
  [METRIC.costUsd]: FILTERS,
  [METRIC.tokens]: FILTERS,
  [METRIC.requests]: FILTERS,
  [METRIC.requestCostUsd]: FILTERS,
  [METRIC.requestDurationSeconds]: FILTERS,
  [METRIC.unpricedRequests]: ['job', 'provider', 'model'],
  [METRIC.usageMissing]: ['job', 'provider', 'model'],
  [METRIC.cacheSavingsUsd]: ['job', 'provider', 'model', 'agent'],
  [METRIC.budgetSpendUsd]: ['job'],
  [METRIC.budgetLimitUsd]: ['job'],
  [METRIC.budgetThresholdRatio]: ['job'],
  [METRIC.agentRuns]: ['job', 'agent'],
  [METRIC.agentRunCostUsd]: ['job', 'agent'],
  [METRIC.agentRunDurationSeconds]: ['job', 'agent'],
  [METRIC.agentRunLlmCalls]: ['job', 'agent'],
  [METRIC.agentBaselineCostPerSuccessUsd]: ['job', 'agent'],
};

/** The filters a family's panels respond to (exported so tests and docs can say which ones). */
export function filtersFor(metric: MetricName): readonly Filter[] {
  const filters = METRIC_FILTERS[metric];
  if (!filters)
    throw new Error(`No dashboard filters declared for metric ${metric}: add it to METRIC_FILTERS`);
  return filters;
}

/**
 * A series selector filtered by the dashboard variables, e.g.
 * `llm_requests_total{job=~"$job",…,llm_outcome="error"}`. `suffix` selects a histogram's
 * `_bucket`, `_sum` or `_count` series; `matchers` are extra raw label matchers.
 */
export function series(metric: MetricName, matchers: readonly string[] = [], suffix = ''): string {
  const filters = filtersFor(metric).map((f) => `${FILTER_LABEL[f]}=~"$${f}"`);
  return `${metric}${suffix}{${[...filters, ...matchers].join(',')}}`;
}

/** Per-second rate over Grafana's `$__rate_interval` (at least four scrape intervals). */
export const rate = (selector: string): string => `rate(${selector}[$__rate_interval])`;
/** Counter increase over the panel's whole time range. */
export const increaseOverRange = (selector: string): string => `increase(${selector}[$__range])`;

/**
 * Counter increase over the panel's time range that also counts series born inside it (a new
 * error type, an unpriced model, a new model's cost) with their whole value — `increase()` cannot
 * see a series' first sample. The same first-seen rule as the alert rules
 * (`prometheus/src/promql.ts`): only when the target was scraped before the range, and the series
 * was not seen in the hour before it.
 */
export const countedOverRange = (selector: string): string =>
  `((${selector} unless present_over_time(${selector}[1h] offset $__range)) and on (job, instance) (up{job=~"$job"} offset $__range)) or increase(${selector}[$__range])`;
/** `sum by (labels) (expr)`; no labels gives a plain `sum(expr)`. */
export const sumBy = (labels: readonly string[], expr: string): string =>
  labels.length === 0 ? `sum(${expr})` : `sum by (${labels.join(', ')}) (${expr})`;

/**
 * `numerator / denominator`, where a group with a denominator but no numerator series (e.g. a
 * provider with no errors yet) shows 0 instead of disappearing.
 */
export const zeroFilledRatio = (numerator: string, denominator: string): string =>
  `(${numerator} or ${denominator} * 0) / ${denominator}`;
/** Shows 0 instead of "No data" when the counter has never been incremented (e.g. no unpriced calls). */
export const orZero = (expr: string): string => `(${expr}) or on () vector(0)`;

/** Legend placeholder for a label, e.g. `{{gen_ai_request_model}}`. */
export const legendOf = (...labels: string[]): string => labels.map((l) => `{{${l}}}`).join(' / ');

export const prometheusQuery = (expr: string, legend: string): prometheus.DataqueryBuilder =>
  new prometheus.DataqueryBuilder().datasource(datasourceRef).expr(expr).legendFormat(legend).range();

/** One value per series at the end of the panel's range: for stats, bar gauges and pie charts. */
export const instantQuery = (expr: string, legend: string): prometheus.DataqueryBuilder =>
  new prometheus.DataqueryBuilder().datasource(datasourceRef).expr(expr).legendFormat(legend).instant();

/** Instant query in table format: one row per series, one column per label. */
export const tableQuery = (expr: string, refId: string): prometheus.DataqueryBuilder =>
  new prometheus.DataqueryBuilder()
    .datasource(datasourceRef)
    .expr(expr)
    .instant()
    .format(prometheus.PromQueryFormat.Table)
    .refId(refId);

export const datasourceVariable = (): dashboard.DatasourceVariableBuilder =>
  new dashboard.DatasourceVariableBuilder(DATASOURCE_VARIABLE)
    .label('Data source')
    .description('Prometheus that scrapes your llm-cost-otel metrics.')
    .type('prometheus')
    .current({ selected: true, text: 'LLM Cost Prometheus', value: PROMETHEUS_DATASOURCE_UID });

/**
 * A multi-select filter whose options come from the series that match every earlier filter, so
 * picking a provider narrows the model list, and so on. "All" is `.*`, which also matches series
 * that lack the label.
 */
export function filterVariable(filter: Filter): dashboard.QueryVariableBuilder {
  const earlier = FILTERS.slice(0, FILTERS.indexOf(filter)).map((f) => `${FILTER_LABEL[f]}=~"$${f}"`);
  const selector = earlier.length === 0 ? METRIC.requests : `${METRIC.requests}{${earlier.join(',')}}`;
  const query = `label_values(${selector}, ${FILTER_LABEL[filter]})`;
  return new dashboard.QueryVariableBuilder(filter)
    .label(FILTER_TITLE[filter])
    .description(`Show only calls with these ${FILTER_LABEL[filter]} values.`)
    .datasource(datasourceRef)
    .query(query)
    .definition(query)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue('.*')
    .current({ selected: true, text: 'All', value: '$__all' });
}

export interface PanelBuilderLike {
  build(): dashboard.Panel;
}

/** Builds a dashboard with the shared settings, variables and links, and numbers its panels. */
export function buildDashboard(spec: {
  uid: string;
  title: string;
  description: string;
  rows: { title: string; panels: PanelBuilderLike[] }[];
}): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .description(spec.description)
    .tags([DASHBOARD_TAG])
    .editable()
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh('1m')
    .time({ from: 'now-6h', to: 'now' })
    .timezone('utc')
    .link(
      new dashboard.DashboardLinkBuilder('LLM Cost dashboards')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAG])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    )
    .withVariable(datasourceVariable());
  for (const filter of FILTERS) builder.withVariable(filterVariable(filter));
  for (const row of spec.rows) {
    builder.withRow(new dashboard.RowBuilder(row.title));
    for (const panel of row.panels) builder.withPanel(panel);
  }
  return numberPanels(builder.build());
}

/** Stable panel ids (1, 2, … in layout order) and refIds (A, B, …), which the SDK leaves unset. */
function numberPanels(dash: dashboard.Dashboard): dashboard.Dashboard {
  let id = 0;
  for (const panel of dash.panels ?? []) {
    id += 1;
    panel.id = id;
    const targets = 'targets' in panel ? (panel.targets ?? []) : [];
    targets.forEach((target, i) => {
      // The SDK types targets as opaque variants; every one we build is a Prometheus query.
      const query = target as unknown as { refId?: string };
      if (!query.refId) query.refId = String.fromCharCode(65 + i);
    });
  }
  return dash;
}

/** A time series with the house defaults: legend as a table with last/mean, multi-series tooltip. */
export const timeseriesPanel = (title: string, description: string): timeseries.PanelBuilder =>
  new timeseries.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(datasourceRef)
    .height(8)
    .span(12)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .placement(common.LegendPlacement.Bottom)
        .displayMode(common.LegendDisplayMode.Table)
        .calcs(['lastNotNull', 'mean', 'max']),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder()
        .mode(common.TooltipDisplayMode.Multi)
        .sort(common.SortOrder.Descending),
    );

/** Spend over time: USD per hour, stacked so the top edge is the total. */
export const moneyRateTimeseries = (title: string, description: string): timeseries.PanelBuilder =>
  timeseriesPanel(title, description)
    .unit(MONEY_UNIT)
    .decimals(2)
    .axisLabel('USD per hour')
    .min(0)
    .fillOpacity(30)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));

/** A single number, e.g. spend in the range. */
export const statPanel = (title: string, description: string): stat.PanelBuilder =>
  new stat.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(datasourceRef)
    .height(4)
    .span(6)
    .graphMode(common.BigValueGraphMode.None)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));

/** A single-colour stat: for values with no good or bad threshold, like money spent. */
export const neutralThresholds = (): dashboard.ThresholdsConfigBuilder =>
  new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: 'blue' }]);

/** Green at zero, red from `redFrom` on: for counts of things that should not happen. */
export const badCountThresholds = (redFrom = 1): dashboard.ThresholdsConfigBuilder =>
  new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: 'green' },
    { value: redFrom, color: 'red' },
  ]);

/** A table of instant queries merged on their labels, sorted by `sortColumn` descending. */
export const tablePanel = (title: string, description: string, sortColumn: string): table.PanelBuilder =>
  new table.PanelBuilder()
    .title(title)
    .description(description)
    .datasource(datasourceRef)
    .height(8)
    .span(12)
    .sortBy([new common.TableSortByFieldStateBuilder().displayName(sortColumn).desc(true)]);

/**
 * Transformations for a table of instant queries: merge them into one row per label set, drop the
 * time column and give the value columns readable names (`Value #A` → `Spend`).
 */
export function tableColumns(names: Record<string, string>): dashboard.DataTransformerConfig[] {
  const renameByName: Record<string, string> = {};
  for (const [refId, name] of Object.entries(names)) renameByName[`Value #${refId}`] = name;
  return [
    { id: 'merge', options: {} },
    { id: 'organize', options: { excludeByName: { Time: true }, indexByName: {}, renameByName } },
  ];
}

/** Field override setting a unit (and decimals) on one table column. */
export const columnUnit = (unit: string, decimals: number): { id: string; value: unknown }[] => [
  { id: 'unit', value: unit },
  { id: 'decimals', value: decimals },
];
