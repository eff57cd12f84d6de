/** LLM Cost — Reliability: how many calls we make, how many fail, how slow they are, what is not counted. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LABEL, METRIC, OUTCOMES } from '../../src/metrics/names.js';
import { buildDashboard, filteredSelector, filtersFor, instantQuery, prometheusQuery } from './common.js';
import {
  COUNT_UNIT,
  neutralThresholds,
  RATIO_UNIT,
  REQUEST_RATE_UNIT,
  rateByTimeseries,
  ratioByTimeseries,
  SECONDS_UNIT,
  statPanel,
  timeseriesPanel,
  withQuantiles,
} from './panels.js';
import {
  countedOverRange,
  histogramQuantile,
  legendOf,
  rate,
  series,
  sumBy,
  zeroFilledRatio,
} from './promql.js';

export const RELIABILITY_UID = 'llm-cost-reliability';

const [SUCCESS, ERROR, ABORTED] = OUTCOMES;

const requests = series(METRIC.requests);
const requestsWith = (outcome: string): string => series(METRIC.requests, [`${LABEL.outcome}="${outcome}"`]);
/** Latency of successful calls: fast-failing 429s would otherwise make things look quicker. */
const successBuckets = series(METRIC.requestDurationSeconds, [`${LABEL.outcome}="${SUCCESS}"`], '_bucket');
const usageMissing = series(METRIC.usageMissing);
/** Requests filtered the way usage-missing counts can be (no agent or operation labels on those). */
const requestsLikeUsageMissing = filteredSelector(METRIC.requests, filtersFor(METRIC.usageMissing));

/**
 * Colours matching the shipped alert rules: 5 % of calls failing (or without usage) is worth a
 * look (warning), half of them failing is an outage (critical).
 */
const errorThresholds = (): dashboard.ThresholdsConfigBuilder =>
  new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps([
    { value: null, color: 'green' },
    { value: 0.05, color: 'orange' },
    { value: 0.5, color: 'red' },
  ]);

/** Share of calls in the range that went wrong, coloured by the alert thresholds. */
const failureRatioStat = (
  title: string,
  description: string,
  failed: string,
  all: string,
): stat.PanelBuilder =>
  statPanel(title, description)
    .span(5)
    .unit(RATIO_UNIT)
    .decimals(1)
    .colorMode(common.BigValueColorMode.Background)
    .thresholds(errorThresholds())
    .withTarget(
      instantQuery(
        zeroFilledRatio(sumBy([], countedOverRange(failed)), sumBy([], countedOverRange(all))),
        title,
      ),
    );

export const requestRateStat = (): stat.PanelBuilder =>
  statPanel('Request rate', 'LLM calls per second right now, every outcome together.')
    .span(5)
    .unit(REQUEST_RATE_UNIT)
    .decimals(2)
    .thresholds(neutralThresholds())
    .withTarget(instantQuery(sumBy([], rate(requests)), 'Requests per second'));

export const errorRatioStat = (): stat.PanelBuilder =>
  failureRatioStat(
    'Error ratio',
    'Share of calls in the selected range that ended in an error (HTTP errors, rate limits, timeouts). ' +
      'Aborted streams are counted separately.',
    requestsWith(ERROR),
    requests,
  );

export const latencyP95Stat = (): stat.PanelBuilder =>
  statPanel(
    'Latency p95',
    '95 % of successful calls in the selected range finished faster than this (whole call, including streaming).',
  )
    .span(5)
    .unit(SECONDS_UNIT)
    .decimals(2)
    .thresholds(neutralThresholds())
    .withTarget(
      instantQuery(histogramQuantile(0.95, sumBy(['le'], `rate(${successBuckets}[$__range])`)), 'p95'),
    );

export const abortedStat = (): stat.PanelBuilder =>
  statPanel(
    'Aborted calls',
    'Calls that were cut off before finishing (the caller stopped reading a stream, or the connection broke) in ' +
      'the selected range. Whatever usage was known is still billed and counted.',
  )
    .span(4)
    .unit(COUNT_UNIT)
    .decimals(0)
    .thresholds(neutralThresholds())
    .withTarget(
      instantQuery(
        `${sumBy([], countedOverRange(requestsWith(ABORTED)))} or ${sumBy([], countedOverRange(requests))} * 0`,
        'Aborted',
      ),
    );

