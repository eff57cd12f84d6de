/**
 * `llm-cost demo`: the whole product on one machine with nothing else installed — a fake
 * provider, a multi-agent workload through the real SDK clients and this library, `/metrics`,
 * budgets, optionally a local Prometheus + Alertmanager with the shipped rules, and a live view.
 */
import { createServer } from 'node:net';
import { colorsFor } from '../cli/colors.js';
import { bool, type CliIo, type Command, helpOption, processIo, str } from '../cli/command.js';
import { humanDuration, parseDuration } from '../cli/durations.js';
import { CliError, usageError } from '../cli/errors.js';
import { type LiveView, startLiveView } from '../cli/live-view.js';
import { formatCount, formatPercent, formatUsd } from '../cli/number-format.js';
import { MetricsSource } from '../cli/top-sources.js';
import { type BudgetConfig, type LLMTelemetry, type RunsOptions, register } from '../index.js';
import { startFakeProvider } from './fake-provider/index.js';
import { type LocalStack, localStackAvailable, startLocalStack } from './local-stack.js';
import { providerUrlsOf, runWorkload, type WorkloadStats } from './workload.js';

export interface DemoFlags {
  duration?: string;
  rate?: string;
  calls?: string;
  port?: string;
  host?: string;
  budget?: string;
  seed?: string;
  'no-ui'?: boolean;
  'with-prometheus'?: boolean;
  'no-prometheus'?: boolean;
}

export const DEMO_HELP = `llm-cost demo — the whole thing running locally, nothing else needed (what \`npm start\` runs)

Starts a local fake LLM provider (OpenAI-, Anthropic- and Gemini-shaped; loopback only), drives a
simulated team of agents (planner, researcher, coder, reviewer, summarizer) through the real
openai, @anthropic-ai/sdk and @google/genai clients measured by this library — gpt-4o, gpt-4o-mini,
o4-mini, Claude Sonnet 4, Claude 3.5 Haiku, Gemini 2.5 Pro/Flash, embeddings, one unpriced model;
streaming and not; cache hits, reasoning, 429s, 500s, cut and abandoned streams — serves /metrics,
and shows the live view of \`llm-cost top\`. Ctrl-C (or q) stops everything and removes temp files.

Usage:
  llm-cost demo [options]

Options:
  --duration <dur>     run for this long, e.g. 30s, 2m (default: until Ctrl-C)
  --rate <n>           calls started per second (default 2)
  --calls <n>          stop the workload after n calls; keep serving /metrics until --duration/Ctrl-C
  --seed <n>           seed of the workload: the same seed makes the same calls (default 1)
  --host <addr>        interface of /metrics (default 127.0.0.1)
  --port <n>           port of /metrics (default 9465; 0 picks a free one)
  --budget <usd>       daily budget "demo-daily", plus "demo-coder-daily" at 40 % of it for the
                       coder agent (default 5)
  --no-ui              no live view: a progress line every 5 s and a summary at the end
  --with-prometheus    also start Prometheus and Alertmanager (binaries \`prometheus\` and
                       \`prometheus-alertmanager\`, or $PROMETHEUS_BIN / $ALERTMANAGER_BIN) with the
                       shipped rules, on free loopback ports; automatic when both are on PATH
  --no-prometheus      do not start them even when they are on PATH

Examples:
  llm-cost demo
  llm-cost demo --duration 2m --rate 5 --budget 1
  llm-cost demo --no-ui --port 0 --duration 30s --seed 7
  llm-cost demo --with-prometheus      # then open the printed Prometheus /alerts page
`;

function positiveNumber(text: string | undefined, flag: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0 || n > max) {
    throw usageError(`${flag} must be a number above 0 and at most ${max}, got "${text}"`);
  }
  return n;
}

