/**
 * Where `llm-cost top` gets its figures: a `/metrics` endpoint (rates from successive samples)
 * or a Prometheus server (PromQL `increase`/`rate`, every query evaluated at one instant).
 */
import { LABEL, METRIC } from '../metrics/names.js';
import { promDuration } from './durations.js';
import { CliError } from './errors.js';
import { type Endpoint, maxBodyBytes, readAnswer } from './http-read.js';
import { parseExposition, type Sample, sumBy, sumOf } from './metrics-text.js';
import type { PromClient, VectorSample } from './prom-api.js';
import { endpointFor } from './request-auth.js';
import type { BreakdownRow, BudgetRow, TopSnapshot } from './top-render.js';
import { runQueries, runRowsFromSamples, runRowsFromVectors } from './top-runs.js';

export interface TopSource {
  /** The URL shown in the title. */
  readonly url: string;
  snapshot(): Promise<TopSnapshot>;
}

/** GET a /metrics page as text within a deadline and a size limit; one-line errors. */
export async function fetchMetricsText(
  endpoint: Endpoint | string,
  timeoutMs = 10_000,
  maxBytes = maxBodyBytes(),
): Promise<string> {
  const target = typeof endpoint === 'string' ? endpointFor(endpoint, {}) : endpoint;
  const what = 'the metrics endpoint';
  const answer = await readAnswer(target, target.url, {}, { what, timeoutMs, maxBytes });
  if (answer.status < 200 || answer.status > 299) {
    const hint =
      answer.status === 401 || answer.status === 403
        ? ' (protected: use --bearer-token or --basic-auth)'
        : '';
    throw new CliError(
      `${target.display} answered HTTP ${answer.status}; expected a Prometheus /metrics page${hint}`,
    );
  }
  return answer.text;
}

interface Point {
  t: number;
  costUsd: number;
  requests: number;
  errors: number;
}

const AGENT = [LABEL.agent];
const MODEL = [LABEL.provider, LABEL.model];

interface Grouped {
  labels: Record<string, string>;
  value: number;
}

/** Table rows from cost and request sums grouped by the row's labels (requests also by outcome). */
function breakdownRows(
  costs: Iterable<Grouped>,
  requests: Iterable<Grouped>,
  name: (labels: Record<string, string>) => string,
): BreakdownRow[] {
  const rows = new Map<string, BreakdownRow>();
  const row = (labels: Record<string, string>) => {
    const key = name(labels);
    let r = rows.get(key);
    if (!r) {
      r = { name: key, costUsd: 0, requests: 0, errors: 0 };
      rows.set(key, r);
    }
    return r;
  };
  for (const g of costs) row(g.labels).costUsd += g.value;
  for (const g of requests) {
    const r = row(g.labels);
    r.requests += g.value;
    if (g.labels[LABEL.outcome] === 'error') r.errors += g.value;
  }
  return [...rows.values()];
}

function breakdown(
  samples: readonly Sample[],
  labels: readonly string[],
  name: (l: Record<string, string>) => string,
) {
  return breakdownRows(
    sumBy(samples, METRIC.costUsd, labels).values(),
    sumBy(samples, METRIC.requests, [...labels, LABEL.outcome]).values(),
    name,
  );
}

const asGrouped = (samples: readonly VectorSample[]): Grouped[] =>
  samples.map((s) => ({ labels: s.metric, value: s.value }));

const modelName = (l: Record<string, string>) => `${l[LABEL.provider]}/${l[LABEL.model]}`;
const agentName = (l: Record<string, string>) => l[LABEL.agent] ?? '';

/**
 * Figures from a process's own `/metrics`: totals since that process started; the rate and the
 * recent error rate from the samples this source took over the last `windowMs`.
 */
export class MetricsSource implements TopSource {
  private readonly history: Point[] = [];