export const usageMissingRatioStat = (): stat.PanelBuilder =>
  failureRatioStat(
    'Usage missing',
    'Share of calls in the selected range whose response carried no usable token counts, so their cost is ' +
      'unknown and not in the spend. Should be near 0 %. Usage-missing counts carry no agent or operation, so ' +
      'this ratio follows the job, provider and model filters only (both numerator and denominator).',
    usageMissing,
    requestsLikeUsageMissing,
  );

export const requestRateTimeseries = (): timeseries.PanelBuilder =>
  rateByTimeseries(
    {
      title: 'Request rate by provider and outcome',
      description: 'LLM calls per second, split by provider and outcome.',
      unit: REQUEST_RATE_UNIT,
      decimals: 2,
    },
    [LABEL.provider, LABEL.outcome],
    requests,
  );

export const errorRatioByProviderTimeseries = (): timeseries.PanelBuilder =>
  ratioByTimeseries(
    'Error ratio by provider',
    'Share of each provider’s calls that failed. A provider at 0 % is shown as a flat line, not left out.',
    LABEL.provider,
    requestsWith(ERROR),
    requests,
  );

export const errorsByTypeTimeseries = (): timeseries.PanelBuilder =>
  rateByTimeseries(
    {
      title: 'Errors by type',
      description:
        'Failed calls per second by provider and error type (e.g. rate_limit, server_error, timeout): tells a ' +
        'quota problem from a provider outage.',
      unit: REQUEST_RATE_UNIT,
      decimals: 3,
    },
    [LABEL.provider, LABEL.errorType],
    requestsWith(ERROR),
  );

export const latencyPercentilesTimeseries = (): timeseries.PanelBuilder =>
  withQuantiles(
    timeseriesPanel(
      'Latency p50 / p95 / p99',
      'How long successful calls take, start to last byte: half finish under p50, 95 % under p95, 99 % under p99.',
    )
      .unit(SECONDS_UNIT)
      .decimals(2)
      .min(0),
    sumBy(['le'], rate(successBuckets)),
    [0.5, 0.95, 0.99],
  );

export const latencyP95ByModelTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel('Latency p95 by model', '95th percentile duration of successful calls, per model.')
    .unit(SECONDS_UNIT)
    .decimals(2)
    .min(0)
    .withTarget(
      prometheusQuery(
        histogramQuantile(0.95, sumBy([LABEL.model, 'le'], rate(successBuckets))),
        legendOf(LABEL.model),
      ),
    );

export const abortedStreamsTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Aborted calls by provider',
    'Calls per second that were cut off before finishing, usually streams the caller stopped reading. ' +
      'Providers with none show a flat zero line.',
  )
    .unit(REQUEST_RATE_UNIT)
    .decimals(3)
    .min(0)
    .withTarget(
      prometheusQuery(
        `${sumBy([LABEL.provider], rate(requestsWith(ABORTED)))} or ${sumBy([LABEL.provider], rate(requests))} * 0`,
        legendOf(LABEL.provider),
      ),
    );

export const usageMissingTimeseries = (): timeseries.PanelBuilder =>
  rateByTimeseries(
    {
      title: 'Usage missing by reason',
      description:
        'Calls per second whose token usage could not be read, by provider, model and reason (e.g. a stream ' +
        'that ended before its usage chunk). Their cost is not in the spend; empty is good.',
      unit: REQUEST_RATE_UNIT,
      decimals: 3,
    },
    [LABEL.provider, LABEL.model, LABEL.reason],
    usageMissing,
  );

export const reliabilityDashboard = (): dashboard.Dashboard =>
  buildDashboard({
    uid: RELIABILITY_UID,
    title: 'LLM Cost — Reliability',
    description: 'How many LLM calls fail or are cut off, how slow they are, and which ones the cost misses.',
    rows: [
      {
        title: 'At a glance',
        panels: [
          requestRateStat(),
          errorRatioStat(),
          latencyP95Stat(),
          abortedStat(),
          usageMissingRatioStat(),
        ],
      },
      {
        title: 'Traffic and errors',
        panels: [
          requestRateTimeseries(),
          errorRatioByProviderTimeseries(),
          errorsByTypeTimeseries().span(24),
        ],
      },
      { title: 'Latency', panels: [latencyPercentilesTimeseries(), latencyP95ByModelTimeseries()] },
      { title: 'Calls the cost may miss', panels: [abortedStreamsTimeseries(), usageMissingTimeseries()] },
    ],
  });
