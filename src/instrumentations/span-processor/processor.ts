/**
 * `LLMCostSpanProcessor`: prices the GenAI spans other instrumentations produce
 * (`@opentelemetry/instrumentation-openai`, OpenLLMetry / Traceloop, the Anthropic SDK's own
 * tracing, Vercel AI SDK `experimental_telemetry`) into our metrics — the same `record()` as every
 * other source, with `span: null` (their span is already ended; we never write to it).
 *
 * ```ts
 * const provider = new NodeTracerProvider({ spanProcessors: [new LLMCostSpanProcessor(telemetry), exporter] });
 * ```
 *
 * **Deduplication against our own wrappers** (a call must count once). A finished span is skipped
 * when:
 * 1. it is ours — created by the `llm-cost-otel` tracer (`instrumentationScope.name`), or carries
 *    `llm.cost.recorded = true` (set by our recorder on every span it annotated);
 * 2. its parent is one of ours — e.g. the Anthropic SDK's `anthropic.messages.create` span under
 *    our CLIENT span, or an HTTP/GenAI span of an SDK we wrap;
 * 3. one of ours is its child — e.g. Vercel's `ai.generateText.doGenerate` around our middleware
 *    span, the Anthropic `messages.stream()` helper span, or another instrumentation's span wrapped
 *    around the same SDK method we patch;
 * 4. it only wraps other calls — Vercel `ai.generateText` / `ai.streamText` / `ai.generateObject`
 *    … outer spans (only the inner `.doGenerate` / `.doStream` / `.doEmbed` spans are priced),
 *    `invoke_agent` / `create_agent` / `execute_tool` operations.
 * Rules 2 and 3 follow parent links, so they need the spans in one trace: an OTel context manager
 * (NodeSDK / `NodeTracerProvider.register()` install one) and our tracer on the same
 * TracerProvider as this processor (`register({ tracerProvider })`, or the global one).
 *
 * Attribution: the `withLLMContext` scope in effect when the span *started* (captured in
 * `onStart`), else the span's `gen_ai.agent.name`, else the scope at `onEnd`, else the defaults.
 * Which attributes are read and which spans are calls: `span-facts.ts`.
 *
 * Agent runs: a framework's `invoke_agent` span (not ours) starts a run at its start and ends it at
 * its end (status ERROR → failure); spans under it, and calls recorded from them, belong to it.
 */
