/**
 * What every LLM Cost dashboard shares: the datasource, the filter variables and which of them
 * each metric family follows, the query builders and the dashboard frame (settings, variables,
 * links, panel numbering). PromQL pieces are in `promql.ts`, panel factories in `panels.ts`.
 * Metric and label names come from the metric contract (`src/metrics/names.ts`), so a renamed
 * metric changes every query here.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
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

/** The dashboard-variable matchers of `filters`, e.g. `job=~"$job"`. */
export const filterMatchers = (filters: readonly Filter[]): string[] =>
  filters.map((f) => `${FILTER_LABEL[f]}=~"$${f}"`);

/** `name{…}` with the dashboard-variable matchers of `filters`; no filters gives the bare name. */
export const filteredSelector = (name: string, filters: readonly Filter[]): string =>
  filters.length === 0 ? name : `${name}{${filterMatchers(filters).join(',')}}`;

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
  const selector = filteredSelector(METRIC.requests, FILTERS.slice(0, FILTERS.indexOf(filter)));
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
