/**
 * `llm-cost whatif`: what the token mix observed in Prometheus would have cost on other models,
 * per (provider, model[, --by groups]), with savings and each assumption next to its figure.
 */

import { defaultCandidates, parseModelRef } from '../advice/candidates.js';
import { type ModelRef, type Repricing, repriceWorkload } from '../advice/reprice.js';
import { fetchWorkload, type WorkloadQueries, type WorkloadRow } from '../advice/workload.js';
import { type CliIo, type Command, processIo, str } from './command.js';
import { parseDuration, parseTime, promDuration } from './durations.js';
import { usageError } from './errors.js';
import { DIMENSIONS } from './export-plan.js';
import { formatUsd } from './number-format.js';
import { PromClient } from './prom-api.js';
import { formatFlag, PROMETHEUS_READ_OPTIONS, prometheusTarget } from './prometheus-flags.js';
import { AUTH_HELP, type AuthFlags } from './request-auth.js';
import { safeLines } from './terminal-text.js';

export interface WhatifFlags extends AuthFlags {
  /** Deadline of each request to Prometheus, answer included (default 15s). */
  timeout?: string;
  prometheus?: string;
  range?: string;
  at?: string;
  to?: string;
  by?: string;
  limit?: string;
  format?: string;
}

export const WHATIF_HELP = `llm-cost whatif — what the observed token mix would have cost on other models

Usage:
  llm-cost whatif --prometheus <url> [--range 7d] [--to gpt-4o-mini,claude-3-5-haiku]
                  [--by agent] [--limit 3] [--at <t>] [--format table|json]

Reads, over the range ending at --at (L = provider, model and the --by labels):
  sum by (L, llm_token_type) (increase(llm_tokens_total[R]))     the token mix
  sum by (L) (increase(llm_cost_usd_total[R]))                   what it cost (the baseline)
  sum by (L) (increase(llm_requests_total[R]))                   calls (for the average prompt)
  sum by (provider, model) (increase(llm_unpriced_requests_total[R]))
and prices each row's mix on every candidate with the bundled price catalog. Savings are
against the observed cost. What cannot transfer is said under each figure: reasoning tokens
onto a model that does not reason (priced as output), cache reads or writes onto a model that
does not price them (priced as input), 1-hour cache writes (the metrics merge them; priced at the
5-minute rate), long-context tiers (per-call prompt sizes are not in the metrics), caching that
works differently at another provider.

Options:
  --prometheus <url>  Prometheus base URL (required)
  --range <dur>       the window (default 7d)
  --to <models>       candidates, comma-separated; a bare name is looked up under openai,
                      anthropic, gcp.gemini, …; write provider:model to choose. Default: per row,
                      the same provider's cheaper current models of the same kind (chat or
                      embeddings; reasoning models when the row reasons), cheapest first
  --limit <n>         default candidates per row (default 3)
  --by <dims>         extra grouping: agent, operation, or any label name
  --at <t>            end of the window (default now)
  --format <f>        table (default) or json


${AUTH_HELP}

Examples:
  llm-cost whatif --prometheus http://127.0.0.1:9090 --range 7d
  llm-cost whatif --prometheus http://127.0.0.1:9090 --range 7d --to gpt-4o-mini,claude-3-5-haiku --by agent
`;

export interface WhatifRow {
  row: WorkloadRow;
  repricing: Repricing;
}

export interface WhatifResult {
  from: number;
  to: number;
  queries: WorkloadQueries;
  byNames: string[];
  rows: WhatifRow[];
}

export function parseByLabels(by: string | undefined): { names: string[]; labels: string[] } {
  const names = (by ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const labels = names.map((name) => {
    const label = DIMENSIONS[name] ?? name;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label)) throw usageError(`--by: "${name}" is not a label name`);
    return label;
  });
  return { names, labels };
}

export function parseCandidates(text: string | undefined): ModelRef[] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw usageError('--to needs at least one model, e.g. --to gpt-4o-mini');
  return names.map((name) => {
    const ref = parseModelRef(name);
    if (!ref)
      throw usageError(
        `--to: no known price for "${name}" (write provider:model, e.g. openai:gpt-4o-mini; see llm-cost price ${name})`,
      );
    return ref;
  });
}

