/**
 * The runs table of `llm-cost top`: agent runs (tasks) per agent, their success rate and what one
 * successful run costs — from a `/metrics` page or from Prometheus.
 */

import { LABEL, METRIC } from '../metrics/names.js';
import type { Colors } from './colors.js';
import { type Sample, sumBy } from './metrics-text.js';
import { formatCount, formatPercent, formatUsd } from './number-format.js';
import type { VectorSample } from './prom-api.js';
import { safeText } from './terminal-text.js';

export interface RunRow {
  agent: string;
  runs: number;
  successes: number;
  /** Cost of all the agent's runs, failed and abandoned included. */
  costUsd: number;
}

function rowsOf(
  runs: Iterable<{ labels: Record<string, string>; value: number }>,
  costs: Iterable<{ labels: Record<string, string>; value: number }>,
): RunRow[] {
  const rows = new Map<string, RunRow>();
  const row = (agent: string) => {
    let r = rows.get(agent);
    if (!r) {
      r = { agent, runs: 0, successes: 0, costUsd: 0 };
      rows.set(agent, r);
    }
    return r;
  };
  for (const g of runs) {
    const r = row(g.labels[LABEL.agent] ?? '');
    r.runs += g.value;
    if (g.labels[LABEL.runOutcome] === 'success') r.successes += g.value;
  }
  for (const g of costs) row(g.labels[LABEL.agent] ?? '').costUsd += g.value;
  return [...rows.values()].filter((r) => r.runs > 0);
}

/** Runs per agent from a `/metrics` page (totals since the process started). */
export function runRowsFromSamples(samples: readonly Sample[]): RunRow[] {
  return rowsOf(
    sumBy(samples, METRIC.agentRuns, [LABEL.agent, LABEL.runOutcome]).values(),
    sumBy(samples, `${METRIC.agentRunCostUsd}_sum`, [LABEL.agent]).values(),
  );
}

/** The PromQL of the runs table over `range`. */
export function runQueries(range: string) {
  return {
    runs: `sum by (${LABEL.agent}, ${LABEL.runOutcome}) (increase(${METRIC.agentRuns}[${range}]))`,
    cost: `sum by (${LABEL.agent}) (increase(${METRIC.agentRunCostUsd}_sum[${range}]))`,
  };
}

export function runRowsFromVectors(runs: readonly VectorSample[], costs: readonly VectorSample[]): RunRow[] {
  const grouped = (v: readonly VectorSample[]) => v.map((s) => ({ labels: s.metric, value: s.value }));
  return rowsOf(grouped(runs), grouped(costs));
}

/** The table's lines; none when no agent ran a run (apps without `withAgentRun` see no change). */
export function renderRuns(rows: readonly RunRow[], colors: Colors, maxRows: number): string[] {
  if (rows.length === 0) return [];
  const sorted = [...rows].sort((a, b) => b.costUsd - a.costUsd || a.agent.localeCompare(b.agent));
  const shown = sorted.slice(0, maxRows);
  // Agent names come from the network: escaped, and measured without spreading a huge array.
  const names = shown.map((r) => safeText(r.agent));
  const longest = names.reduce((m, n) => Math.max(m, n.length), 0);
  const nameWidth = Math.max(12, Math.min(30, longest));
  const lines = [
    '',
    colors.bold(
      `${'Runs'.padEnd(nameWidth + 2)}${'runs'.padStart(10)}${'success'.padStart(10)}${'cost'.padStart(12)}${'$/success'.padStart(12)}`,
    ),
  ];
  for (const [i, r] of shown.entries()) {
    const rate = r.runs > 0 ? r.successes / r.runs : 0;
    const rateText = formatPercent(rate).padStart(10);
    const perSuccess = r.successes > 0 ? formatUsd(r.costUsd / r.successes) : '—';
    lines.push(
      `  ${names[i]!.padEnd(nameWidth)}${formatCount(r.runs).padStart(10)}${rate < 0.8 ? colors.red(rateText) : rateText}${formatUsd(r.costUsd).padStart(12)}${perSuccess.padStart(12)}`,
    );
  }
  if (sorted.length > maxRows) lines.push(colors.dim(`  … ${sorted.length - maxRows} more`));
  return lines;
}
