/**
 * Agent-run panels for the Agents dashboard: runs by outcome, success rate, spend per successful
 * run against the agent's baseline, run cost and duration distributions, and a per-agent table.
 */
import type * as table from '@grafana/grafana-foundation-sdk/table';
import type * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import { LABEL, METRIC, RUN_OUTCOMES } from '../../src/metrics/names.js';
import { prometheusQuery, tableQuery } from './common.js';
import {
  COUNT_UNIT,
  columnUnit,
  MONEY_UNIT,
  RATIO_UNIT,
  ratioByTimeseries,
  SECONDS_UNIT,
  tableColumns,
  tablePanel,
  timeseriesPanel,
  withQuantiles,
} from './panels.js';
import { increaseOverRange, legendOf, rate, series, sumBy, zeroFilledRatio } from './promql.js';

const [SUCCESS] = RUN_OUTCOMES;
const AGENT = [LABEL.agent];
const runs = series(METRIC.agentRuns);
const successes = series(METRIC.agentRuns, [`${LABEL.runOutcome}="${SUCCESS}"`]);
const runCost = series(METRIC.agentRunCostUsd, [], '_sum');
const runCostBuckets = series(METRIC.agentRunCostUsd, [], '_bucket');
const durationBuckets = series(METRIC.agentRunDurationSeconds, [], '_bucket');
const callsSum = series(METRIC.agentRunLlmCalls, [], '_sum');
const callsCount = series(METRIC.agentRunLlmCalls, [], '_count');
const baseline = series(METRIC.agentBaselineCostPerSuccessUsd);

/** A typical (p50) and a costly or slow (p90) run per agent, from a run histogram's buckets. */
const agentPercentilesTimeseries = (
  title: string,
  description: string,
  unit: string,
  decimals: number,
  buckets: string,
): timeseries.PanelBuilder =>
  withQuantiles(
    timeseriesPanel(title, description).unit(unit).decimals(decimals).min(0),
    sumBy([LABEL.agent, 'le'], rate(buckets)),
    [0.5, 0.9],
    legendOf(LABEL.agent),
  );

export const agentRunsTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Runs per agent by outcome',
    'Agent runs (tasks) ended per hour, by agent and outcome: success, failure (an error was thrown or ' +
      'run.fail() was called) or abandoned (never ended before the run timeout). Runs come from ' +
      'withAgentRun / startAgentRun and from frameworks’ invoke_agent spans.',
  )
    .unit(COUNT_UNIT)
    .decimals(1)
    .axisLabel('runs per hour')
    .min(0)
    .withTarget(
      prometheusQuery(
        `${sumBy([LABEL.agent, LABEL.runOutcome], rate(runs))} * 3600`,
        legendOf(LABEL.agent, LABEL.runOutcome),
      ),
    );

export const agentRunSuccessTimeseries = (): timeseries.PanelBuilder =>
  ratioByTimeseries(
    'Run success rate per agent',
    'Share of each agent’s ended runs that succeeded. Failed runs are paid for, so a falling success rate ' +
      'raises the spend per successful run next to it.',
    LABEL.agent,
    successes,
    runs,
  ).max(1);

export const agentSpendPerSuccessTimeseries = (): timeseries.PanelBuilder =>
  timeseriesPanel(
    'Spend per successful run vs baseline',
    'What one successful task costs: the spend of all of an agent’s runs (failed and abandoned included) ' +
      'divided by its successful runs — the recorded rule gen_ai_agent_name:llm_agent_run_cost_per_success_usd. ' +
      'Dashed: the agent’s configured baseline (runs.baselines). A sub-agent’s cost is also in its parent’s runs.',
  )
    .unit(MONEY_UNIT)
    .decimals(4)
    .min(0)
    .withTarget(
      prometheusQuery(
        `${sumBy(AGENT, rate(runCost))} / ${sumBy(AGENT, rate(successes))}`,
        legendOf(LABEL.agent),
      ),
    )
    .withTarget(prometheusQuery(`max by (${LABEL.agent}) (${baseline})`, `${legendOf(LABEL.agent)} baseline`))
    .overrideByRegexp('.* baseline$', [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [10, 10] } }]);

export const agentRunCostDistributionTimeseries = (): timeseries.PanelBuilder =>
  agentPercentilesTimeseries(
    'Run cost p50 / p90 per agent',
    'The cost of a typical (p50) and of an expensive (p90) run of each agent, from the run cost histogram ' +
      '(buckets from a tenth of a cent to $100). A widening gap means some tasks balloon: retries, long tool loops.',
    MONEY_UNIT,
    4,
    runCostBuckets,
  );

export const agentRunDurationTimeseries = (): timeseries.PanelBuilder =>
  agentPercentilesTimeseries(
    'Run duration p50 / p90 per agent',
    'How long a typical (p50) and a slow (p90) run of each agent takes, from one second to four hours.',
    SECONDS_UNIT,
    1,
    durationBuckets,
  );

export const agentRunsTable = (): table.PanelBuilder =>
  tablePanel(
    'Runs per agent',
    'Per agent over the selected range: runs ended, success rate, spend per successful run, LLM calls per ' +
      'run, and the configured baseline. Spend per successful run above the baseline is what the ' +
      'LLMAgentCostPerSuccessOverBaseline alert watches.',
    'Runs',
  )
    .withTarget(tableQuery(sumBy(AGENT, increaseOverRange(runs)), 'A'))
    .withTarget(
      tableQuery(
        zeroFilledRatio(sumBy(AGENT, increaseOverRange(successes)), sumBy(AGENT, increaseOverRange(runs))),
        'B',
      ),
    )
    .withTarget(
      tableQuery(
        `${sumBy(AGENT, increaseOverRange(runCost))} / ${sumBy(AGENT, increaseOverRange(successes))}`,
        'C',
      ),
    )
    .withTarget(
      tableQuery(
        `${sumBy(AGENT, increaseOverRange(callsSum))} / ${sumBy(AGENT, increaseOverRange(callsCount))}`,
        'D',
      ),
    )
    .withTarget(tableQuery(`max by (${LABEL.agent}) (${baseline})`, 'E'))
    .transformations(
      tableColumns({
        A: 'Runs',
        B: 'Success rate',
        C: 'Spend per successful run',
        D: 'LLM calls per run',
        E: 'Baseline',
      }),
    )
    .overrideByName('Runs', columnUnit(COUNT_UNIT, 0))
    .overrideByName('Success rate', columnUnit(RATIO_UNIT, 1))
    .overrideByName('Spend per successful run', columnUnit(MONEY_UNIT, 4))
    .overrideByName('LLM calls per run', columnUnit(COUNT_UNIT, 1))
    .overrideByName('Baseline', columnUnit(MONEY_UNIT, 4));

/** The Agents dashboard's rows of run panels. */
export const runRows = () => [
  {
    title: 'Runs (tasks) per agent',
    panels: [
      agentRunsTimeseries(),
      agentRunSuccessTimeseries(),
      agentSpendPerSuccessTimeseries(),
      agentRunsTable(),
    ],
  },
  {
    title: 'Run cost and duration',
    panels: [agentRunCostDistributionTimeseries(), agentRunDurationTimeseries()],
  },
];
