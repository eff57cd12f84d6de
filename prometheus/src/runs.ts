/**
 * Agent-run rules: cost per successful run (one division, recorded), success ratio, and the two
 * efficiency alerts — against the agent's configured baseline, and against the same hours last
 * week (so a weekly pattern, e.g. bigger tasks at weekends, is not a regression). Shipped as their
 * own file, `llm-cost-runs.yml`.
 */
import { LABEL, METRIC } from '../../src/metrics/names.js';
import type { Duration, RulesConfig, Severity } from './config.js';
import { dashboardUrl } from './dashboard-links.js';
import { type AlertingRule, by, level, type RecordingRule, type RuleGroup, select } from './promql.js';

export interface RunRulesConfig {
  /** Range of the recorded cost per successful run and success ratio. Raise it for agents with few runs an hour. */
  window: Duration;
  /** Longer range the weekly comparison averages over (one busy hour should not flip it). */
  regressionWindow: Duration;
  /** An agent needs this many ended runs in the window before either alert judges it (noise floor). */
  minRuns: number;
  baseline: {
    alert: string;
    /** Fires when cost per successful run exceeds the agent's baseline gauge × factor. */
    factor: number;
    severity: Severity;
    for: Duration;
  };
  regression: {
    alert: string;
    /** Fires when cost per successful run exceeds the same hours a week earlier × factor. */
    factor: number;
    severity: Severity;
    for: Duration;
  };
}

export const runRulesConfig: RunRulesConfig = {
  window: '1h',
  regressionWindow: '6h',
  minRuns: 5,
  baseline: { alert: 'LLMAgentCostPerSuccessOverBaseline', factor: 1.5, severity: 'warning', for: '30m' },
  regression: { alert: 'LLMAgentEfficiencyRegression', factor: 1.3, severity: 'warning', for: '1h' },
};

const AGENT = [LABEL.agent] as const;

/** Recording-rule names for dashboards and tests. */
export const RUN_RECORD = {
  /** USD spent by an agent's runs (failed and abandoned included) ÷ its successful runs. */
  costPerSuccess: (window: Duration) =>
    `${level(AGENT)}:llm_agent_run_cost_per_success_usd:ratio_rate${window}`,
  successRatio: (window: Duration) => `${level(AGENT)}:llm_agent_runs_success:ratio_rate${window}`,
};

/** `sum by (agent) (rate(cost_sum)) / sum by (agent) (rate(successful runs))`, optionally offset. */
export function costPerSuccessExpr(cfg: RulesConfig, window: Duration, offset = ''): string {
  const o = offset ? ` offset ${offset}` : '';
  const cost = select(cfg, `${METRIC.agentRunCostUsd}_sum`);
  const successes = select(cfg, METRIC.agentRuns, `${LABEL.runOutcome}="success"`);
  return `sum ${by(AGENT)} (rate(${cost}[${window}]${o}))\n  /\nsum ${by(AGENT)} (rate(${successes}[${window}]${o}))`;
}

function records(cfg: RulesConfig, r: RunRulesConfig): RuleGroup<RecordingRule> {
  const runs = select(cfg, METRIC.agentRuns);
  const successes = select(cfg, METRIC.agentRuns, `${LABEL.runOutcome}="success"`);
  const windows = [...new Set([r.window, r.regressionWindow])];
  return {
    name: 'llm-cost.runs.records',
    rules: [
      ...windows.map((w) => ({ record: RUN_RECORD.costPerSuccess(w), expr: costPerSuccessExpr(cfg, w) })),
      {
        record: RUN_RECORD.successRatio(r.window),
        expr: `sum ${by(AGENT)} (rate(${successes}[${r.window}]))\n  /\nsum ${by(AGENT)} (rate(${runs}[${r.window}]))`,
      },
    ],
  };
}

const agent = `{{ $labels.${LABEL.agent} }}`;

function alerts(cfg: RulesConfig, r: RunRulesConfig): RuleGroup<AlertingRule> {
  const floor = (window: Duration) =>
    `sum ${by(AGENT)} (increase(${select(cfg, METRIC.agentRuns)}[${window}])) >= ${r.minRuns}`;
  const baselineGauge = select(cfg, METRIC.agentBaselineCostPerSuccessUsd);
  const baselineLookup = `{{ with printf \`max(${METRIC.agentBaselineCostPerSuccessUsd}{${LABEL.agent}=%q})\` $labels.${LABEL.agent} | query }}{{ . | first | value | printf "$%.2f" }}{{ end }}`;
  // The same division for this alert's agent, a week earlier, for the description.
  const who = `${LABEL.agent}=%q`;
  const lastWeek =
    `sum(rate(${METRIC.agentRunCostUsd}_sum{${who}}[${r.regressionWindow}] offset 1w)) / ` +
    `sum(rate(${METRIC.agentRuns}{${who},${LABEL.runOutcome}="success"}[${r.regressionWindow}] offset 1w))`;
  const lastWeekLookup = `{{ with printf \`${lastWeek}\` $labels.${LABEL.agent} $labels.${LABEL.agent} | query }}{{ . | first | value | printf "$%.2f" }}{{ end }}`;
  const rule = (
    spec: RunRulesConfig['baseline'],
    expr: string,
    summary: string,
    description: string,
  ): AlertingRule => ({
    alert: spec.alert,
    expr,
    for: spec.for,
    labels: { severity: spec.severity },
    annotations: {
      summary,
      description,
      runbook_url: `${cfg.runbookBaseUrl}#${spec.alert.toLowerCase()}`,
      dashboard_url: dashboardUrl(cfg, spec.alert),
    },
  });
  const b = r.baseline;
  const g = r.regression;
  return {
    name: 'llm-cost.runs.alerts',
    rules: [
      rule(
        b,
        `${RUN_RECORD.costPerSuccess(r.window)}\n  > on (${LABEL.agent})\n${b.factor} * max ${by(AGENT)} (${baselineGauge})\nand on (${LABEL.agent})\n${floor(r.window)}`,
        `Agent ${agent} costs over ${b.factor}× its baseline per successful run.`,
        `Runs of agent ${agent} cost {{ $value | printf "$%.2f" }} per successful run over the last ${r.window} ` +
          `(failed and abandoned runs included), over ${b.factor}× its baseline of ${baselineLookup}. ` +
          `Agents with fewer than ${r.minRuns} runs in ${r.window} are not judged.`,
      ),
      rule(
        g,
        `${RUN_RECORD.costPerSuccess(r.regressionWindow)}\n  > on (${LABEL.agent})\n${g.factor} * (\n${costPerSuccessExpr(cfg, r.regressionWindow, '1w')}\n)\nand on (${LABEL.agent})\n${floor(r.regressionWindow)}`,
        `Agent ${agent} got less efficient than the same time last week.`,
        `Runs of agent ${agent} cost {{ $value | printf "$%.2f" }} per successful run over the last ${r.regressionWindow}, ` +
          `over ${g.factor}× the ${lastWeekLookup} of the same ${r.regressionWindow} a week earlier.`,
      ),
    ],
  };
}

export function runRuleGroups(cfg: RulesConfig, r: RunRulesConfig = runRulesConfig) {
  return { recording: [records(cfg, r)], alerting: [alerts(cfg, r)] };
}
