/**
 * `LLMTelemetry`: the handle `register()` returns. It owns the metric store, the price book, the
 * exporters, and the one `record()` every source of usage calls.
 */
import type { Meter, Tracer, TracerProvider } from '@opentelemetry/api';
import { metrics, trace } from '@opentelemetry/api';
import type { MeterProvider, MetricProducer } from '@opentelemetry/sdk-metrics';
import { BudgetSet } from './budgets/budget-set.js';
import { answerClusterPrimary } from './cluster/worker.js';
import type { ResolvedOptions } from './config/resolve.js';
import { logger, notice } from './diag.js';
import { isNoopMeter, MeterExport } from './export/meter-export.js';
import { createMetricsHandler, type MetricsHandler } from './export/metrics-handler.js';
import { MetricsServer } from './export/metrics-server.js';
import { startOtlpExport } from './export/otlp.js';
import { renderYielding } from './export/yielding-render.js';
import { enableInstrumentations, instrumentClient } from './instrumentations/index.js';
import type { LLMTelemetry as PublicLLMTelemetry } from './llm-telemetry.js';
import { serialize } from './metrics/exposition.js';
import { createMetricFamilies, familiesOf, type MetricFamilies } from './metrics/families.js';
import type { MetricFamily } from './metrics/family.js';
import { createMetricProducer } from './metrics/otel-producer.js';
import { registerInPromClient } from './metrics/prom-client-bridge.js';
import { attachCatalog } from './pricing/catalog-refresh.js';
import { loadPriceOverrides } from './pricing/overrides.js';
import { PriceBook } from './pricing/price-book.js';
import { type RecordedCall, Recorder, type RecordListener } from './record/recorder.js';
import type { Summary, SummaryQuery } from './record/summary.js';
import type { RunSummary, RunSummaryQuery } from './runs/run-summary.js';
import { RunTracker } from './runs/tracker.js';
import type { AgentRun, AgentRunOptions, RunListener } from './runs/types.js';
import { isPreloaded } from './shared-instance.js';
import type { LLMCall, PriceCallInput, PriceResult } from './types.js';
import { errorMessage } from './util/error-message.js';
import { VERSION } from './version.js';

export const TRACER_NAME = 'llm-cost-otel';
export const SCOPE_VERSION = VERSION;

/** How often a handle serving its own /metrics looks for a MeterProvider the app registered later. */
const METER_PROVIDER_POLL_MS = 2000;

export class LLMTelemetry implements PublicLLMTelemetry {
  /** Resolved configuration (defaults and env applied). */
  readonly options: Readonly<ResolvedOptions>;
  readonly priceBook: PriceBook;
  readonly budgets: BudgetSet;
  /** Hand to your own MetricReader(s) as `metricProducers: [telemetry.metricProducer]` to export through your MeterProvider. */
  readonly metricProducer: MetricProducer;
  /** Serve our exposition from your own HTTP server. */
  readonly metricsHandler: MetricsHandler;
  /** Tracer the SDK instrumentations create their CLIENT spans with. */
  get tracer(): Tracer {
    return this.currentTracer;
  }
  private currentTracer: Tracer;
  private readonly metricFamilies: MetricFamilies;
  private readonly families: MetricFamily[];
  private readonly recorder: Recorder;
  /** Agent runs of this handle (`withAgentRun`, `startAgentRun`, `invoke_agent` spans). */
  readonly runs: RunTracker;
  private server?: MetricsServer;
  private readonly cleanups: Array<() => void | Promise<void>> = [];
  private serverReady: Promise<string | undefined>;
  /** The OTLP export's MeterProvider, once its lazily imported exporter is loaded. */
  private otlpExport?: Promise<MeterProvider | undefined>;
  private meterExport?: MeterExport;
  private meterWatch?: NodeJS.Timeout;
  private closed = false;