function integer(text: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw usageError(`${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return n;
}

/** Fail early, with the fix, when /metrics cannot listen on host:port. */
async function checkListen(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new CliError(
            `port ${port} on ${host} is already in use (another demo or exporter?): stop it, or pass --port 0 for a free port`,
          ),
        );
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new CliError(`--host ${host} is not an address of this machine; try 127.0.0.1`, 2));
      } else if (error.code === 'EACCES') {
        reject(
          new CliError(`no permission to listen on ${host}:${port}; pick a port above 1023 or --port 0`),
        );
      } else {
        reject(new CliError(`cannot listen on ${host}:${port}: ${error.message}`));
      }
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

export function demoBudgets(limitUsd: number): BudgetConfig[] {
  return [
    { name: 'demo-daily', limitUsd, window: '1d' },
    {
      name: 'demo-coder-daily',
      limitUsd: Math.round(limitUsd * 0.4 * 100) / 100,
      window: '1d',
      match: { agent: 'coder' },
    },
  ];
}

/** The demo's agent runs: the coder's two variants side by side, and a baseline per agent. */
export function demoRuns(): RunsOptions {
  const baseline = (usd: number) => ({ baselineCostPerSuccessUsd: usd });
  return {
    dimensions: ['variant'],
    baselines: {
      planner: baseline(0.015),
      researcher: baseline(0.01),
      coder: baseline(0.025),
      reviewer: baseline(0.005),
      summarizer: baseline(0.002),
    },
  };
}

function progressLine(
  elapsedMs: number,
  stats: WorkloadStats,
  telemetry: LLMTelemetry,
  budgetUsd: number,
): string {
  const cost = telemetry.summary().total.costUsd;
  const perHour = elapsedMs > 0 ? (cost / elapsedMs) * 3_600_000 : 0;
  return (
    `[${humanDuration(elapsedMs).padStart(7)}] calls ${formatCount(stats.started)} ` +
    `(ok ${stats.succeeded}, errors ${stats.failed}, aborted ${stats.aborted}) · spend ${formatUsd(cost)} · ` +
    `${formatUsd(perHour)}/h · demo-daily ${formatPercent(cost / budgetUsd)}`
  );
}

function finalSummary(telemetry: LLMTelemetry, stats: WorkloadStats, elapsedMs: number): string {
  const summary = telemetry.summary({ by: ['agent'] });
  const lines = [
    `llm-cost demo: ${formatCount(stats.started)} calls in ${humanDuration(elapsedMs)} — ${stats.succeeded} ok, ${stats.failed} errors, ${stats.aborted} aborted; spend ${formatUsd(summary.total.costUsd)}`,
  ];
  const groups = [...summary.groups].sort((a, b) => b.costUsd - a.costUsd);
  for (const g of groups) {
    lines.push(
      `  ${(g.key.agent ?? '').padEnd(12)} ${formatUsd(g.costUsd).padStart(10)}  ${formatCount(g.requests).padStart(6)} requests  ${formatCount(g.errors)} errors`,
    );
  }
  if (stats.lastUnexpectedError) lines.push(`  last unexpected error: ${stats.lastUnexpectedError}`);
  return `${lines.join('\n')}\n`;
}

export async function runDemo(flags: DemoFlags, io: CliIo = processIo()): Promise<number> {
  const durationMs = flags.duration === undefined ? undefined : parseDuration(flags.duration, '--duration');
  if (durationMs !== undefined && durationMs <= 0) throw usageError('--duration must be above 0');
  const rate = positiveNumber(flags.rate, '--rate', 2, 1000);
  const calls = flags.calls === undefined ? undefined : integer(flags.calls, '--calls', 0, 1, 10_000_000);
  const seed = integer(flags.seed, '--seed', 1, 0, 2 ** 31 - 1);
  const port = integer(flags.port, '--port', 9465, 0, 65535);
  const host = flags.host ?? '127.0.0.1';
  const budgetUsd = positiveNumber(flags.budget, '--budget', 5, 1e9);
  if (flags['with-prometheus'] && flags['no-prometheus']) {
    throw usageError('give --with-prometheus or --no-prometheus, not both');
  }
  const wantStack = flags['with-prometheus'] === true || (!flags['no-prometheus'] && localStackAvailable());
  const out = io.stdout;
  const ui = out.isTTY === true && !flags['no-ui'];
  const colors = colorsFor(out, io.env);

  await checkListen(host, port);
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    for (const step of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch {
        // best effort: the rest must still stop
      }
    }
  };
  const stop = new AbortController();
  let interrupted = 0;
  const onSignal = () => {
    interrupted++;
    if (interrupted > 1) process.exit(130);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  cleanups.push(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });

  try {
    const fake = await startFakeProvider({ seed, maxConcurrentRequests: 256, maxConnections: 256 });
    cleanups.push(() => fake.stop());
    const telemetry = register({
      serviceName: 'llm-cost-demo',
      prometheus: { host, port },
      budgets: demoBudgets(budgetUsd),
      // The fake provider accepts stream_options.include_usage; a real app lists its own such hosts.
      openaiStreamUsageHosts: [new URL(fake.openaiBaseURL).host],
      runs: demoRuns(),
    });
    cleanups.push(() => telemetry.shutdown());
    const metricsUrl = await telemetry.metricsUrl();
    if (metricsUrl === undefined) {
      throw new CliError(`cannot serve /metrics on ${host}:${port}: try --port 0 for a free port`);
    }
    const scrapeHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    const metricsPort = new URL(metricsUrl).port;
    const lines = [`metrics       ${metricsUrl}`];
    let stack: LocalStack | undefined;
    if (wantStack) {
      out.write(`${colors.dim('starting Prometheus and Alertmanager…')}\n`);
      stack = await startLocalStack({
        target: `${scrapeHost.includes(':') ? `[${scrapeHost}]` : scrapeHost}:${metricsPort}`,
      });
      cleanups.push(() => stack?.stop());
      lines.push(`prometheus    ${stack.prometheusUrl}   (alerts: ${stack.prometheusUrl}/alerts)`);
      lines.push(`alertmanager  ${stack.alertmanagerUrl}`);
      lines.push(`top           llm-cost top --prometheus ${stack.prometheusUrl}`);
    } else {
      lines.push(`top           llm-cost top --metrics ${metricsUrl}`);
    }
    out.write(
      `${colors.bold('llm-cost demo')} — seed ${seed}, ${rate} calls/s, budget $${budgetUsd.toFixed(2)}/day\n`,
    );
    for (const line of lines) out.write(`${line}\n`);
    out.write(`${ui ? 'q or Ctrl-C stops' : 'Ctrl-C stops'} the demo\n`);

    const start = Date.now();
    const stats: WorkloadStats = { started: 0, succeeded: 0, failed: 0, aborted: 0, inFlight: 0 };
    const workload = runWorkload({
      telemetry,
      providerUrls: providerUrlsOf(fake),
      seed,
      rate,
      ...(calls !== undefined ? { calls } : {}),
      ...(durationMs !== undefined ? { durationMs } : {}),
      signal: stop.signal,
      stats,
      drainMs: 5_000,
    });
    let workloadDone = false;
    const tracked = workload.then((s) => {
      workloadDone = true;
      return s;
    });

    let view: LiveView | undefined;
    let ticker: NodeJS.Timeout | undefined;
    if (ui) {
      view = startLiveView({
        source: new MetricsSource(metricsUrl, async () => telemetry.metrics()),
        intervalMs: 1000,
        colors,
        header: () => [
          ...lines.map((l) => colors.dim(l)),
          colors.dim(
            `running ${humanDuration(Date.now() - start)}${durationMs ? ` of ${humanDuration(durationMs)}` : ''} · ${workloadDone ? 'workload done · ' : ''}seed ${seed} · ${rate} calls/s`,
          ),
        ],
        out,
        onQuit: () => stop.abort(),
      });
      cleanups.push(() => view?.stop());
    } else {
      ticker = setInterval(
        () => out.write(`${progressLine(Date.now() - start, stats, telemetry, budgetUsd)}\n`),
        5_000,
      );
      cleanups.push(() => clearInterval(ticker));
    }

    const finished = await tracked;
    if (!stop.signal.aborted) {
      const until = durationMs === undefined ? undefined : start + durationMs;
      if (until === undefined || until > Date.now()) {
        if (!ui)
          out.write(`workload done: ${formatCount(finished.started)} calls; still serving ${metricsUrl}\n`);
        await new Promise<void>((resolve) => {
          const timer = until === undefined ? undefined : setTimeout(resolve, until - Date.now());
          stop.signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              resolve();
            },
            { once: true },
          );
        });
      }
    }
    view?.stop();
    clearInterval(ticker);
    out.write(finalSummary(telemetry, finished, Date.now() - start));
    return 0;
  } finally {
    await cleanup();
  }
}

export const demoCommand: Command = {
  help: DEMO_HELP,
  options: {
    ...helpOption,
    duration: str,
    rate: str,
    calls: str,
    port: str,
    host: str,
    budget: str,
    seed: str,
    'no-ui': bool,
    'with-prometheus': bool,
    'no-prometheus': bool,
  },
  run: (values, _positionals, io) => runDemo(values as DemoFlags, io),
};
