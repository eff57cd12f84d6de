/** LLM Cost — Reliability: how many calls we make, how many fail, how slow they are, what is not counted. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LABEL, METRIC, OUTCOMES } from '../../src/metrics/names.js';
import {
  buildDashboard,
  COUNT_UNIT,
  countedOverRange,
  FILTER_LABEL,
  filtersFor,
  instantQuery,
  legendOf,
  neutralThresholds,
  prometheusQuery,
  RATIO_UNIT,
  REQUEST_RATE_UNIT,
  rate,
  SECONDS_UNIT,
  series,
  statPanel,
  sumBy,
  timeseriesPanel,
  zeroFilledRatio,
} from './common.js';

export const RELIABILITY_UID = 'llm-cost-reliability';

const [SUCCESS, ERROR, ABORTED] = OUTCOMES;

const requests = series(METRIC.requests);
const requestsWith = (outcome: string): string => series(METRIC.requests, [`${LABEL.outcome}="${outcome}"`]);
/** Latency of successful calls: fast-failing 429s would otherwise make things look quicker. */
const successBuckets = series(METRIC.requestDurationSeconds, [`${LABEL.outcome}="${SUCCESS}"`], '_bucket');
const usageMissing = series(METRIC.usageMissing);
/** Requests filtered the way usage-missing counts can be (no agent or operation labels on those). */
const requestsLikeUsageMissing = `${METRIC.requests}{${filtersFor(METRIC.usageMissing)
  .map((f) => `${FILTER_LABEL[f]}=~"$${f}"`)
  .join(',')}}`;

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

export const requestRateStat = (): stat.PanelBuilder =>
  statPanel('Request rate', 'LLM calls per second right now, every outcome together.')
    .span(5)
    .unit(REQUEST_RATE_UNIT)
    .decimals(2)
    .thresholds(neutralThresholds())
    .withTarget(instantQuery(sumBy([], rate(requests)), 'Requests per second'));

export const errorRatioStat = (): stat.PanelBuilder =>
  statPanel(
    'Error ratio',
    'Share of calls in the selected range that ended in an error (HTTP errors, rate limits, timeouts). ' +
      'Aborted streams are counted separately.',
  )
    .span(5)
    .unit(RATIO_UNIT)
    .decimals(1)
    .colorMode(common.BigValueColorMode.Background)
    .thresholds(errorThresholds())
    .withTarget(
      instantQuery(
        zeroFilledRatio(
          sumBy([], countedOverRange(requestsWith(ERROR))),
          sumBy([], countedOverRange(requests)),
        ),
        'Error ratio',
      ),
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
      instantQuery(`histogram_quantile(0.95, ${sumBy(['le'], `rate(${successBuckets}[$__range])`)})`, 'p95'),
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
  statPanel(
    'Usage missing',
    'Share of calls in the selected range whose response carried no usable token counts, so their cost is ' +
      'unknown and not in the spend. Should be near 0 %. Usage-missing counts carry no agent or operation, so ' +
      'this ratio follows the job, provider and model filters only (both numerator and denominator).',
  )
    .span(5)
    .unit(RATIO_UNIT)
    .decimals(1)
    .colorMode(common.BigValueColorMode.Background)
    .thresholds(errorThresholds())
    .withTarget(
      instantQuery(
        zeroFilledRatio(
          sumBy([], countedOverRange(usageMissing)),
          sumBy([], countedOverRange(requestsLikeUsageMissing)),
        ),
        'Usage missing',
      ),
    );

export const requestRateTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Request rate by provider and outcome',
    'LLM calls per second, split by provider and outcome.',
  )
    .unit(REQUEST_RATE_UNIT)
    .decimals(2)
    .min(0)
    .withTarget(
      prometheusQuery(
        sumBy([LABEL.provider, LABEL.outcome], rate(requests)),
        legendOf(LABEL.provider, LABEL.outcome),
      ),
    );

export const errorRatioByProviderTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Error ratio by provider',
    'Share of each provider’s calls that failed. A provider at 0 % is shown as a flat line, not left out.',
  )
    .unit(RATIO_UNIT)
    .decimals(1)
    .min(0)
    .withTarget(
      prometheusQuery(
        zeroFilledRatio(
          sumBy([LABEL.provider], rate(requestsWith(ERROR))),
          sumBy([LABEL.provider], rate(requests)),
        ),
        legendOf(LABEL.provider),
      ),
    );

export const errorsByTypeTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Errors by type',
    'Failed calls per second by provider and error type (e.g. rate_limit, server_error, timeout): tells a ' +
      'quota problem from a provider outage.',
  )
    .unit(REQUEST_RATE_UNIT)
    .decimals(3)
    .min(0)
    .withTarget(
      prometheusQuery(
        sumBy([LABEL.provider, LABEL.errorType], rate(requestsWith(ERROR))),
        legendOf(LABEL.provider, LABEL.errorType),
      ),
    );

export const latencyPercentilesTimeseries = (): timeseries.PanelBuilder => {
  const buckets = sumBy(['le'], rate(successBuckets));
  return timeseriesPanel(
    'Latency p50 / p95 / p99',
    'How long successful calls take, start to last byte: half finish under p50, 95 % under p95, 99 % under p99.',
  )
    .unit(SECONDS_UNIT)
    .decimals(2)
    .min(0)
    .withTarget(prometheusQuery(`histogram_quantile(0.5, ${buckets})`, 'p50'))
    .withTarget(prometheusQuery(`histogram_quantile(0.95, ${buckets})`, 'p95'))
    .withTarget(prometheusQuery(`histogram_quantile(0.99, ${buckets})`, 'p99'));
};

export const latencyP95ByModelTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel('Latency p95 by model', '95th percentile duration of successful calls, per model.')
    .unit(SECONDS_UNIT)
    .decimals(2)
    .min(0)
    .withTarget(
      prometheusQuery(
        `histogram_quantile(0.95, ${sumBy([LABEL.model, 'le'], rate(successBuckets))})`,
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
  timeseriesPanel(
    'Usage missing by reason',
    'Calls per second whose token usage could not be read, by provider, model and reason (e.g. a stream ' +
      'that ended before its usage chunk). Their cost is not in the spend; empty is good.',
  )
    .unit(REQUEST_RATE_UNIT)
    .decimals(3)
    .min(0)
    .withTarget(
      prometheusQuery(
        sumBy([LABEL.provider, LABEL.model, LABEL.reason], rate(usageMissing)),
        legendOf(LABEL.provider, LABEL.model, LABEL.reason),
      ),
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