  constructor(options: ResolvedOptions) {
    this.options = options;
    const overrides = [...options.priceOverrides];
    if (options.pricesFile) overrides.push(...loadPriceOverrides(options.pricesFile));
    this.priceBook = new PriceBook({
      overrides,
      strictPricing: options.pricing.strict,
      serviceTiers: options.pricing.serviceTiers,
      localRuntimesFree: options.pricing.localRuntimesFree,
    });
    this.metricFamilies = createMetricFamilies({
      dimensions: options.dimensions,
      runDimensions: options.runs.dimensions,
      maxSeries: options.maxSeries,
      onOverflow: (family) => this.metricFamilies.seriesOverflow.at([family]).add(1),
    });
    this.cleanups.push(attachCatalog(this.metricFamilies.priceCatalogTimestamp.at([]), options.pricing));
    this.budgets = new BudgetSet(options.budgets, this.metricFamilies, {
      guard: options.budgetGuard,
      onEvent: options.onBudgetEvent,
      unpricedModels: options.unpricedModels,
      redis: options.budgetStore,
      priceBook: this.priceBook,
      defaultAgent: options.defaultAgent,
      defaultOperation: options.defaultOperation,
      dimensions: options.dimensions,
    });
    this.recorder = new Recorder({
      metricFamilies: this.metricFamilies,
      priceBook: this.priceBook,
      defaultAgent: options.defaultAgent,
      defaultOperation: options.defaultOperation,
      dimensions: options.dimensions,
      maxSeries: options.maxSeries,
      genAiClientMetrics: options.genAiClientMetrics,
      maxPlausibleTokens: options.maxPlausibleTokens,
    });
    this.budgets.attach(this.recorder);
    this.runs = new RunTracker({
      metricFamilies: this.metricFamilies,
      recorder: this.recorder,
      runs: options.runs,
      defaultAgent: options.defaultAgent,
      tracer: () => this.currentTracer,
    });
    // The guard's families exist only with the guard on (an empty family would still print HELP).
    this.families = [...familiesOf(this.metricFamilies), ...this.budgets.guardFamilies];
    this.cleanups.push(() => this.budgets.close());
    this.metricProducer = createMetricProducer(() => this.families, options.serviceName);
    // Rendered in slices that yield to the event loop: a large page never blocks the app at once.
    this.metricsHandler = createMetricsHandler((limits) => renderYielding(this.families, limits), {
      auth: options.prometheus.auth,
      maxPageBytes: options.metricsServing.maxPageBytes,
    });
    this.currentTracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(
      TRACER_NAME,
      SCOPE_VERSION,
    );

    const handed = options.meterProvider;
    if (handed)
      this.useMeter(handed.getMeter(TRACER_NAME, SCOPE_VERSION), 'the MeterProvider passed in options');
    else if (handed === undefined) this.findGlobalMeterProvider();
    const server = options.prometheus.server;
    if (server === true) {
      this.serverReady = this.startServer();
    } else if (server === 'auto' && this.meterExport === undefined) {
      // Decide after the code that called us has run: `register(); sdk.start();` in one module
      // is the common order, and then the app's MeterProvider, not a port of ours, is the exit.
      this.serverReady = new Promise((resolve) => setImmediate(resolve)).then(() => {
        if (this.closed || this.meterExport !== undefined) return undefined;
        if (handed === undefined && this.findGlobalMeterProvider()) return undefined;
        if (handed === undefined) this.watchForMeterProvider();
        return this.startServer();
      });
    } else {
      this.serverReady = Promise.resolve(undefined);
    }
    if (options.cluster.worker) {
      this.cleanups.push(answerClusterPrimary(() => this.families, options.cluster.pushIntervalMs));
    }
    if (options.promClientRegistry) {
      this.cleanups.push(registerInPromClient(options.promClientRegistry, this.families));
    }
    if (options.otlp) {
      this.otlpExport = startOtlpExport(options.otlp, this.metricProducer, options.serviceName).catch(
        (error: unknown) => {
          notice('otlp-start-failed', `OTLP metrics export could not start: ${errorMessage(error)}`);
          return undefined;
        },
      );
    }
    if (options.instrumentations.length > 0) {
      const enabled = enableInstrumentations(this, options.instrumentations, { preloaded: isPreloaded() });
      this.disableInstrumentations = enabled.disable;
      this.instrumentationsReady = enabled.ready;
      this.cleanups.push(() => this.disable());
    }
  }

  private disableInstrumentations?: () => void;
  private instrumentationsReady: Promise<void> = Promise.resolve();

  /**
   * Resolves once start-up has settled: SDK modules the app imported (ESM) before `register()`
   * are patched — they are patched asynchronously, so a call started in the same tick as
   * `register()` is not measured — and the metrics exit is chosen (own `/metrics` or the app's
   * MeterProvider), and the OTLP exporter (imported on demand) is running. Never rejects.
   */
  async ready(): Promise<void> {
    await Promise.all([this.instrumentationsReady, this.serverReady, this.otlpExport]).catch(() => undefined);
  }