  constructor(
    readonly url: string,
    private readonly read: () => Promise<string> = () => fetchMetricsText(url),
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async snapshot(): Promise<TopSnapshot> {
    const text = await this.read();
    let samples: Sample[];
    try {
      samples = parseExposition(text);
    } catch (error) {
      throw new CliError(`${this.url} is not a Prometheus /metrics page: ${(error as Error).message}`);
    }
    const t = this.now();
    const point: Point = {
      t,
      costUsd: sumOf(samples, METRIC.costUsd),
      requests: sumOf(samples, METRIC.requests),
      errors: sumOf(samples, METRIC.requests, { [LABEL.outcome]: 'error' }),
    };
    const last = this.history.at(-1);
    // A counter went down: the process restarted; earlier samples say nothing about now.
    if (last && (point.costUsd < last.costUsd || point.requests < last.requests)) this.history.length = 0;
    this.history.push(point);
    while (this.history.length > 2 && t - this.history[1]!.t >= this.windowMs) this.history.shift();
    const first = this.history[0]!;
    const dt = (t - first.t) / 1000;
    const span = promDuration(Math.max(1000, Math.round((t - first.t) / 1000) * 1000));
    const dRequests = point.requests - first.requests;
    const recent = dt > 0 && dRequests > 0;

    const limits = sumBy(samples, METRIC.budgetLimitUsd, [LABEL.budgetName, LABEL.budgetWindow]);
    const budgets: BudgetRow[] = [...limits.values()].map((g) => ({
      name: g.labels[LABEL.budgetName]!,
      window: g.labels[LABEL.budgetWindow]!,
      limitUsd: g.value,
      spentUsd: sumOf(samples, METRIC.budgetSpendUsd, { [LABEL.budgetName]: g.labels[LABEL.budgetName]! }),
    }));

    return {
      source: this.url,
      at: new Date(t),
      totalUsd: point.costUsd,
      totalScope: 'since the process started',
      usdPerHour: dt > 0 ? ((point.costUsd - first.costUsd) / dt) * 3600 : undefined,
      rateScope: dt > 0 ? `over the last ${span}` : 'needs a second sample',
      requests: point.requests,
      errorRate: recent
        ? (point.errors - first.errors) / dRequests
        : point.requests > 0
          ? point.errors / point.requests
          : undefined,
      errorScope: recent ? `over the last ${span}` : 'since the process started',
      unpricedRequests: sumOf(samples, METRIC.unpricedRequests),
      budgets,
      agents: breakdown(samples, AGENT, agentName),
      models: breakdown(samples, MODEL, modelName),
      runs: runRowsFromSamples(samples),
    };
  }
}

export interface PrometheusSourceOptions {
  /** Range of the totals and tables, ms. Default 1 day. */
  rangeMs?: number;
  /** Window of the spend rate and the recent error rate, ms. Default 5 minutes. */
  rateWindowMs?: number;
  /** Evaluation time, unix seconds; default: now at each snapshot. */
  time?: () => number;
}

/** The PromQL `top --prometheus` runs, each evaluated at the same instant (documented in --help). */
export function topQueries(range: string, rateWindow: string) {
  const byOutcome = (labels: string) =>
    `sum by (${labels}, ${LABEL.outcome}) (increase(${METRIC.requests}[${range}]))`;
  return {
    total: `sum(increase(${METRIC.costUsd}[${range}]))`,
    perHour: `sum(rate(${METRIC.costUsd}[${rateWindow}])) * 3600`,
    requests: `sum(increase(${METRIC.requests}[${range}]))`,
    errorRate: `sum(rate(${METRIC.requests}{${LABEL.outcome}="error"}[${rateWindow}])) / sum(rate(${METRIC.requests}[${rateWindow}]))`,
    unpriced: `sum(increase(${METRIC.unpricedRequests}[${range}]))`,
    agentCost: `sum by (${LABEL.agent}) (increase(${METRIC.costUsd}[${range}]))`,
    agentRequests: byOutcome(LABEL.agent),
    modelCost: `sum by (${MODEL.join(', ')}) (increase(${METRIC.costUsd}[${range}]))`,
    modelRequests: byOutcome(MODEL.join(', ')),
    budgetLimits: `max by (${LABEL.budgetName}, ${LABEL.budgetWindow}) (${METRIC.budgetLimitUsd})`,
    budgetSpend: (window: string) =>
      `sum by (${LABEL.budgetName}) (increase(${METRIC.budgetSpendUsd}[${window}]))`,
  };
}

export class PrometheusSource implements TopSource {
  readonly url: string;
  private readonly range: string;
  private readonly rateWindow: string;
  private readonly time: () => number;

  constructor(
    private readonly client: PromClient,
    options: PrometheusSourceOptions = {},
  ) {
    this.url = client.baseUrl;
    this.range = promDuration(options.rangeMs ?? 86_400_000);
    this.rateWindow = promDuration(options.rateWindowMs ?? 300_000);
    this.time = options.time ?? (() => Math.round(Date.now()) / 1000);
  }

  async snapshot(): Promise<TopSnapshot> {
    const t = this.time();
    const q = topQueries(this.range, this.rateWindow);
    const c = this.client;
    const [
      total,
      perHour,
      requests,
      errorRate,
      unpriced,
      agentCost,
      agentReqs,
      modelCost,
      modelReqs,
      limits,
    ] = await Promise.all([
      c.query(q.total, t),
      c.query(q.perHour, t),
      c.scalar(q.requests, t),
      c.query(q.errorRate, t),
      c.scalar(q.unpriced, t),
      c.query(q.agentCost, t),
      c.query(q.agentRequests, t),
      c.query(q.modelCost, t),
      c.query(q.modelRequests, t),
      c.query(q.budgetLimits, t),
    ]);
    const rq = runQueries(this.range);
    const [runCounts, runCosts] = await Promise.all([c.query(rq.runs, t), c.query(rq.cost, t)]);
    const windows = [...new Set(limits.map((l) => l.metric[LABEL.budgetWindow] ?? ''))].filter(Boolean);
    const spendByWindow = new Map<string, Map<string, number>>();
    await Promise.all(
      windows.map(async (w) => {
        const result = await c.query(q.budgetSpend(w), t);
        spendByWindow.set(w, new Map(result.map((r) => [r.metric[LABEL.budgetName] ?? '', r.value])));
      }),
    );
    const errorValue = errorRate[0]?.value;
    return {
      source: this.url,
      at: new Date(t * 1000),
      totalUsd: total[0]?.value ?? 0,
      totalScope: `increase over the last ${this.range}`,
      usdPerHour: perHour[0]?.value,
      rateScope: `rate over ${this.rateWindow}`,
      requests,
      errorRate: errorValue !== undefined && Number.isFinite(errorValue) ? errorValue : undefined,
      errorScope: `rate over ${this.rateWindow}`,
      unpricedRequests: unpriced,
      budgets: limits.map((l) => {
        const name = l.metric[LABEL.budgetName] ?? '';
        const window = l.metric[LABEL.budgetWindow] ?? '';
        return { name, window, limitUsd: l.value, spentUsd: spendByWindow.get(window)?.get(name) ?? 0 };
      }),
      agents: breakdownRows(asGrouped(agentCost), asGrouped(agentReqs), agentName),
      models: breakdownRows(asGrouped(modelCost), asGrouped(modelReqs), modelName),
      runs: runRowsFromVectors(runCounts, runCosts),
    };
  }
}