import { type Span as ApiSpan, type Context, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { rejectUnknownKeys } from '../../config/known-keys.js';
import { getLLMContext, type LLMContext } from '../../context.js';
import { ATTR } from '../../record/span-attributes.js';
import { getTelemetry } from '../../register.js';
import { runSpans } from '../../runs/storage.js';
import { type LLMTelemetry, TRACER_NAME } from '../../telemetry.js';
import { dimensionsOf } from '../shared/call-tracker.js';
import { reportFailure } from '../shared/safely.js';
import { USAGE_MISSING } from '../shared/usage-missing.js';
import { BoundedMap } from './bounded.js';
import { type FinishedSpanLike, mayBeGenAI, spanCall } from './span-facts.js';

export interface LLMCostSpanProcessorOptions {
  /**
   * How many span ids are remembered for deduplication and attribution (ours, the parents of ours,
   * GenAI spans in flight). Oldest are forgotten first. Default 10,000.
   */
  maxTrackedSpans?: number;
}

/** sdk-trace-base 1.x and 2.x spans, structurally. */
interface AnySpan extends FinishedSpanLike {
  spanContext(): { spanId: string };
  readonly parentSpanContext?: { spanId: string };
  readonly parentSpanId?: string;
  readonly instrumentationScope?: { name: string };
  readonly instrumentationLibrary?: { name: string };
  readonly startTime?: [number, number];
  readonly duration?: [number, number];
}

function isOurs(span: AnySpan): boolean {
  return (span.instrumentationScope ?? span.instrumentationLibrary)?.name === TRACER_NAME;
}

function parentIdOf(span: AnySpan): string | undefined {
  return span.parentSpanContext?.spanId ?? span.parentSpanId;
}

function millis(hr: [number, number] | undefined): number | undefined {
  if (!Array.isArray(hr)) return undefined;
  const ms = hr[0] * 1e3 + hr[1] / 1e6;
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

export class LLMCostSpanProcessor implements SpanProcessor {
  /** Span ids of our own spans. */
  private readonly ours: BoundedMap<string, true>;
  /** Span ids that are the parent of one of ours (dropped when that span ends). */
  private readonly parentsOfOurs: BoundedMap<string, true>;
  /** Attribution captured at the start of spans that may be GenAI calls. */
  private readonly attribution: BoundedMap<string, Readonly<LLMContext>>;
  private closed = false;

  /**
   * `telemetry`: the handle to record into, or a function returning it (looked up per span, for a
   * TracerProvider built before the telemetry); default: the one `register()` created.
   */
  constructor(
    private readonly telemetry?: LLMTelemetry | (() => LLMTelemetry | undefined),
    options: LLMCostSpanProcessorOptions = {},
  ) {
    // A typo here is a ConfigError naming the closest key, not a silently ignored option.
    if (options !== null && typeof options === 'object') {
      rejectUnknownKeys('LLMCostSpanProcessor options', options, ['maxTrackedSpans']);
    }
    const max = Math.max(1, Math.floor(options.maxTrackedSpans ?? 10_000));
    this.ours = new BoundedMap(max);
    this.parentsOfOurs = new BoundedMap(max);
    this.attribution = new BoundedMap(max);
  }

  onStart(span: Span, _parentContext: Context): void {
    if (this.closed) return;
    try {
      const s = span as unknown as AnySpan;
      const id = s.spanContext().spanId;
      this.trackRun(s, id);
      if (isOurs(s)) {
        this.ours.set(id, true);
        const parent = parentIdOf(s);
        if (parent !== undefined) this.parentsOfOurs.set(parent, true);
        return;
      }
      if (mayBeGenAI(s.attributes)) {
        const ctx = getLLMContext();
        if (ctx !== undefined) this.attribution.set(id, ctx);
      }
    } catch (error) {
      report(error);
    }
  }

  onEnd(span: ReadableSpan): void {
    if (this.closed) return;
    try {
      const s = span as unknown as AnySpan;
      const id = s.spanContext().spanId;
      const ctx = this.attribution.take(id);
      const runs = this.resolve()?.runs;
      const run = runs?.runOfSpan(id);
      runs?.endSpan(id, isOurs(s) ? undefined : invokeAgentOf(s, ctx), parentIdOf(s));
      if (isOurs(s)) return;
      if (this.parentsOfOurs.delete(id)) return;
      if (s.attributes[ATTR.recorded] === true) return;
      const parent = parentIdOf(s);
      if (parent !== undefined && this.ours.has(parent)) return;

      const call = spanCall(s);
      if (call === undefined) return;
      const telemetry = this.resolve();
      if (telemetry === undefined) return;
      // record() never throws: the pin is always undone.
      const pinned = telemetry.runs.pin(run);
      telemetry.record({
        provider: call.provider,
        model: call.model,
        responseModel: call.responseModel,
        apiOperation: call.apiOperation,
        agent: ctx?.agent ?? call.agent,
        operation: ctx?.operation,
        task: ctx?.task,
        dimensions: ctx ? dimensionsOf(ctx, telemetry.options.dimensions) : undefined,
        usage: call.usage,
        usageMissingReason:
          call.usage === undefined && call.outcome !== 'error' ? USAGE_MISSING.spanNoUsage : undefined,
        durationMs: millis(s.duration),
        timestamp: millis(s.startTime),
        outcome: call.outcome,
        errorType: call.errorType,
        serviceTier: call.serviceTier,
        span: null,
      });
      telemetry.runs.pin(pinned);
    } catch (error) {
      report(error);
    }
  }

  private resolve(): LLMTelemetry | undefined {
    const telemetry =
      typeof this.telemetry === 'function' ? this.telemetry() : (this.telemetry ?? getTelemetry());
    return telemetry === undefined || telemetry.isShutdown ? undefined : telemetry;
  }

  /** A framework's `invoke_agent` span starts a run; other spans join their parent's run. */
  private trackRun(s: AnySpan, id: string): void {
    const runs = this.resolve()?.runs;
    if (runs === undefined) return;
    if (!isOurs(s) && s.attributes[ATTR.operationName] === 'invoke_agent') {
      // A manual record() while it is active must not turn the agent span into a call span.
      runSpans.add(s as unknown as ApiSpan);
      runs.startSpanRun(id, parentIdOf(s), agentOf(s.attributes[ATTR.agentName]) ?? getLLMContext()?.agent);
    } else {
      runs.adoptSpan(id, parentIdOf(s));
    }
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.closed = true;
    this.ours.clear();
    this.parentsOfOurs.clear();
    this.attribution.clear();
    return Promise.resolve();
  }
}

function agentOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** How a finished `invoke_agent` span ended, or undefined for any other span. */
function invokeAgentOf(s: AnySpan, ctx: Readonly<LLMContext> | undefined) {
  if (s.attributes[ATTR.operationName] !== 'invoke_agent') return undefined;
  const failed = s.status.code === SpanStatusCode.ERROR;
  const errorType = s.attributes[ATTR.errorType];
  return {
    agent: agentOf(s.attributes[ATTR.agentName]) ?? ctx?.agent,
    failed,
    errorType: failed ? (typeof errorType === 'string' ? errorType : '_OTHER') : undefined,
    durationMs: millis(s.duration),
  };
}

function report(error: unknown): void {
  reportFailure('LLMCostSpanProcessor', error);
}