  /**
   * Report every family through this Meter (of the app's MeterProvider) from now on, instead of
   * our own `/metrics`: a server this handle started on its own (`prometheus.server: 'auto'`) is
   * closed, and that is said once. Called by `LLMCostInstrumentation` when NodeSDK hands it a
   * MeterProvider; a no-op Meter (no provider registered) is ignored.
   */
  useMeter(meter: Meter, origin: string): boolean {
    if (this.closed || isNoopMeter(meter)) return false;
    this.meterExport?.detach();
    this.meterExport = new MeterExport(meter, this.families);
    this.stopWatchingForMeterProvider();
    logger.debug(`LLM metrics are reported through ${origin}`);
    if (this.server !== undefined && this.options.prometheus.server === 'auto') {
      const server = this.server;
      this.server = undefined;
      const url = server.url;
      this.serverReady = Promise.resolve(undefined);
      void server.stop();
      notice(
        'moved-to-meter-provider',
        `LLM metrics now go through the app's OpenTelemetry MeterProvider (${origin}); the library's own endpoint ${url ?? ''} is closed, scrape the app's metrics endpoint instead. Register llm-cost-otel after starting the OpenTelemetry SDK, or use LLMCostInstrumentation in NodeSDK, to never open it.`,
      );
    }
    return true;
  }

  /** Spans from now on go to this TracerProvider (NodeSDK hands one to the instrumentation). */
  useTracerProvider(provider: TracerProvider): void {
    this.currentTracer = provider.getTracer(TRACER_NAME, SCOPE_VERSION);
  }

  private findGlobalMeterProvider(): boolean {
    const meter = metrics.getMeterProvider().getMeter(TRACER_NAME, SCOPE_VERSION);
    return this.useMeter(meter, 'the global MeterProvider');
  }

  private watchForMeterProvider(): void {
    if (this.meterWatch !== undefined) return;
    this.meterWatch = setInterval(() => this.findGlobalMeterProvider(), METER_PROVIDER_POLL_MS);
    this.meterWatch.unref();
  }

  private stopWatchingForMeterProvider(): void {
    if (this.meterWatch !== undefined) clearInterval(this.meterWatch);
    this.meterWatch = undefined;
  }

  private startServer(): Promise<string | undefined> {
    const server = new MetricsServer(
      { ...this.options.prometheus, ...this.options.metricsServing },
      this.metricsHandler,
    );
    this.server = server;
    return server.start();
  }

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

  /**
   * In-process totals from the same records as the metrics, plus agent-run figures (`runs`).
   * `since` / `windowMs` select the runs that ended in that window; request totals are lifetime.
   */
  summary(query?: SummaryQuery & RunSummaryQuery): Summary & { runs: RunSummary } {
    return { ...this.recorder.summary.query(query), runs: this.runs.summary.query(query) };
  }

  /**
   * Run `fn` as one agent run (a task): its result is success, a thrown error failure (rethrown
   * unchanged), `run.succeed()` / `run.fail(reason)` decide explicitly. LLM calls inside are
   * attributed to it and to `options.agent`; runs nest.
   */
  withAgentRun<T>(options: AgentRunOptions, fn: (run: AgentRun) => T | Promise<T>): Promise<T> {
    return this.runs.withRun(options, fn);
  }

  /** Start a run ended by `run.end()` (callback-style frameworks); code runs inside it via `run.run(fn)`. */
  startAgentRun(options: AgentRunOptions): AgentRun {
    return this.runs.startRun(options);
  }

  /** Subscribe to every ended run (success, failure, abandoned). Returns the unsubscribe function. */
  onRunEnd(listener: RunListener): () => void {
    return this.runs.onRunEnd(listener);
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
    this.stopWatchingForMeterProvider();
    this.runs.shutdown();
    this.meterExport?.detach();
    for (const cleanup of this.cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.error(`shutdown step failed: ${errorMessage(error)}`);
      }
    }
    await this.serverReady;
    await this.server?.stop();
    this.server = undefined;
    const otlp = await this.otlpExport;
    if (otlp) {
      try {
        await otlp.shutdown();
      } catch (error) {
        logger.error(`OTLP export shutdown failed: ${errorMessage(error)}`);
      }
    }
  }

  get isShutdown(): boolean {
    return this.closed;
  }
}
