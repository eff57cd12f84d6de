/**
 * The `llm-cost top` screen as a pure function of a snapshot: no I/O, no clock, so the live view,
 * `--once`, the demo's view and the tests all render the same text.
 */

import type { Colors } from './colors.js';
import { formatCount, formatPercent, formatUsd } from './number-format.js';
import { safeText } from './terminal-text.js';
import { type RunRow, renderRuns } from './top-runs.js';

/** One row of the per-agent or per-model table. */
export interface BreakdownRow {
  /** What the row is: an agent name, or `provider/model`. */
  name: string;
  costUsd: number;
  requests: number;
  errors: number;
}

export interface BudgetRow {
  name: string;
  window: string;
  spentUsd: number;
  limitUsd: number;
}

export interface TopSnapshot {
  /** Where the figures came from (a /metrics or Prometheus URL). */
  source: string;
  /** When the figures were taken (Prometheus: the evaluation time of every query). */
  at: Date;
  totalUsd: number;
  /** What `totalUsd` covers, e.g. `since process start` or `last 1d`. */
  totalScope: string;
  /** Spend per hour at the recent rate; undefined until two samples exist. */
  usdPerHour: number | undefined;
  /** What the rate covers, e.g. `last 60s` or `rate over 5m`. */
  rateScope: string;
  requests: number;
  /** Errors / requests over `errorScope`; undefined when there were no requests in it. */
  errorRate: number | undefined;
  errorScope: string;
  unpricedRequests: number;
  budgets: BudgetRow[];
  agents: BreakdownRow[];
  models: BreakdownRow[];
  /** Agent runs per agent (`withAgentRun`); absent or empty when the app runs none. */
  runs?: RunRow[];
}

