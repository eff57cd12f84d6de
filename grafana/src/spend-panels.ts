/** Spend panels that more than one dashboard shows: spend rate per label, and where the money went. */
import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { METRIC } from '../../src/metrics/names.js';
import { prometheusQuery, tableQuery } from './common.js';
import {
  COUNT_UNIT,
  columnUnit,
  MONEY_UNIT,
  moneyRateTimeseries,
  TOKEN_UNIT,
  tableColumns,
  tablePanel,
} from './panels.js';
import { countedOverRange, legendOf, rate, series, sumBy } from './promql.js';

/** USD per hour from a per-second rate. */
export const perHour = (expr: string): string => `${expr} * 3600`;

/** Spend in USD per hour per `label`, stacked so the top edge is the total. */
export const spendByTimeseries = (
  label: string,
  title: string,
  description: string,
): timeseries.PanelBuilder =>
  moneyRateTimeseries(title, description).withTarget(
    prometheusQuery(perHour(sumBy([label], rate(series(METRIC.costUsd)))), legendOf(label)),
  );

/**
 * Spend, requests and tokens in the selected range per `labels`, most expensive first: one row
 * per label set, so it shows where the money goes (per model, per agent and model…).
 */
export const spendTable = (
  title: string,
  description: string,
  labels: readonly string[],
  spendDecimals: number,
): table.PanelBuilder =>
  tablePanel(title, description, 'Spend')
    .withTarget(tableQuery(sumBy(labels, countedOverRange(series(METRIC.costUsd))), 'A'))
    .withTarget(tableQuery(sumBy(labels, countedOverRange(series(METRIC.requests))), 'B'))
    .withTarget(tableQuery(sumBy(labels, countedOverRange(series(METRIC.tokens))), 'C'))
    .transformations(tableColumns({ A: 'Spend', B: 'Requests', C: 'Tokens' }))
    .overrideByName('Spend', columnUnit(MONEY_UNIT, spendDecimals))
    .overrideByName('Requests', columnUnit(COUNT_UNIT, 0))
    .overrideByName('Tokens', columnUnit(TOKEN_UNIT, 0));
