/**
 * `LLMTelemetry`: the handle `register()` returns. It owns the metric store, the price book, the
 * exporters, and the one `record()` every source of usage calls.
 */
import type { Tracer } from '@opentelemetry/api';
import { trace } from '@opentelemetry/api';
import type { MeterProvider, MetricProducer } from '@opentelemetry/sdk-metrics';
import { BudgetSet } from './budgets/budget-set.js';
import { answerClusterPrimary } from './cluster/worker.js';
import type { ResolvedOptions } from './config/options.js';
import { logger } from './diag.js';
import { createMetricsHandler, type MetricsHandler } from './export/metrics-handler.js';
import { MetricsServer } from './export/metrics-server.js';
import { startOtlpExport } from './export/otlp.js';
import { renderYielding } from './export/yielding-render.js';
import { enableInstrumentations, instrumentClient } from './instrumentations/index.js';
import { serialize } from './metrics/exposition.js';
import type { MetricFamily } from './metrics/family.js';
import { createInstruments, familiesOf, type Instruments } from './metrics/instruments.js';
import { createMetricProducer } from './metrics/otel-producer.js';
import { registerInPromClient } from './metrics/prom-client-bridge.js';
import { loadPriceOverrides } from './pricing/overrides.js';
import { PriceBook } from './pricing/price-book.js';
import { type RecordedCall, Recorder, type RecordListener } from './record/recorder.js';
import type { Summary, SummaryQuery } from './record/summary.js';
import type { LLMCall, PriceCallInput, PriceResult } from './types.js';

export const TRACER_NAME = 'llm-cost-otel';

export class LLMTelemetry {
  /** Resolved configuration (defaults and env applied). */
  readonly options: Readonly<ResolvedOptions>;
  readonly priceBook: PriceBook;
  readonly budgets: BudgetSet;
  /** Hand to your own MetricReader(s) as `metricProducers: [telemetry.metricProducer]` to export through your MeterProvider. */
  readonly metricProducer: MetricProducer;
  /** Serve our exposition from your own HTTP server. */
  readonly metricsHandler: MetricsHandler;
  /** Tracer the SDK instrumentations create their CLIENT spans with. */
  readonly tracer: Tracer;
  private readonly instruments: Instruments;
  private readonly families: MetricFamily[];
  private readonly recorder: Recorder;
  private readonly server?: MetricsServer;
  private readonly cleanups: Array<() => void | Promise<void>> = [];
  private readonly serverReady: Promise<string | undefined>;
  private meterProvider?: MeterProvider;
  private closed = false;

  constructor(options: ResolvedOptions) {
    this.options = options;
    const overrides = [...options.priceOverrides];
    if (options.pricesFile) overrides.push(...loadPriceOverrides(options.pricesFile));
    this.priceBook = new PriceBook({ overrides });
    this.instruments = createInstruments({
      dimensions: options.dimensions,
      maxSeries: options.maxSeries,
      onOverflow: (family) => this.instruments.seriesOverflow.get(family, [family]).add(1),
    });
    this.families = familiesOf(this.instruments);
    this.budgets = new BudgetSet(options.budgets, this.instruments, {
      guard: options.budgetGuard,
      onEvent: options.onBudgetEvent,
      priceBook: this.priceBook,
      defaultAgent: options.defaultAgent,
      defaultOperation: options.defaultOperation,
      dimensions: options.dimensions,
    });
    this.recorder = new Recorder({
      instruments: this.instruments,
      priceBook: this.priceBook,
      defaultAgent: options.defaultAgent,
      defaultOperation: options.defaultOperation,
      dimensions: options.dimensions,
      maxSeries: options.maxSeries,
      budgets: options.budgets,
    });
    this.budgets.attach(this.recorder);
    this.metricProducer = createMetricProducer(() => this.families, options.serviceName);
    // Rendered in slices that yield to the event loop: a large page never blocks the app at once.
    this.metricsHandler = createMetricsHandler((limits) => renderYielding(this.families, limits), {
      auth: options.prometheus.auth,
      maxPageBytes: options.metricsServing.maxPageBytes,
    });
    this.tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(TRACER_NAME, '0.1.0');

    if (options.prometheus.server) {
      this.server = new MetricsServer(
        { ...options.prometheus, ...options.metricsServing },
        this.metricsHandler,
      );
      this.serverReady = this.server.start();
    } else {
      this.serverReady = Promise.resolve(undefined);
    }
    if (options.cluster.worker) {
      this.cleanups.push(answerClusterPrimary(() => this.families));
    }
    if (options.promClientRegistry) {
      this.cleanups.push(registerInPromClient(options.promClientRegistry, this.families));
    }
    if (options.otlp) {
      this.meterProvider = startOtlpExport(options.otlp, this.metricProducer, options.serviceName);
    }
    if (options.instrumentations.length > 0) {
      this.disableInstrumentations = enableInstrumentations(this, options.instrumentations);
      this.cleanups.push(() => this.disable());
    }
  }

  private disableInstrumentations?: () => void;

  /**
   * Measure one SDK client instance (OpenAI, Anthropic, GoogleGenAI). Returns the same object,
   * so `const openai = telemetry.instrument(new OpenAI())` works. ESM-safe: no module patching.
   */
  instrument<T>(client: T): T {
    return instrumentClient(this, client);
  }

  /** Restore the SDK modules patched by `instrumentations`. */
  disable(): void {
    const disable = this.disableInstrumentations;
    this.disableInstrumentations = undefined;
    disable?.();
  }

  /**
   * Record one LLM call: attribute, price, count. Never throws. Returns what was concluded
   * (cost, buckets, labels), or undefined if our own code failed (reported via diag).
   */
  record(call: LLMCall): RecordedCall | undefined {
    if (this.closed) return undefined;
    return this.recorder.record(call);
  }

  /** Price a call without recording it (same price book, overrides included). */
  price(input: PriceCallInput): PriceResult {
    return this.priceBook.price(input);
  }

  /** In-process totals from the same records as the metrics. */
  summary(query?: SummaryQuery): Summary {
    return this.recorder.summary.query(query);
  }

  /** Subscribe to every recorded call (budgets, custom sinks). Returns the unsubscribe function. */
  onRecord(listener: RecordListener): () => void {
    return this.recorder.onRecord(listener);
  }

  /** The Prometheus text exposition of every family. */
  metrics(): string {
    return serialize(this.families);
  }

  /** Resolves to the `/metrics` URL once our server listens (undefined when disabled or failed). */
  metricsUrl(): Promise<string | undefined> {
    return this.serverReady;
  }

  /** Register extra cleanup to run at shutdown (used by instrumentations). */
  addShutdownHook(hook: () => void | Promise<void>): void {
    this.cleanups.push(hook);
  }

  /** Flush exporters, stop the server, unregister from prom-client. Idempotent. */
  async shutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.error(`shutdown step failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await this.serverReady;
    await this.server?.stop();
    if (this.meterProvider) {
      try {
        await this.meterProvider.shutdown();
      } catch (error) {
        logger.error(
          `OTLP export shutdown failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  }

  get isShutdown(): boolean {
    return this.closed;
  }
}
