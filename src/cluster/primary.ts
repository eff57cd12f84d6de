/**
 * The primary side of cluster aggregation: one `/metrics` for a Node `cluster` app. Each scrape
 * asks every connected worker for its figures over IPC, waits at most `workerTimeoutMs` per
 * scrape, and serves the sum.
 *
 * Counters must never go down between scrapes, or Prometheus reads a reset and `increase()`
 * double-counts. So a worker that misses the deadline is served with its last known figures
 * (and counted in `llm_cluster_workers_unresponsive`), a worker that exits has its last
 * figures folded into a retired total that stays in the sum, and no counter is ever served below
 * its last served value (`ClusterAggregate`: float sums taken in a new order can drop one ulp). What a worker recorded after its
 * last answer and before it died is lost — Prometheus could not have scraped it either.
 */
import cluster, { type Worker } from 'node:cluster';
import { ConfigError } from '../config/errors.js';
import type { ClusterOptions, PrometheusOptions } from '../config/options.js';
import { resolveOptions } from '../config/resolve.js';
import { logger, notice } from '../diag.js';
import { createMetricsHandler, type MetricsHandler } from '../export/metrics-handler.js';
import { MetricsServer } from '../export/metrics-server.js';
import { serialize } from '../metrics/exposition.js';
import { MetricFamily } from '../metrics/family.js';
import { CLUSTER_METRIC, LABEL } from '../metrics/names.js';
import { errorMessage } from '../util/error-message.js';
import { ClusterAggregate } from './aggregate.js';
import { COLLECT_REQUEST, type CollectRequest, isFiguresReply } from './protocol.js';

export interface ClusterPrimaryOptions {
  /** Where the aggregated `/metrics` is served (same fields and env as `register()`); `false` for none (mount `metricsHandler`). */
  prometheus?: PrometheusOptions | false;
  /**
   * Series cap per family of the aggregate: it sums every worker's series. Default ten times the
   * per-process cap (env `LLM_COST_MAX_SERIES`, else 2000), so ten workers at their own cap fit;
   * worker series merged away past it are counted in `llm_cluster_series_merged{metric}` and said
   * once on stderr.
   */
  maxSeries?: number;
  /** `workerTimeoutMs`: the per-scrape wait for each worker. Default 1000 ms. */
  cluster?: Pick<ClusterOptions, 'workerTimeoutMs'>;
}

interface Collection {
  id: number;
  waiting: Set<number>;
  done: () => void;
}

const KEY = Symbol.for('llm-cost-otel.clusterPrimary');
type Holder = { [KEY]?: ClusterPrimary };

export class ClusterPrimary {
  /** Serve the aggregate from your own server in the primary. */
  readonly metricsHandler: MetricsHandler;
  private readonly timeoutMs: number;
  private readonly maxSeries: number;
  private readonly server?: MetricsServer;
  private readonly serverReady: Promise<string | undefined>;
  /** Live workers' latest figures, retired workers' final ones, served never below the last. */
  private readonly aggregate: ClusterAggregate;
  private collection?: Collection;
  private rendering?: Promise<string>;
  private nextId = 0;
  private closed = false;
  private readonly onMessage = (worker: Worker, message: unknown) => this.receive(worker, message);
  private readonly onExit = (worker: Worker) => this.retire(worker);

  constructor(options: ClusterPrimaryOptions = {}) {
    const resolved = resolveOptions({
      prometheus: options.prometheus,
      maxSeries: options.maxSeries,
      cluster: { role: 'standalone', workerTimeoutMs: options.cluster?.workerTimeoutMs },
    });
    this.timeoutMs = resolved.cluster.workerTimeoutMs;
    this.maxSeries = options.maxSeries ?? resolved.maxSeries * 10;
    this.aggregate = new ClusterAggregate(this.maxSeries);
    this.metricsHandler = createMetricsHandler(() => this.metrics(), { auth: resolved.prometheus.auth });
    cluster.on('message', this.onMessage);
    cluster.on('exit', this.onExit);
    if (resolved.prometheus.server) {
      this.server = new MetricsServer(resolved.prometheus, this.metricsHandler);
      this.serverReady = this.server.start();
    } else {
      this.serverReady = Promise.resolve(undefined);
    }
  }

  /** Resolves to the `/metrics` URL once listening (undefined when disabled or the port failed). */
  metricsUrl(): Promise<string | undefined> {
    return this.serverReady;
  }

  /** The aggregate exposition; concurrent scrapes share one collection round. */
  metrics(): Promise<string> {
    this.rendering ??= this.render().finally(() => {
      this.rendering = undefined;
    });
    return this.rendering;
  }

