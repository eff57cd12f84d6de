/** LLM Cost — Tokens & efficiency: what the tokens are, and what each token and request costs. */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type * as stat from '@grafana/grafana-foundation-sdk/stat';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LABEL, METRIC, OUTCOMES, TOKEN_TYPES } from '../../src/metrics/names.js';
import { buildDashboard, instantQuery, prometheusQuery } from './common.js';
import {
  MONEY_UNIT,
  neutralThresholds,
  RATIO_UNIT,
  rateByTimeseries,
  ratioByTimeseries,
  statPanel,
  TOKEN_UNIT,
  timeseriesPanel,
  withQuantiles,
} from './panels.js';
import { countedOverRange, legendOf, rate, series, sumBy } from './promql.js';

export const TOKENS_UID = 'llm-cost-tokens';

const [INPUT, CACHE_READ, CACHE_WRITE, OUTPUT, REASONING] = TOKEN_TYPES;
const [SUCCESS] = OUTCOMES;

const tokensOfType = (...types: string[]): string =>
  series(METRIC.tokens, types.length === 0 ? [] : [`${LABEL.tokenType}=~"${types.join('|')}"`]);
const allTokens = tokensOfType();
/** Everything sent to the model: uncached input plus cache reads and cache writes. */
const promptTokens = tokensOfType(INPUT, CACHE_READ, CACHE_WRITE);
/** Everything generated: visible output plus reasoning. */
const generatedTokens = tokensOfType(OUTPUT, REASONING);
const cost = series(METRIC.costUsd);
const requests = series(METRIC.requests);

const tokenStat = (title: string, selector: string, description: string): stat.PanelBuilder =>
  statPanel(title, description)
    .unit(TOKEN_UNIT)
    .decimals(1)
    .thresholds(neutralThresholds())
    .withTarget(instantQuery(sumBy([], countedOverRange(selector)), title));

export const tokensInRangeStat = (): stat.PanelBuilder =>
  tokenStat(
    'Tokens',
    allTokens,
    'All tokens billed in the selected time range, every billing type together.',
  );

export const promptTokensStat = (): stat.PanelBuilder =>
  tokenStat(
    'Prompt tokens',
    promptTokens,
    'Tokens sent to models in the selected range: uncached input, cache reads and cache writes.',
  );

export const generatedTokensStat = (): stat.PanelBuilder =>
  tokenStat(
    'Generated tokens',
    generatedTokens,
    'Tokens models produced in the selected range: visible output plus hidden reasoning tokens.',
  );

export const cacheHitRatioStat = (): stat.PanelBuilder =>
  statPanel(
    'Cache hit ratio',
    'Share of prompt tokens served from the provider’s prompt cache in the selected range. Cache reads are ' +
      'billed at a fraction of the input price, so higher is cheaper.',
  )
    .unit(RATIO_UNIT)
    .decimals(1)
    .thresholds(neutralThresholds())
    .withTarget(
      instantQuery(
        `${sumBy([], countedOverRange(tokensOfType(CACHE_READ)))} / ${sumBy([], countedOverRange(promptTokens))}`,
        'Cache hit ratio',
      ),
    );

export const tokensByTypeTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Tokens by type',
    'Tokens per second by billing type: input (uncached), cache_read, cache_write, output and reasoning. ' +
      'The types do not overlap, so the stack is the total billed.',
  )
    .unit(TOKEN_UNIT)
    .decimals(1)
    .axisLabel('tokens per second')
    .min(0)
    .fillOpacity(30)
    .stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal))
    .withTarget(prometheusQuery(sumBy([LABEL.tokenType], rate(allTokens)), legendOf(LABEL.tokenType)));

export const tokensByModelTimeseries = (): timeseries.PanelBuilder =>
  rateByTimeseries(
    {
      title: 'Tokens by model',
      description: 'Tokens per second per model, all billing types together.',
      unit: TOKEN_UNIT,
      decimals: 1,
    },
    [LABEL.model],
    allTokens,
  ).axisLabel('tokens per second');

