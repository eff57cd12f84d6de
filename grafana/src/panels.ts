/** Panel factories with the house defaults, the units and thresholds they use, and table helpers. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { datasourceRef, prometheusQuery } from './common.js';
import { histogramQuantile, legendOf, rate, sumBy, zeroFilledRatio } from './promql.js';

export const MONEY_UNIT = units.Dollars;
export const TOKEN_UNIT = units.Short;
/** Plain counts of calls. */
export const COUNT_UNIT = units.Short;
export const RATIO_UNIT = units.PercentUnit;
export const SECONDS_UNIT = units.Seconds;
export const REQUEST_RATE_UNIT = units.RequestsPerSecond;

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

/** Per-second rate of `selector` summed by `labels`: one line per label set, from zero up. */
export const rateByTimeseries = (
  panel: { title: string; description: string; unit: string; decimals: number },
  labels: readonly string[],
  selector: string,
): timeseries.PanelBuilder =>
  timeseriesPanel(panel.title, panel.description)
    .unit(panel.unit)
    .decimals(panel.decimals)
    .min(0)
    .withTarget(prometheusQuery(sumBy(labels, rate(selector)), legendOf(...labels)));

/**
 * The share `numerator / denominator` of rates per `label`, zero-filled: a group with no numerator
 * series yet (no errors, no cache hits) shows a flat zero line instead of disappearing.
 */
export const ratioByTimeseries = (
  title: string,
  description: string,
  label: string,
  numerator: string,
  denominator: string,
): timeseries.PanelBuilder =>
  timeseriesPanel(title, description)
    .unit(RATIO_UNIT)
    .decimals(1)
    .min(0)
    .withTarget(
      prometheusQuery(
        zeroFilledRatio(sumBy([label], rate(numerator)), sumBy([label], rate(denominator))),
        legendOf(label),
      ),
    );

/**
 * Adds one line per quantile of a histogram (`buckets` already summed by `le`), named `p50`,
 * `p95`… after `legendPrefix` when one is given.
 */
export function withQuantiles(
  panel: timeseries.PanelBuilder,
  buckets: string,
  quantiles: readonly number[],
  legendPrefix?: string,
): timeseries.PanelBuilder {
  for (const q of quantiles) {
    const name = `p${Math.round(q * 100)}`;
    panel.withTarget(
      prometheusQuery(histogramQuantile(q, buckets), legendPrefix ? `${legendPrefix} ${name}` : name),
    );
  }
  return panel;
}
