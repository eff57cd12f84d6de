/** `llm-cost top`: spend, rates, budgets and the per-agent / per-model split, live or once. */
import { colorsFor } from './colors.js';
import { bool, type CliIo, type Command, helpOption, processIo, str } from './command.js';
import { parseDuration } from './durations.js';
import { usageError } from './errors.js';
import { startLiveView } from './live-view.js';
import { normalizeBaseUrl, PromClient } from './prom-api.js';
import { AUTH_HELP, type AuthFlags, authHeaders, endpointFor, REQUEST_OPTIONS } from './request-auth.js';
import { safeJson } from './terminal-text.js';
import { renderTop, SORT_KEYS, type SortKey } from './top-render.js';
import { fetchMetricsText, MetricsSource, PrometheusSource, type TopSource } from './top-sources.js';

export interface TopFlags extends AuthFlags {
  metrics?: string;
  prometheus?: string;
  once?: boolean;
  json?: boolean;
  interval?: string;
  range?: string;
  'rate-window'?: string;
  sort?: string;
  timeout?: string;
}

export const TOP_HELP = `llm-cost top — live spend dashboard in the terminal

Usage:
  llm-cost top --metrics <url> [--interval 1s] [--once] [--json] [--sort cost|requests|name]
  llm-cost top --prometheus <url> [--range 1d] [--rate-window 5m] [--interval 5s] [--once] [--json]

Shows total spend, spend per hour, a 24 h projection at that rate, budget bars (green below 80 %,
yellow from 80 %, red from 95 % — the thresholds of the shipped alerts), per-agent and per-model
tables with each one's share of the spend, and the recent error rate; when the app runs agent
runs (withAgentRun), a Runs table: runs, success rate, cost and cost per successful run per agent.
Keys (live view): s cycle sort (cost, requests, name) · r refresh now · q quit.

Sources:
  --metrics <url>      a process's own /metrics page. Totals since that process started; the rate
                       and error rate from the samples top took over the last 60 s (--once takes
                       two samples --interval apart).
  --prometheus <url>   a Prometheus server. Every query is evaluated at one instant (printed in the
                       title), R = --range, W = --rate-window:
                         total      sum(increase(llm_cost_usd_total[R]))
                         per hour   sum(rate(llm_cost_usd_total[W])) * 3600
                         requests   sum(increase(llm_requests_total[R]))
                         errors     sum(rate(llm_requests_total{llm_outcome="error"}[W]))
                                      / sum(rate(llm_requests_total[W]))
                         agents     sum by (gen_ai_agent_name) (increase(llm_cost_usd_total[R]))
                         models     sum by (gen_ai_provider_name, gen_ai_request_model) (increase(…[R]))
                         budgets    max by (llm_budget_name, llm_budget_window) (llm_budget_limit_usd),
                                    sum by (llm_budget_name) (increase(llm_budget_spend_usd_total[<window>]))
                         runs       sum by (gen_ai_agent_name, llm_run_outcome) (increase(llm_agent_runs_total[R])),
                                    sum by (gen_ai_agent_name) (increase(llm_agent_run_cost_usd_sum[R]))

Options:
  --once               print one snapshot and exit (no escape codes when not a terminal)
  --json               with --once: the snapshot as JSON
  --interval <dur>     refresh interval (default 1s for --metrics, 5s for --prometheus)
  --sort <key>         initial sort: cost (default), requests, name
  --range <dur>        Prometheus: range of totals and tables (default 1d)
  --rate-window <dur>  Prometheus: window of the rates (default 5m)

${AUTH_HELP}
Examples:
  llm-cost top --metrics http://127.0.0.1:9465/metrics
  llm-cost top --prometheus http://127.0.0.1:9090 --range 7d
  llm-cost top --once --metrics http://127.0.0.1:9465/metrics | tee spend.txt
  llm-cost top --once --json --prometheus http://127.0.0.1:9090 | jq .totalUsd
`;

export function topSource(
  flags: TopFlags,
  env: NodeJS.ProcessEnv = process.env,
): { source: TopSource; intervalMs: number } {
  if (flags.metrics && flags.prometheus) throw usageError('top: give --metrics or --prometheus, not both');
  if (!flags.metrics && !flags.prometheus) {
    throw usageError('top: give --metrics <url> or --prometheus <url> (see llm-cost top --help)');
  }
  const headers = authHeaders(flags, env);
  const timeoutMs = parseDuration(flags.timeout ?? (flags.metrics ? '10s' : '15s'), '--timeout');
  if (flags.metrics) {
    const endpoint = endpointFor(normalizeBaseUrl(flags.metrics, '--metrics'), headers);
    const intervalMs = parseDuration(flags.interval ?? '1s', '--interval');
    const read = () => fetchMetricsText(endpoint, timeoutMs);
    return { source: new MetricsSource(endpoint.display, read), intervalMs };
  }
  const endpoint = endpointFor(normalizeBaseUrl(flags.prometheus!, '--prometheus'), headers);
  const intervalMs = parseDuration(flags.interval ?? '5s', '--interval');
  const source = new PrometheusSource(new PromClient(endpoint, { timeoutMs }), {
    rangeMs: parseDuration(flags.range ?? '1d', '--range'),
    rateWindowMs: parseDuration(flags['rate-window'] ?? '5m', '--rate-window'),
  });
  return { source, intervalMs };
}

export function parseSort(value: string | undefined): SortKey {
  if (value === undefined) return 'cost';
  if (!(SORT_KEYS as readonly string[]).includes(value)) {
    throw usageError(`--sort must be one of ${SORT_KEYS.join(', ')}, got "${value}"`);
  }
  return value as SortKey;
}

export async function runTop(flags: TopFlags, io: CliIo = processIo()): Promise<number> {
  const { source, intervalMs } = topSource(flags, io.env);
  if (intervalMs < 100) throw usageError('--interval must be at least 100ms');
  const sort = parseSort(flags.sort);
  if (flags.json && !flags.once) throw usageError('--json needs --once');
  const colors = colorsFor(io.stdout, io.env);

  let snapshot = await source.snapshot();
  if (flags.once) {
    if (source instanceof MetricsSource) {
      await new Promise((r) => setTimeout(r, intervalMs));
      snapshot = await source.snapshot();
    }
    if (flags.json) io.stdout.write(`${safeJson(snapshot)}\n`);
    else io.stdout.write(renderTop(snapshot, { colors, sort, width: io.stdout.columns ?? 100 }));
    return 0;
  }

  await new Promise<void>((resolve) => {
    const view = startLiveView({
      source,
      intervalMs,
      colors,
      sort,
      initial: snapshot,
      out: io.stdout,
      onQuit: () => finish(),
    });
    const finish = () => {
      view.stop();
      process.off('SIGINT', finish);
      process.off('SIGTERM', finish);
      resolve();
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
  });
  return 0;
}

export const topCommand: Command = {
  help: TOP_HELP,
  options: {
    ...helpOption,
    metrics: str,
    prometheus: str,
    once: bool,
    json: bool,
    interval: str,
    range: str,
    'rate-window': str,
    sort: str,
    ...REQUEST_OPTIONS,
  },
  run: (values, _positionals, io) => runTop(values as TopFlags, io),
};
