/**
 * `llm-cost export`: cost, tokens and requests by chosen dimensions over a time range, straight
 * from PromQL — the figures are exactly what Prometheus returns for the printed queries.
 */
import { bool, type CliIo, type Command, helpOption, type Output, processIo, str } from './command.js';
import {
  type ExportFlags,
  type ExportPlan,
  exportQueries,
  iso,
  planExport,
  renderExportJson,
  type WindowRow,
} from './export-plan.js';
import { formatCount, formatUsd } from './number-format.js';
import { PromClient, type VectorSample } from './prom-api.js';
import { prometheusTarget } from './prometheus-flags.js';
import { AUTH_HELP, REQUEST_OPTIONS } from './request-auth.js';
import { csvTextCell, safeText } from './terminal-text.js';

export const EXPORT_HELP = `llm-cost export — cost, tokens and requests by dimension over a time range, from Prometheus

Usage:
  llm-cost export --prometheus <url> [--by agent,model] [--range 7d | --from <t> [--to <t>]]
                  [--step <dur>] [--format table|csv|json]

For each window [from, to) and each metric, export runs one instant query at the window's end
(\`to\`), with L = the --by labels and R = to − from:
  cost_usd   sum by (L) (increase(llm_cost_usd_total[R]))
  tokens     sum by (L) (increase(llm_tokens_total[R]))
  requests   sum by (L) (increase(llm_requests_total[R]))
and joins the three on L. CSV and JSON carry Prometheus's values unchanged (increase()
extrapolates, so counts can be fractional). A label a metric lacks groups as "" (e.g.
token_type on requests). --step splits the range into windows of that length (one row per
window and group; the first window may be shorter) — 3 queries per window, with a progress
indicator on stderr when it is a terminal.

Options:
  --prometheus <url>  Prometheus base URL (required)
  --by <dims>         comma-separated: agent, model, provider, operation (the app's),
                      api_operation (chat, embeddings, …), token_type, outcome, error_type,
                      or any label name (default agent,model)
  --range <dur>       the window ending at --to (default 7d)
  --from <t>, --to <t>  times: now, now-2h, 2025-05-01, 2025-05-01T12:00:00Z, unix seconds
                      (--to defaults to now; --from and --range exclude each other)
  --step <dur>        one window per step instead of one for the whole range
  --format <f>        table (default), csv, json
  --runs              agent runs instead of calls: runs, successes, cost and cost per
                      successful run, by agent, outcome (the run's: success, failure,
                      abandoned) or a run label such as variant (default agent,outcome)

Label values from Prometheus are printed with control characters escaped (\x1b), and CSV cells
that a spreadsheet would run as a formula (starting with = + - @, tab or CR) get a leading '.

${AUTH_HELP}
Examples:
  llm-cost export --prometheus http://127.0.0.1:9090 --by agent --range 30d
  llm-cost export --prometheus http://127.0.0.1:9090 --by agent,model --range 7d --format csv > cost.csv
  llm-cost export --prometheus http://127.0.0.1:9090 --by model --from 2025-05-01 --to 2025-06-01 --step 1d --format json
  llm-cost export --prometheus http://127.0.0.1:9090 --runs --by agent,outcome --range 7d
`;

export interface ExportRow extends WindowRow {
  cost?: VectorSample;
  tokens?: VectorSample;
  requests?: VectorSample;
}

function progress(total: number, stderr: Output) {
  const tty = stderr.isTTY === true && total > 3;
  let done = 0;
  return {
    tick() {
      done++;
      if (tty) stderr.write(`\r\u001b[Kexport: ${done}/${total} queries`);
    },
    end() {
      if (tty) stderr.write('\r\u001b[K');
    },
  };
}

export async function collectExport(
  client: PromClient,
  plan: ExportPlan,
  stderr: Output = process.stderr,
  concurrency = 4,
): Promise<ExportRow[]> {
  const jobs = plan.windows.flatMap((w) => {
    const q = exportQueries(plan.labels, w.to - w.from);
    return (['cost', 'tokens', 'requests'] as const).map((metric) => ({ w, metric, expr: q[metric] }));
  });
  const results: VectorSample[][] = new Array(jobs.length);
  const bar = progress(jobs.length, stderr);
  let next = 0;
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, jobs.length) }, async () => {
        while (next < jobs.length) {
          const i = next++;
          const job = jobs[i]!;
          results[i] = await client.query(job.expr, job.w.to);
          bar.tick();
        }
      }),
    );
  } finally {
    bar.end();
  }
  const rows = new Map<string, ExportRow>();
  jobs.forEach((job, i) => {
    for (const sample of results[i]!) {
      const values = plan.labels.map((l) => sample.metric[l] ?? '');
      const key = `${job.w.from}\u0000${job.w.to}\u0000${values.join('\u0000')}`;
      let row = rows.get(key);
      if (!row) {
        row = {
          from: job.w.from,
          to: job.w.to,
          labels: Object.fromEntries(plan.labels.map((l, j) => [l, values[j]!])),
        };
        rows.set(key, row);
      }
      row[job.metric] = sample;
    }
  });
  return [...rows.values()].sort(
    (a, b) =>
      a.from - b.from || (b.cost?.value ?? 0) - (a.cost?.value ?? 0) || keyOf(a).localeCompare(keyOf(b)),
  );
}

