/**
 * `llm-cost export`: cost, tokens and requests by chosen dimensions over a time range, straight
 * from PromQL — the figures are exactly what Prometheus returns for the printed queries.
 */
import { LABEL, METRIC } from '../index.js';
import { bool, type CliIo, type Command, helpOption, type Output, processIo, str } from './command.js';
import { parseDuration, parseTime, promDuration } from './durations.js';
import { usageError } from './errors.js';
import { PromClient, type VectorSample } from './prom-api.js';
import { prometheusTarget } from './prometheus-flags.js';
import { AUTH_HELP, type AuthFlags, REQUEST_OPTIONS } from './request-auth.js';
import { csvTextCell, safeJson, safeText } from './terminal-text.js';
import { formatCount, formatUsd } from './top-render.js';

export interface ExportFlags extends AuthFlags {
  prometheus?: string;
  by?: string;
  range?: string;
  from?: string;
  to?: string;
  step?: string;
  format?: string;
  concurrency?: string;
  timeout?: string;
  /** Export agent runs (runs, successes, cost per successful run) instead of calls. */
  runs?: boolean;
}

/** Short names for `--by`; any other Prometheus label name is used as is. */
export const DIMENSIONS: Record<string, string> = {
  agent: LABEL.agent,
  model: LABEL.model,
  provider: LABEL.provider,
  operation: LABEL.appOperation,
  api_operation: LABEL.operation,
  token_type: LABEL.tokenType,
  outcome: LABEL.outcome,
  error_type: LABEL.errorType,
};

export const FORMATS = ['table', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

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

export interface ExportWindow {
  /** unix seconds */
  from: number;
  to: number;
}

export interface ExportRow extends WindowRow {
  cost?: VectorSample;
  tokens?: VectorSample;
  requests?: VectorSample;
}

export interface ExportPlan {
  labels: string[];
  /** Names as given in --by, in the same order as `labels`. */
  names: string[];
  windows: ExportWindow[];
  format: Format;
}

export function exportQueries(labels: readonly string[], rangeSeconds: number) {
  const by = labels.join(', ');
  const r = promDuration(Math.round(rangeSeconds * 1000));
  return {
    cost: `sum by (${by}) (increase(${METRIC.costUsd}[${r}]))`,
    tokens: `sum by (${by}) (increase(${METRIC.tokens}[${r}]))`,
    requests: `sum by (${by}) (increase(${METRIC.requests}[${r}]))`,
  };
}

export function planExport(flags: ExportFlags, nowMs = Date.now()): ExportPlan {
  const format = (flags.format ?? 'table') as Format;
  if (!(FORMATS as readonly string[]).includes(format)) {
    throw usageError(`--format must be one of ${FORMATS.join(', ')}, got "${flags.format}"`);
  }
  const names = (flags.by ?? 'agent,model')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw usageError('--by needs at least one dimension, e.g. --by agent');
  const labels = names.map((name) => {
    const label = DIMENSIONS[name] ?? name;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) {
      throw usageError(
        `--by: "${name}" is not a dimension or a label name (try ${Object.keys(DIMENSIONS).join(', ')})`,
      );
    }
    return label;
  });
  if (new Set(labels).size !== labels.length) throw usageError('--by names a dimension twice');
  if (flags.range !== undefined && flags.from !== undefined)
    throw usageError('give --range or --from, not both');
  const to = parseTime(flags.to ?? 'now', '--to', nowMs);
  const from =
    flags.from !== undefined
      ? parseTime(flags.from, '--from', nowMs)
      : to - parseDuration(flags.range ?? '7d', '--range') / 1000;
  if (!(from < to)) throw usageError('the range is empty: --from must be before --to');
  const windows: ExportWindow[] = [];
  if (flags.step === undefined) {
    windows.push({ from, to });
  } else {
    const step = parseDuration(flags.step, '--step') / 1000;
    if (step < 1) throw usageError('--step must be at least 1s');
    if ((to - from) / step > 10_000)
      throw usageError('--step makes more than 10,000 windows; use a larger step');
    for (let end = to; end > from + 1e-9; end -= step)
      windows.unshift({ from: Math.max(from, end - step), to: end });
  }
  // PromQL ranges are whole milliseconds; keep window bounds on the same grid.
  for (const w of windows) {
    w.from = Math.round(w.from * 1000) / 1000;
    w.to = Math.round(w.to * 1000) / 1000;
  }
  return { labels, names, windows, format };
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

export const iso = (unix: number) => new Date(unix * 1000).toISOString();

/** What a row of either export (calls, runs) starts with: its window and its labels. */
export interface WindowRow {
  from: number;
  to: number;
  labels: Record<string, string>;
}

/**
 * The JSON both exports print: the range, the dimensions, the queries of the last window, and
 * each row's window and labels followed by its `fields`. Label values come from the network:
 * safeJson escapes what a terminal would act on.
 */
export function renderExportJson<R extends WindowRow>(
  plan: ExportPlan,
  queriesFor: (labels: readonly string[], rangeSeconds: number) => unknown,
  rows: readonly R[],
  fields: (row: R) => Record<string, unknown>,
): string {
  const last = plan.windows.at(-1)!;
  const body = {
    from: iso(plan.windows[0]!.from),
    to: iso(last.to),
    by: plan.names,
    queries: queriesFor(plan.labels, last.to - last.from),
    rows: rows.map((r) => ({
      from: iso(r.from),
      to: iso(r.to),
      ...Object.fromEntries(plan.names.map((n, i) => [n, r.labels[plan.labels[i]!] ?? ''])),
      ...fields(r),
    })),
  };
  return `${safeJson(body, 2)}\n`;
}

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
