/**
 * `llm-cost export --runs`: agent runs instead of calls — runs, successful runs, their cost and
 * cost per successful run, by agent, run outcome (`--by outcome` means `llm_run_outcome` here) or
 * any run label (e.g. `variant`), over the same windows as the call export.
 */
import { LABEL, METRIC } from '../metrics/names.js';
import { promDuration } from './durations.js';
import {
  type ExportFlags,
  type ExportPlan,
  iso,
  planExport,
  renderExportJson,
  type WindowRow,
} from './export-plan.js';
import { formatUsd } from './number-format.js';
import type { PromClient, VectorSample } from './prom-api.js';
import { csvTextCell, safeText } from './terminal-text.js';

export interface RunExportRow extends WindowRow {
  runs: number;
  successes: number;
  costUsd: number;
}

/** The call export's plan, with `outcome` meaning the run outcome. */
export function planRunExport(flags: ExportFlags, nowMs = Date.now()): ExportPlan {
  const plan = planExport({ ...flags, by: flags.by ?? 'agent,outcome' }, nowMs);
  return { ...plan, labels: plan.labels.map((l) => (l === LABEL.outcome ? LABEL.runOutcome : l)) };
}

export function runExportQueries(labels: readonly string[], rangeSeconds: number) {
  const by = labels.join(', ');
  const r = promDuration(Math.round(rangeSeconds * 1000));
  return {
    runs: `sum by (${by}) (increase(${METRIC.agentRuns}[${r}]))`,
    successes: `sum by (${by}) (increase(${METRIC.agentRuns}{${LABEL.runOutcome}="success"}[${r}]))`,
    cost: `sum by (${by}) (increase(${METRIC.agentRunCostUsd}_sum[${r}]))`,
  };
}

export async function collectRunExport(client: PromClient, plan: ExportPlan): Promise<RunExportRow[]> {
  const rows = new Map<string, RunExportRow>();
  for (const w of plan.windows) {
    const q = runExportQueries(plan.labels, w.to - w.from);
    const [runs, successes, cost] = await Promise.all([
      client.query(q.runs, w.to),
      client.query(q.successes, w.to),
      client.query(q.cost, w.to),
    ]);
    const add = (samples: VectorSample[], field: 'runs' | 'successes' | 'costUsd') => {
      for (const s of samples) {
        const values = plan.labels.map((l) => s.metric[l] ?? '');
        const key = `${w.from}\u0000${values.join('\u0000')}`;
        let row = rows.get(key);
        if (!row) {
          const labels = Object.fromEntries(plan.labels.map((l, i) => [l, values[i]!]));
          row = { from: w.from, to: w.to, labels, runs: 0, successes: 0, costUsd: 0 };
          rows.set(key, row);
        }
        row[field] += s.value;
      }
    };
    add(runs, 'runs');
    add(successes, 'successes');
    add(cost, 'costUsd');
  }
  return [...rows.values()].sort((a, b) => a.from - b.from || b.costUsd - a.costUsd);
}

const perSuccess = (r: RunExportRow) => (r.successes > 0 ? r.costUsd / r.successes : null);

export function renderRunExport(rows: readonly RunExportRow[], plan: ExportPlan): string {
  const stepped = plan.windows.length > 1;
  const window = (r: RunExportRow) => (stepped ? [iso(r.from), iso(r.to)] : []);
  if (plan.format === 'json') {
    return renderExportJson(plan, runExportQueries, rows, (r) => ({
      runs: r.runs,
      successes: r.successes,
      costUsd: r.costUsd,
      costPerSuccessUsd: perSuccess(r),
    }));
  }
  const names = [...(stepped ? ['from', 'to'] : []), ...plan.names];
  if (plan.format === 'csv') {
    const lines = [[...names, 'runs', 'successes', 'cost_usd', 'cost_per_success_usd'].join(',')];
    for (const r of rows) {
      // Label values come from the network: neutralised as spreadsheet formulas, escaped, quoted.
      const cells = [...window(r), ...plan.labels.map((l) => csvTextCell(r.labels[l] ?? ''))];
      lines.push([...cells, r.runs, r.successes, r.costUsd, perSuccess(r) ?? ''].join(','));
    }
    return `${lines.join('\n')}\n`;
  }
  const header = [...names, 'runs', 'successes', 'cost', '$/success'];
  const body = rows.map((r) => [
    ...window(r).map((t) => t.slice(0, 16).replace('T', ' ')),
    ...plan.labels.map((l) => safeText(r.labels[l] || '—')),
    Math.round(r.runs).toLocaleString('en-US'),
    Math.round(r.successes).toLocaleString('en-US'),
    formatUsd(r.costUsd),
    perSuccess(r) === null ? '—' : formatUsd(perSuccess(r)!),
  ]);
  const numeric = header.length - 4;
  // No spread over the rows: an answer can hold 200,000 of them.
  const widths = header.map((h, i) => body.reduce((w, b) => Math.max(w, b[i]!.length), h.length));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= numeric ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return `${[
    `${iso(plan.windows[0]!.from)} → ${iso(plan.windows.at(-1)!.to)} (agent runs)`,
    line(header),
    ...body.map(line),
    ...(rows.length === 0 ? ['(no agent runs in this range)'] : []),
  ].join('\n')}\n`;
}