const keyOf = (row: ExportRow) => Object.values(row.labels).join('\u0000');

export function renderExport(rows: readonly ExportRow[], plan: ExportPlan): string {
  const stepped = plan.windows.length > 1;
  if (plan.format === 'csv') {
    const header = [...(stepped ? ['from', 'to'] : []), ...plan.names, 'cost_usd', 'tokens', 'requests'];
    const lines = [header.map(csvTextCell).join(',')];
    for (const row of rows) {
      lines.push(
        [
          ...(stepped ? [iso(row.from), iso(row.to)] : []),
          // Label values come from the network: formula-neutralised and escaped.
          ...plan.labels.map((l) => csvTextCell(row.labels[l] ?? '')),
          // Values were checked to be numbers as text (prom-answer.ts); "-1.5" stays a number.
          row.cost?.text ?? '',
          row.tokens?.text ?? '',
          row.requests?.text ?? '',
        ].join(','),
      );
    }
    return `${lines.join('\n')}\n`;
  }
  if (plan.format === 'json') {
    const num = (s: VectorSample | undefined) => (s === undefined ? null : s.value);
    return renderExportJson(plan, exportQueries, rows, (r) => ({
      costUsd: num(r.cost),
      tokens: num(r.tokens),
      requests: num(r.requests),
    }));
  }
  const header = [...(stepped ? ['from', 'to'] : []), ...plan.names, 'cost', 'tokens', 'requests'];
  const body = rows.map((r) => [
    ...(stepped
      ? [iso(r.from).slice(0, 16).replace('T', ' '), iso(r.to).slice(0, 16).replace('T', ' ')]
      : []),
    ...plan.labels.map((l) => safeText(r.labels[l] || '—')),
    r.cost ? formatUsd(r.cost.value) : '',
    r.tokens ? formatCount(r.tokens.value) : '',
    r.requests ? formatCount(r.requests.value) : '',
  ]);
  const total = rows.reduce((s, r) => s + (r.cost?.value ?? 0), 0);
  const numeric = header.length - 3;
  // A loop, not Math.max(...column): a spread of 200,000 rows overflows the call stack.
  const widths = header.map((h) => h.length);
  for (const cells of body) {
    for (let i = 0; i < cells.length; i++) widths[i] = Math.max(widths[i]!, cells[i]!.length);
  }
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= numeric ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `${iso(plan.windows[0]!.from)} → ${iso(plan.windows.at(-1)!.to)}`,
    line(header),
    ...body.map(line),
    `total ${formatUsd(total)}${rows.length === 0 ? ' (no data in this range)' : ''}`,
  ];
  return `${out.join('\n')}\n`;
}

export async function runExport(flags: ExportFlags, io: CliIo = processIo()): Promise<number> {
  const { endpoint, timeoutMs } = prometheusTarget('export', flags, io.env);
  if (flags.runs) {
    const runs = await import('./export-runs.js');
    const plan = runs.planRunExport(flags);
    const client = new PromClient(endpoint, { timeoutMs });
    io.stdout.write(runs.renderRunExport(await runs.collectRunExport(client, plan), plan));
    return 0;
  }
  const plan = planExport(flags);
  const rows = await collectExport(new PromClient(endpoint, { timeoutMs }), plan, io.stderr);
  io.stdout.write(renderExport(rows, plan));
  return 0;
}

export const exportCommand: Command = {
  help: EXPORT_HELP,
  options: {
    ...helpOption,
    prometheus: str,
    by: str,
    range: str,
    from: str,
    to: str,
    step: str,
    format: str,
    ...REQUEST_OPTIONS,
    runs: bool,
  },
  run: (values, _positionals, io) => runExport(values as ExportFlags, io),
};
