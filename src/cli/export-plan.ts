/**
 * What both exports (calls, runs) share: the flags, `--by` dimensions and formats, the windows a
 * range and step make (`planExport`), and the JSON envelope they print.
 */
import { LABEL, METRIC } from '../metrics/names.js';
import { parseDuration, parseTime, promDuration } from './durations.js';
import { usageError } from './errors.js';
import type { AuthFlags } from './request-auth.js';
import { safeJson } from './terminal-text.js';

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
export type Format = (typeof FORMATS)[number];

export interface ExportWindow {
  /** unix seconds */
  from: number;
  to: number;
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