  /** Stop serving and listening to workers. Idempotent. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    cluster.off('message', this.onMessage);
    cluster.off('exit', this.onExit);
    this.collection?.done();
    const holder = globalThis as Holder;
    if (holder[KEY] === this) holder[KEY] = undefined;
    await this.serverReady;
    await this.server?.stop();
  }

  get isShutdown(): boolean {
    return this.closed;
  }

  private async render(): Promise<string> {
    const workers = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w?.isConnected() === true,
    );
    const unanswered = await this.collect(workers);
    const families = this.aggregate.render(workers.map((w) => w.id));
    if (unanswered > 0) {
      logger.debug(
        `${unanswered} of ${workers.length} cluster workers did not answer within ${this.timeoutMs} ms`,
      );
    }
    return serialize([...families, ...this.workerGauges(workers.length, unanswered), this.mergedGauge()]);
  }

  /** Ask every worker; resolves with how many did not answer in time. */
  private collect(workers: readonly Worker[]): Promise<number> {
    if (workers.length === 0 || this.closed) return Promise.resolve(0);
    return new Promise((resolve) => {
      const id = ++this.nextId;
      const waiting = new Set(workers.map((w) => w.id));
      const timer = setTimeout(() => collection.done(), this.timeoutMs);
      const collection: Collection = {
        id,
        waiting,
        done: () => {
          clearTimeout(timer);
          if (this.collection === collection) this.collection = undefined;
          resolve(waiting.size);
        },
      };
      this.collection = collection;
      const request: CollectRequest = { type: COLLECT_REQUEST, id };
      for (const worker of workers) {
        try {
          worker.send(request, undefined, (error) => {
            if (error) logger.debug(`asking cluster worker ${worker.id} failed: ${error.message}`);
          });
        } catch (error) {
          logger.debug(`asking cluster worker ${worker.id} failed: ${errorMessage(error)}`);
        }
      }
    });
  }

  private receive(worker: Worker, message: unknown): void {
    if (!isFiguresReply(message)) return;
    // A late answer is still the worker's newest figures: keep it for the next scrape.
    this.aggregate.update(worker.id, message.families);
    const collection = this.collection;
    if (collection !== undefined && message.id === collection.id && collection.waiting.delete(worker.id)) {
      if (collection.waiting.size === 0) collection.done();
    }
  }

  private retire(worker: Worker): void {
    this.aggregate.retire(worker.id);
    const collection = this.collection;
    if (collection?.waiting.delete(worker.id) && collection.waiting.size === 0) collection.done();
  }

  /** What the cap merged away at this scrape, per family; said once where a person sees it. */
  private mergedGauge(): MetricFamily {
    const family = new MetricFamily({
      name: CLUSTER_METRIC.seriesMerged,
      instrument: { name: 'llm.cluster.series.merged', unit: '{series}' },
      help: 'Worker series the cluster primary merged into an overflow series at this scrape (its maxSeries was reached).',
      type: 'gauge',
      labelNames: [LABEL.metric],
      maxSeries: 64,
      quiet: true,
    });
    for (const [name, count] of this.aggregate.mergedAway) {
      family.at([name]).value = count;
      notice(
        `cluster-merged:${name}`,
        `the cluster primary's cap of ${this.maxSeries} series per family was reached for ${name}: ${count} worker series are summed into its "__overflow__" series (totals stay right). Raise maxSeries in registerClusterPrimary().`,
      );
    }
    return family;
  }

  private workerGauges(asked: number, unanswered: number): MetricFamily[] {
    const gauge = (name: string, help: string, value: number) => {
      const family = new MetricFamily({
        name,
        instrument: { name: name.replace(/_/g, '.'), unit: '{worker}' },
        help,
        type: 'gauge',
        labelNames: [],
        maxSeries: 1,
        quiet: true,
      });
      family.get('', []).value = value;
      return family;
    };
    return [
      gauge(CLUSTER_METRIC.workers, 'Cluster workers the primary asked for figures at this scrape.', asked),
      gauge(
        CLUSTER_METRIC.workersUnresponsive,
        'Cluster workers that did not answer within the timeout at this scrape (their last known figures are served).',
        unanswered,
      ),
    ];
  }
}

/**
 * In the cluster primary: serve one `/metrics` summing every worker's figures. Workers call
 * plain `register()` (they detect `cluster.isWorker`). A second call returns the same handle.
 * @throws ConfigError outside a cluster primary, or for bad options.
 */
export function registerClusterPrimary(options?: ClusterPrimaryOptions): ClusterPrimary {
  if (!cluster.isPrimary) {
    throw new ConfigError(
      'llm-cost-otel: registerClusterPrimary() runs in the cluster primary; in workers call register()',
    );
  }
  const holder = globalThis as Holder;
  const existing = holder[KEY];
  if (existing && !existing.isShutdown) return existing;
  const primary = new ClusterPrimary(options);
  holder[KEY] = primary;
  return primary;
}