export const costPer1kTokensTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Cost per 1K tokens',
    'Average US dollars per thousand tokens, per model, across all billing types. It falls as more of the ' +
      'prompt comes from cache and rises with output-heavy or reasoning-heavy calls.',
  )
    .unit(MONEY_UNIT)
    .decimals(4)
    .withTarget(
      prometheusQuery(
        `${sumBy([LABEL.model], rate(cost))} / ${sumBy([LABEL.model], rate(allTokens))} * 1000`,
        legendOf(LABEL.model),
      ),
    );

export const costPerSuccessfulRequestTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Cost per successful request',
    'US dollars spent per successful request, per model. Failed and aborted calls that were still billed ' +
      'count in the spend but not in the requests, so retries and cut streams show up as a higher cost.',
  )
    .unit(MONEY_UNIT)
    .decimals(5)
    .withTarget(
      prometheusQuery(
        `${sumBy([LABEL.model], rate(cost))} / ${sumBy(
          [LABEL.model],
          rate(series(METRIC.requests, [`${LABEL.outcome}="${SUCCESS}"`])),
        )}`,
        legendOf(LABEL.model),
      ),
    );

export const requestCostPercentilesTimeseries = (): timeseries.PanelBuilder =>
  withQuantiles(
    timeseriesPanel(
      'Cost of a single request (p50 / p95 / p99)',
      'How much one request costs: half of requests cost less than p50, 95 % less than p95. Estimated from a ' +
        'histogram with log-spaced buckets, so read it as an order of magnitude.',
    )
      .unit(MONEY_UNIT)
      .decimals(5),
    sumBy(['le'], rate(series(METRIC.requestCostUsd, [], '_bucket'))),
    [0.5, 0.95, 0.99],
  );

export const tokensPerRequestTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Tokens per request',
    'Average tokens per request (all outcomes), per model. Growing prompts, e.g. from an ever-longer chat ' +
      'history, show up here before they show up on the bill.',
  )
    .unit(TOKEN_UNIT)
    .decimals(0)
    .withTarget(
      prometheusQuery(
        `${sumBy([LABEL.model], rate(allTokens))} / ${sumBy([LABEL.model], rate(requests))}`,
        legendOf(LABEL.model),
      ),
    );

export const inputOutputRatioTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Input / output ratio',
    'Prompt tokens (input, cache reads and writes) per generated token (output and reasoning), per model. ' +
      '20 means the model reads 20 tokens for every token it writes; large ratios point at long contexts. ' +
      'Models that generate no tokens (embeddings) have no ratio.',
  )
    .unit(TOKEN_UNIT)
    .decimals(1)
    .withTarget(
      prometheusQuery(
        // Embeddings generate nothing: no ratio for them rather than +Inf.
        `${sumBy([LABEL.model], rate(promptTokens))} / (${sumBy([LABEL.model], rate(generatedTokens))} > 0)`,
        legendOf(LABEL.model),
      ),
    );

export const cacheHitRatioTimeseries = (): timeseries.PanelBuilder =>
  ratioByTimeseries(
    'Cache hit ratio by model',
    'Share of each model’s prompt tokens read from the prompt cache. 0 % means caching is off or the ' +
      'prompts’ prefixes change between calls.',
    LABEL.model,
    tokensOfType(CACHE_READ),
    promptTokens,
  ).max(1);

export const tokensDashboard = (): dashboard.Dashboard =>
  buildDashboard({
    uid: TOKENS_UID,
    title: 'LLM Cost — Tokens & efficiency',
    description: 'What kinds of tokens you pay for, and what a token and a request cost per model.',
    rows: [
      {
        title: 'Tokens in range',
        panels: [tokensInRangeStat(), promptTokensStat(), generatedTokensStat(), cacheHitRatioStat()],
      },
      { title: 'Tokens', panels: [tokensByTypeTimeseries(), tokensByModelTimeseries()] },
      {
        title: 'Unit costs',
        panels: [
          costPer1kTokensTimeseries(),
          costPerSuccessfulRequestTimeseries(),
          requestCostPercentilesTimeseries().span(24),
        ],
      },
      {
        title: 'Efficiency',
        panels: [
          tokensPerRequestTimeseries().span(8),
          inputOutputRatioTimeseries().span(8),
          cacheHitRatioTimeseries().span(8),
        ],
      },
    ],
  });