export const SORT_KEYS = ['cost', 'requests', 'name'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export function nextSort(sort: SortKey): SortKey {
  return SORT_KEYS[(SORT_KEYS.indexOf(sort) + 1) % SORT_KEYS.length]!;
}

export interface RenderOptions {
  colors: Colors;
  /** Terminal columns. Default 100. */
  width?: number;
  sort?: SortKey;
  /** Show the key help line (live view). */
  live?: boolean;
  /** Extra lines under the title (the demo's URLs and progress). */
  header?: string[];
  /** A status line at the bottom (last refresh error, …). */
  status?: string;
  /** Table rows shown per section at most. Default 12. */
  maxRows?: number;
}

/** Budget state by the fraction used: the shipped alerts warn at 80 % and page at 95 %. */
export function budgetLevel(fraction: number): 'ok' | 'warning' | 'critical' {
  if (fraction >= 0.95) return 'critical';
  if (fraction >= 0.8) return 'warning';
  return 'ok';
}

export function bar(fraction: number, width: number): string {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(clamped * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

export function sortRows(rows: readonly BreakdownRow[], sort: SortKey): BreakdownRow[] {
  const byName = (a: BreakdownRow, b: BreakdownRow) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const sorted = [...rows];
  if (sort === 'name') return sorted.sort(byName);
  if (sort === 'requests') return sorted.sort((a, b) => b.requests - a.requests || byName(a, b));
  return sorted.sort((a, b) => b.costUsd - a.costUsd || byName(a, b));
}

function clip(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  return `${text.slice(0, Math.max(0, width - 1))}…`;
}

function table(title: string, rows: readonly BreakdownRow[], totalUsd: number, o: Required<RenderOptions>) {
  const c = o.colors;
  // A loop, not Math.max(...rows): a spread of 200,000 rows overflows the call stack.
  let longest = 0;
  for (const r of rows) longest = Math.max(longest, safeText(r.name).length);
  // Fixed columns: indent 2, cost 12, gap 2, share % 8, requests 10, errors 8.
  const nameWidth = Math.max(12, Math.min(44, longest, o.width - 42 - 10));
  const shareBar = Math.max(6, Math.min(20, o.width - nameWidth - 42));
  const lines = [
    c.bold(
      `${clip(title, nameWidth + 2)}${'cost'.padStart(12)}  ${'share'.padEnd(shareBar + 8)}${'requests'.padStart(10)}${'errors'.padStart(8)}`,
    ),
  ];
  const sorted = sortRows(rows, o.sort);
  for (const row of sorted.slice(0, o.maxRows)) {
    const share = totalUsd > 0 ? row.costUsd / totalUsd : 0;
    const errorRate = row.requests > 0 ? row.errors / row.requests : 0;
    const errorText = formatPercent(errorRate).padStart(8);
    lines.push(
      `  ${clip(safeText(row.name), nameWidth)}${formatUsd(row.costUsd).padStart(12)}  ${c.cyan(bar(share, shareBar))} ${formatPercent(share).padStart(6)} ${formatCount(row.requests).padStart(10)}${errorRate >= 0.05 ? c.red(errorText) : errorText}`,
    );
  }
  if (sorted.length > o.maxRows) lines.push(c.dim(`  … ${sorted.length - o.maxRows} more`));
  if (sorted.length === 0) lines.push(c.dim('  (no calls yet)'));
  return lines;
}

export function renderTop(s: TopSnapshot, options: RenderOptions): string {
  const o: Required<RenderOptions> = {
    width: 100,
    sort: 'cost',
    live: false,
    header: [],
    status: '',
    maxRows: 12,
    ...options,
  };
  o.width = Math.max(60, o.width);
  const c = o.colors;
  const lines: string[] = [];
  // Text from the network is escaped before the CLI adds its own colours.
  lines.push(`${c.bold('llm-cost top')}  ${safeText(s.source)}  ${c.dim(s.at.toISOString())}`);
  lines.push(...o.header);
  if (o.live) lines.push(c.dim(`sort: ${o.sort}   keys: s sort · r refresh · q quit`));
  lines.push('');
  const label = (text: string) => text.padEnd(14);
  lines.push(`${label('Total spend')}${c.bold(formatUsd(s.totalUsd).padStart(12))}  ${c.dim(s.totalScope)}`);
  const perHour = s.usdPerHour === undefined ? '—' : `${formatUsd(s.usdPerHour)}/h`;
  lines.push(`${label('Spend rate')}${perHour.padStart(12)}  ${c.dim(s.rateScope)}`);
  const perDay = s.usdPerHour === undefined ? '—' : `${formatUsd(s.usdPerHour * 24)}/day`;
  lines.push(`${label('Projection')}${perDay.padStart(12)}  ${c.dim('24 h at the current rate')}`);
  const errors = s.errorRate === undefined ? '—' : formatPercent(s.errorRate);
  const errorText = s.errorRate !== undefined && s.errorRate >= 0.05 ? c.red(errors) : errors;
  lines.push(
    `${label('Requests')}${formatCount(s.requests).padStart(12)}  errors ${errorText} ${c.dim(s.errorScope)}` +
      (s.unpricedRequests > 0 ? `  ${c.yellow(`unpriced ${formatCount(s.unpricedRequests)}`)}` : ''),
  );

  lines.push('');
  lines.push(c.bold('Budgets'));
  if (s.budgets.length === 0) lines.push(c.dim('  (none configured)'));
  const budgetBar = Math.max(10, Math.min(30, o.width - 70));
  let budgetName = 10;
  for (const b of s.budgets) budgetName = Math.max(budgetName, Math.min(30, safeText(b.name).length));
  for (const b of s.budgets) {
    const fraction = b.limitUsd > 0 ? b.spentUsd / b.limitUsd : 0;
    const level = budgetLevel(fraction);
    const paint = level === 'critical' ? c.red : level === 'warning' ? c.yellow : c.green;
    const marker = level === 'critical' ? 'OVER 95%' : level === 'warning' ? 'OVER 80%' : 'ok';
    lines.push(
      `  ${clip(safeText(b.name), budgetName)} ${safeText(b.window).padEnd(4)} ${paint(bar(fraction, budgetBar))} ${formatPercent(fraction).padStart(7)}  ${formatUsd(b.spentUsd)} of ${formatUsd(b.limitUsd)}  ${paint(marker)}`,
    );
  }
  lines.push('');
  lines.push(...table('Agents', s.agents, s.totalUsd, o));
  lines.push('');
  lines.push(...table('Models', s.models, s.totalUsd, o));
  lines.push(...renderRuns(s.runs ?? [], c, o.maxRows));
  if (o.status) {
    lines.push('');
    lines.push(o.status);
  }
  return `${lines.join('\n')}\n`;
}