export async function collectWhatif(
  client: { query: PromClient['query'] },
  flags: WhatifFlags,
  nowMs = Date.now(),
): Promise<WhatifResult> {
  const rangeMs = parseDuration(flags.range ?? '7d', '--range');
  const to = parseTime(flags.at ?? 'now', '--at', nowMs);
  const { names, labels } = parseByLabels(flags.by);
  const candidates = parseCandidates(flags.to);
  const limit = flags.limit === undefined ? 3 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw usageError(`--limit must be a whole number ≥ 1, got "${flags.limit}"`);
  const { rows, queries } = await fetchWorkload(client, labels, promDuration(rangeMs), to);
  const at = to * 1000;
  return {
    from: to - rangeMs / 1000,
    to,
    queries,
    byNames: names,
    rows: rows.map((row) => {
      const from = { provider: row.provider, model: row.model };
      const targets = (candidates ?? defaultCandidates(from, row.mix, { limit, at })).filter(
        (t) => !(t.provider === row.provider && t.model === row.model),
      );
      const repricing = repriceWorkload(row.mix, {
        from,
        to: targets,
        requests: row.requests,
        at,
        ...(row.costUsd === null ? {} : { actualUsd: row.costUsd }),
      });
      return { row, repricing };
    }),
  };
}

const count = (n: number) =>
  n >= 1e6
    ? `${(n / 1e6).toFixed(2)}M`
    : n >= 1e4
      ? `${(n / 1e3).toFixed(1)}K`
      : Math.round(n).toLocaleString('en-US');

function mixText(row: WorkloadRow): string {
  const parts = (Object.entries(row.mix) as [string, number][])
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${count(v)} ${k.replace('_', '-')}`);
  return `${parts.join(', ') || 'no tokens'}; ${Math.round(row.requests).toLocaleString('en-US')} calls`;
}

export function renderWhatif(result: WhatifResult, format: 'table' | 'json'): string {
  if (format === 'json') {
    return `${JSON.stringify(
      {
        from: new Date(result.from * 1000).toISOString(),
        to: new Date(result.to * 1000).toISOString(),
        queries: result.queries,
        rows: result.rows.map(({ row, repricing }) => ({ ...row, ...repricing })),
      },
      null,
      2,
    )}\n`;
  }
  const out = [
    `what it would have cost instead, ${new Date(result.from * 1000).toISOString()} → ${new Date(result.to * 1000).toISOString()}`,
  ];
  if (result.rows.length === 0) out.push('(no LLM calls in this range)');
  for (const { row, repricing } of result.rows) {
    const group = Object.values(row.group).filter(Boolean);
    const observed =
      row.costUsd === null
        ? `observed cost incomplete (${Math.round(row.unpricedRequests)} unpriced calls)`
        : `${formatUsd(row.costUsd)} observed`;
    out.push('', `${[...group, `${row.provider} ${row.model}`].join(' · ')}: ${observed} (${mixText(row)})`);
    if (repricing.results.length === 0) out.push('  no cheaper model of the same kind in the catalog');
    for (const r of repricing.results) {
      const name = `${r.target.provider} ${r.target.model}`;
      if (!r.priced) {
        out.push(`  → ${name}: cannot price (${r.message})`);
        continue;
      }
      const saving =
        r.savingUsd === null
          ? ''
          : r.savingUsd >= 0
            ? `  saves ${formatUsd(r.savingUsd)}${r.savingPercent === null ? '' : ` (${r.savingPercent.toFixed(1)}%)`}`
            : `  costs ${formatUsd(-r.savingUsd)} more${r.savingPercent === null ? '' : ` (+${(-r.savingPercent).toFixed(1)}%)`}`;
      out.push(`  → ${name.padEnd(36)} ${formatUsd(r.costUsd).padStart(10)}${saving}`);
      for (const a of r.assumptions) out.push(`      assumes: ${a.text}`);
    }
  }
  out.push('', `queries: ${result.queries.tokens}`, `         ${result.queries.cost}`);
  return `${out.join('\n')}\n`;
}

export async function runWhatif(flags: WhatifFlags, io: CliIo = processIo()): Promise<number> {
  const { endpoint, timeoutMs } = prometheusTarget('whatif', flags, io.env);
  const format = formatFlag(flags.format, ['table', 'json']);
  const client = new PromClient(endpoint, { timeoutMs });
  const rendered = renderWhatif(await collectWhatif(client, flags), format);
  // Model and agent names come from Prometheus: no escape sequence of theirs reaches the terminal.
  io.stdout.write(format === 'json' ? rendered : safeLines(rendered));
  return 0;
}

export const whatifCommand: Command = {
  help: WHATIF_HELP,
  options: {
    ...PROMETHEUS_READ_OPTIONS,
    to: str,
    by: str,
    limit: str,
  },
  run: (values, _positionals, io) => runWhatif(values as WhatifFlags, io),
};
