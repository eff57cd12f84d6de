/**
 * `record()`: the one hot path every source of usage ends in (SDK wrappers, span processor,
 * manual calls). It attributes a call to its row (`rows.ts`), checks its usage (`usage-check.ts`),
 * chooses its cost (`cost-choice.ts`), writes the row's series (`row-writer.ts`), annotates the
 * span, and hands the result to its listeners (the summary first, then budgets, runs and the
 * app's). It never throws: bad input is counted and reported.
 */
import { trace } from '@opentelemetry/api';
import { getLLMContext } from '../context.js';
import { guarded, logger, OnceWarner } from '../diag.js';
import { officialOpenAIInstrumentationLoaded } from '../instrumentations/peers.js';
import type { MetricFamilies } from '../metrics/families.js';
import type { PriceBook } from '../pricing/price-book.js';
import { runSpans } from '../runs/storage.js';
import type { LLMCall, Outcome } from '../types.js';
import { errorMessage } from '../util/error-message.js';
import { CostChooser } from './cost-choice.js';
import { cleanLabelValue, DEFAULT_API_OPERATION } from './labels.js';
import type { RecordedCall, RecordListener } from './recorded-call.js';
import { RowWriter } from './row-writer.js';
import { type Row, RowTable } from './rows.js';
import { annotateSpan } from './span-attributes.js';
import { SummaryTable } from './summary.js';
import { type RecordSink, summaryListener } from './summary-listener.js';
import { checkUsage, DEFAULT_MAX_PLAUSIBLE_TOKENS } from './usage-check.js';

export type { RecordedCall, RecordListener } from './recorded-call.js';

const MAX_DURATION_MS = 86_400_000;

export interface RecorderOptions {
  metricFamilies: MetricFamilies;
  priceBook: PriceBook;
  defaultAgent: string;
  /** The app operation when neither the call nor the scope names one; else the API operation. */
  defaultOperation?: string;
  dimensions: readonly string[];
  maxSeries: number;
  /** Record `gen_ai.client.*`; `auto` leaves them to a peer instrumentation that records them. */
  genAiClientMetrics?: boolean | 'auto';
  /** Per-call tokens above this are implausible: recorded as reported, and flagged. Default 10M. */
  maxPlausibleTokens?: number;
  /** Cap on in-process summary rows (distinct attribution × task). */
  maxSummaryRows?: number;
}

/** The last row looked up by label values (no dimensions): repeated calls skip building its key. */
interface LastRow {
  provider: string | undefined;
  model: string | undefined;
  agent: string;
  apiOperation: string;
  operation: string;
  row: Row;
}

export class Recorder {
  readonly summary: SummaryTable;
  private readonly rows: RowTable;
  private readonly writer: RowWriter;
  private readonly costs: CostChooser;
  /** The summary's listener: first, and the one that also gets the call's duration. */
  private readonly summarize: RecordSink;
  /** `onRecord` subscribers in subscription order. */
  private readonly listeners: RecordListener[] = [];
  private readonly invalidWarner = new OnceWarner(100);
  /** What checkUsage() needs, built once (record() is the hot path). */
  private readonly usageCheck: Parameters<typeof checkUsage>[3];
  private lastRow?: LastRow;

  constructor(private readonly options: RecorderOptions) {
    this.summary = new SummaryTable(options.maxSummaryRows ?? 10_000);
    this.rows = new RowTable(options);
    this.writer = new RowWriter(options.metricFamilies, this.rows);
    this.costs = new CostChooser({
      metricFamilies: options.metricFamilies,
      priceBook: options.priceBook,
      warner: this.invalidWarner,
    });
    this.summarize = summaryListener(this.summary);
    this.usageCheck = {
      metricFamilies: options.metricFamilies,
      warner: this.invalidWarner,
      maxPlausibleTokens: options.maxPlausibleTokens ?? DEFAULT_MAX_PLAUSIBLE_TOKENS,
    };
  }

  onRecord(listener: RecordListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  /** Record one call. Never throws; returns undefined only if our own code failed. */
  record(call: LLMCall): RecordedCall | undefined {
    try {
      return this.recordUnsafe(call);
    } catch (error) {
      logger.error(`record() failed: ${errorMessage(error)}`);
      return undefined;
    }
  }

  private recordUnsafe(call: LLMCall): RecordedCall {
    const o = this.options;
    if (call === null || typeof call !== 'object') {
      this.invalidWarner.warn('call', `record() needs an object, got ${typeof call}; counted as invalid`);
      o.metricFamilies.usageMissing.at(['unknown', 'unknown', 'invalid_call']).add(1);
      return {
        provider: 'unknown',
        model: 'unknown',
        agent: o.defaultAgent,
        operation: o.defaultOperation ?? DEFAULT_API_OPERATION,
        apiOperation: DEFAULT_API_OPERATION,
        dimensions: {},
        outcome: 'error',
      };
    }
    const ctx = getLLMContext();
    // Untrusted input: a field of the wrong type is coerced (numbers) or dropped to its default,
    // said once, and the call is still counted — never a whole record lost to a TypeError.
    const provider = this.text(call.provider, 'provider');
    const model = this.text(call.model, 'model');
    const task = this.text(call.task, 'task') ?? ctx?.task;
    const row = this.rowOf(call, provider, model, ctx);
    const labels = row.values;

    const outcome: Outcome =
      call.outcome === 'error' || call.outcome === 'aborted' ? call.outcome : 'success';
    const errorType = outcome === 'error' ? cleanLabelValue(call.errorType, '_OTHER') : '';
    this.writer.countRequest(row, outcome, errorType);

    const { usage, buckets, implausible } = checkUsage(call, outcome, labels, this.usageCheck);
    const responseModel = this.text(call.responseModel, 'responseModel');
    const serviceTier = this.text(call.serviceTier, 'serviceTier');
    const cost = this.costs.choose(labels, {
      // Priced by what the call said, not by its labels (which may be `__overflow__` past the cap).
      provider: provider ?? labels[0]!,
      model: model ?? labels[1]!,
      responseModel,
      serviceTier,
      requestServiceTier: this.text(call.requestServiceTier, 'requestServiceTier'),
      timestamp: call.timestamp,
      reportedCostUsd: call.costUsd,
      usage,
      buckets,
    });

    const d = call.durationMs;
    const durationMs =
      typeof d === 'number' && Number.isFinite(d) && d >= 0 && d < MAX_DURATION_MS ? d : undefined;
    const genAi =
      o.genAiClientMetrics === true ||
      (o.genAiClientMetrics !== false && (call.sdk !== 'openai' || !officialOpenAIInstrumentationLoaded()));
    this.writer.write(row, { outcome, errorType, usage, buckets, cost, durationMs, genAi });

    const { costUsd, costSource } = cost;
    const recorded: RecordedCall = {
      provider: labels[0]!,
      model: labels[1]!,
      agent: labels[2]!,
      operation: labels[4]!,
      apiOperation: labels[3]!,
      task,
      dimensions: row.labels,
      outcome,
      costUsd,
      costSource,
      breakdown: cost.breakdown,
      buckets,
      usage,
    };

    const span = call.span === undefined ? trace.getActiveSpan() : call.span;
    if (span?.isRecording() && !runSpans.has(span)) {
      guarded('annotating the span', () =>
        annotateSpan(span, {
          provider: recorded.provider,
          model: recorded.model,
          responseModel,
          apiOperation: recorded.apiOperation,
          operation: recorded.operation,
          agent: recorded.agent,
          task,
          usage,
          costUsd,
          costSource,
          serviceTier,
          errorType: errorType || undefined,
          implausible,
          priceMatch: costSource === 'local' ? cost.priceEntry?.matchedBy : undefined,
        }),
      );
    }

    try {
      this.summarize(recorded, durationMs);
    } catch (error) {
      logger.error(`the summary listener failed: ${errorMessage(error)}`);
    }
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) this.notify(listeners[i]!, recorded);
    return recorded;
  }

  /** One listener; what it throws is logged, never passed on (nor stops the others). */
  private notify(listener: RecordListener, recorded: RecordedCall): void {
    try {
      listener(recorded);
    } catch (error) {
      logger.error(`a record listener failed: ${errorMessage(error)}`);
    }
  }

  /**
   * The call's row: the previous call's when the labels repeat (no key built), else the cached
   * row for these raw values, else a new one (labels cleaned, capped at `maxSeries`).
   */
  private rowOf(
    call: LLMCall,
    provider: string | undefined,
    model: string | undefined,
    ctx: ReturnType<typeof getLLMContext>,
  ): Row {
    const o = this.options;
    const agent = this.text(call.agent, 'agent') ?? ctx?.agent ?? o.defaultAgent;
    const apiOperation = this.text(call.apiOperation, 'apiOperation') ?? DEFAULT_API_OPERATION;
    const operation =
      this.text(call.operation, 'operation') ?? ctx?.operation ?? o.defaultOperation ?? apiOperation;
    const dimNames = o.dimensions;
    const last = this.lastRow;
    if (
      last !== undefined &&
      dimNames.length === 0 &&
      last.provider === provider &&
      last.model === model &&
      last.agent === agent &&
      last.apiOperation === apiOperation &&
      last.operation === operation
    ) {
      return last.row;
    }
    let key = `${provider}\u0000${model}\u0000${agent}\u0000${apiOperation}\u0000${operation}`;
    let dimValues: string[] | undefined;
    if (dimNames.length > 0) {
      dimValues = [];
      for (const d of dimNames) {
        const v = this.text(call.dimensions?.[d], `dimensions.${d}`) ?? ctx?.[d] ?? '';
        dimValues.push(v);
        key += `\u0000${v}`;
      }
    }
    const found = this.rows.cached(key);
    if (found === undefined) {
      return this.rows.create(key, { provider, model, agent, apiOperation, operation }, dimValues);
    }
    if (dimNames.length === 0) this.lastRow = { provider, model, agent, apiOperation, operation, row: found };
    return found;
  }

  /** A text field of an untrusted call: strings as they are, numbers as text, anything else dropped (said once). */
  private text(value: unknown, field: string): string | undefined {
    if (typeof value === 'string' || value === undefined || value === null) return value ?? undefined;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
      return String(value);
    this.invalidWarner.warn(
      `field\u0000${field}`,
      `record(): ${field} must be a string, got ${typeof value}; it was ignored and the call counted with the default`,
    );
    return undefined;
  }
}
