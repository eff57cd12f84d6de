/**
 * The run registry of one telemetry handle: starts and ends runs, attributes every recorded LLM
 * call to the innermost open run (and its open ancestors), reports ended runs as metrics, spans,
 * summary rows and `onRunEnd` events, and closes runs nobody ended as `abandoned`.
 *
 * The innermost run of a call: the run of the active span when frameworks' `invoke_agent` spans
 * made runs (`runOfSpan`, filled by the span processor), else the run in our async-context store.
 */
import { context, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import { getLLMContext, type LLMContext } from '../context.js';
import { guarded, logger, notice } from '../diag.js';
import { errorTypeOf } from '../instrumentations/shared/sdk-errors.js';
import { BoundedMap } from '../instrumentations/span-processor/bounded.js';
import type { MetricFamilies } from '../metrics/families.js';
import { RUN_OUTCOMES } from '../metrics/names.js';
import type { CounterSeries, HistogramSeries } from '../metrics/series.js';
import { cleanLabelValue } from '../record/labels.js';
import type { RecordedCall, Recorder } from '../record/recorder.js';
import { ATTR } from '../record/span-attributes.js';
import { errorMessage } from '../util/error-message.js';
import { detachedRun } from './detached.js';
import type { ResolvedRunsOptions } from './options.js';
import { ActiveRun, type RunOwner, runStorage } from './run.js';
import { RunSummaryTable } from './run-summary.js';
import { runSpans } from './storage.js';
import type { AgentRun, AgentRunEnd, AgentRunOptions, RunListener, RunOutcome } from './types.js';

/** Span attributes of a run's `invoke_agent` span beyond the GenAI ones. */
export const RUN_ATTR = {
  outcome: 'llm.run.outcome',
  llmCalls: 'llm.run.llm_calls',
  unpricedCalls: 'llm.run.unpriced_calls',
  id: 'llm.run.id',
} as const;

const MAX_SPAN_RUNS = 10_000;
const MAX_REASON_LENGTH = 128;

/** Per (agent, run dimensions): the series an ended run touches, by outcome. */
interface RunRow {
  runs: CounterSeries[];
  cost: HistogramSeries[];
  duration: HistogramSeries[];
  calls: HistogramSeries[];
}

export interface RunTrackerOptions {
  metricFamilies: MetricFamilies;
  recorder: Recorder;
  runs: ResolvedRunsOptions;
  defaultAgent: string;
  /** The tracer of the handle, read per run (NodeSDK may hand a new provider later). */
  tracer: () => Tracer;
}

export class RunTracker implements RunOwner {
  private readonly open = new Map<string, ActiveRun>();
  private readonly rows = new Map<string, RunRow>();
  private readonly listeners: RunListener[] = [];
  /** Span id → run, for frameworks' `invoke_agent` spans, their descendants, and our run spans. */
  private readonly spanRuns = new BoundedMap<string, ActiveRun>(MAX_SPAN_RUNS);
  readonly summary: RunSummaryTable;
  private nextId = 0;
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(private readonly o: RunTrackerOptions) {
    this.summary = new RunSummaryTable(o.runs.summaryCapacity, o.runs.dimensions, o.runs.baselines);
    for (const [agent, usd] of Object.entries(o.runs.baselines)) {
      o.metricFamilies.agentBaseline.get(agent, [agent]).value = usd;
    }
    this.unsubscribe = o.recorder.onRecord((call) => this.onCall(call));
  }

  /** The innermost open run here (span-derived first), if it belongs to this tracker. */
  current(): ActiveRun | undefined {
    if (this.spanRuns.size > 0) {
      const span = trace.getActiveSpan();
      const run = span === undefined ? undefined : this.spanRuns.get(span.spanContext().spanId);
      if (run !== undefined) return run;
    }
    const run = runStorage.getStore();
    return run !== undefined && this.open.has(run.id) ? run : undefined;
  }

  /** Set while the span processor records a call of a known run (wins over the active span). */
  private pinned?: ActiveRun;

  /**
   * Attribute the calls recorded from now on to `run` (the span processor, around the `record()`
   * of a span whose run it knows); returns the previous pin, to restore.
   */
  pin(run: ActiveRun | undefined): ActiveRun | undefined {
    const before = this.pinned;
    this.pinned = run;
    return before;
  }

  private onCall(call: RecordedCall): void {
    for (let run = this.pinned ?? this.current(); run !== undefined; run = run.parent) {
      if (!run.ended) run.add(call);
    }
  }

  /** `withAgentRun`: the function's result is success, a throw failure (rethrown as it is). */
  async withRun<T>(options: AgentRunOptions, fn: (run: AgentRun) => T | Promise<T>): Promise<T> {
    const run = guarded('starting an agent run', () => this.start(options, true)) ?? undefined;
    if (run === undefined) {
      const detached = detachedRun(options);
      return detached.run(() => fn(detached));
    }
    let value: T;
    try {
      value = await run.run(() => fn(run));
    } catch (error) {
      this.settle(run, 'failure', errorTypeOf(error));
      throw error;
    }
    this.settle(run, 'success');
    return value;
  }

  private settle(run: ActiveRun, outcome: 'success' | 'failure', reason?: string): void {
    const explicit = run.explicit;
    if (explicit !== undefined) this.endRun(run, explicit.outcome, explicit.reason);
    else this.endRun(run, outcome, reason);
  }

  /** `startAgentRun`: a run ended by `end()` / `succeed()` / `fail()` (or abandoned). */
  startRun(options: AgentRunOptions): AgentRun {
    return guarded('starting an agent run', () => this.start(options, false)) ?? detachedRun(options);
  }

  /**
   * A run for a framework's `invoke_agent` span (the span processor calls this at its start): the
   * span's descendants are attributed to it through `adoptSpan`; `endSpanRun` ends it.
   */
  startSpanRun(spanId: string, parentSpanId: string | undefined, agent: string | undefined): void {
    const parent = (parentSpanId && this.spanRuns.get(parentSpanId)) || this.current();
    // A span without gen_ai.agent.name: the scope's agent or the default, like an LLM call's.
    const name = agent ?? getLLMContext()?.agent ?? this.o.defaultAgent;
    const run = this.start({ agent: name }, false, { parent, withSpan: false });
    this.spanRuns.set(spanId, run);
  }

  /** Attribute a span to the run of its parent span, if that has one. */
  adoptSpan(spanId: string, parentSpanId: string | undefined): void {
    if (parentSpanId === undefined || this.spanRuns.size === 0) return;
    const run = this.spanRuns.get(parentSpanId);
    if (run !== undefined) this.spanRuns.set(spanId, run);
  }

  /** The run a span belongs to (for calls the span processor records at the span's end). */
  runOfSpan(spanId: string | undefined): ActiveRun | undefined {
    return spanId === undefined ? undefined : this.spanRuns.get(spanId);
  }

  /**
   * A span ended: forget it. An `invoke_agent` span's run ends with it, timed by the span; one
   * whose `invoke_agent` attribute appeared only at its end becomes a run now (with no calls).
   */
  endSpan(
    spanId: string,
    invokeAgent?: { agent?: string; failed: boolean; errorType?: string; durationMs?: number },
    parentSpanId?: string,
  ): void {
    let run = this.spanRuns.take(spanId);
    if (invokeAgent === undefined) return;
    if (run === undefined) {
      this.startSpanRun(spanId, parentSpanId, invokeAgent.agent);
      run = this.spanRuns.take(spanId);
    }
    if (run === undefined || run.span !== undefined) return;
    this.endRun(
      run,
      invokeAgent.failed ? 'failure' : 'success',
      invokeAgent.errorType,
      invokeAgent.durationMs,
    );
  }

  onRunEnd(listener: RunListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  private start(
    options: AgentRunOptions,
    managed: boolean,
    from: { parent?: ActiveRun; withSpan: boolean } = { withSpan: true },
  ): ActiveRun {
    const o = this.o;
    const opts: AgentRunOptions =
      options !== null && typeof options === 'object' ? options : ({} as AgentRunOptions);
    const outer = getLLMContext();
    const agent = cleanLabelValue(opts.agent, outer?.agent ?? o.defaultAgent);
    if (typeof opts.agent !== 'string' || opts.agent === '') {
      notice(
        'run-without-agent',
        `withAgentRun/startAgentRun was given no agent name; the run is counted under "${agent}". Pass { agent: 'name' }.`,
      );
    }
    const scope: LLMContext = {};
    for (const [k, v] of Object.entries(opts)) if (typeof v === 'string') scope[k] = v;
    scope.agent = agent;
    const dimensions: Record<string, string> = {};
    const dimensionValues = o.runs.dimensions.map((d) => {
      const v = cleanLabelValue(opts[d] ?? outer?.[d], '');
      dimensions[d] = v;
      return v;
    });
    const parent = from.parent ?? this.current();
    const id = `${process.pid}-${++this.nextId}`;
    const span = from.withSpan ? this.startSpan(agent, id, opts) : undefined;
    const run = new ActiveRun(
      this,
      id,
      agent,
      typeof opts.task === 'string' ? opts.task : outer?.task,
      parent,
      Object.freeze(scope),
      dimensionValues,
      Object.freeze(dimensions),
      managed,
      span,
    );
    if (this.closed) {
      run.ended = true;
      return run;
    }
    if (this.open.size >= o.runs.maxOpenRuns) {
      const oldest = this.open.values().next().value;
      notice(
        'too-many-open-runs',
        `more than ${o.runs.maxOpenRuns} agent runs are open at once; the oldest are closed as abandoned. End runs (run.end()) or raise runs.maxOpenRuns.`,
      );
      if (oldest !== undefined) this.endRun(oldest, 'abandoned', 'too_many_open_runs');
    }
    this.open.set(id, run);
    if (span !== undefined) this.spanRuns.set(span.spanContext().spanId, run);
    run.timer = setTimeout(() => this.endRun(run, 'abandoned', 'timeout'), o.runs.timeoutMs);
    run.timer.unref();
    return run;
  }

  private startSpan(agent: string, id: string, opts: AgentRunOptions): Span | undefined {
    const span = this.o.tracer().startSpan(
      `invoke_agent ${agent}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [ATTR.operationName]: 'invoke_agent',
          [ATTR.agentName]: agent,
          [RUN_ATTR.id]: id,
          ...(typeof opts.operation === 'string' ? { [ATTR.llmOperation]: opts.operation } : {}),
          ...(typeof opts.task === 'string' ? { [ATTR.taskId]: opts.task } : {}),
        },
      },
      context.active(),
    );
    if (!span.isRecording()) return undefined;
    runSpans.add(span);
    return span;
  }

  endRun(run: ActiveRun, outcome: RunOutcome, reason?: string, durationMs?: number): void {
    if (run.ended) return;
    run.ended = true;
    clearTimeout(run.timer);
    this.open.delete(run.id);
    guarded('reporting an agent run', () =>
      this.report(run, outcome, reason, durationMs ?? performance.now() - run.startedHr),
    );
  }

  private report(
    run: ActiveRun,
    outcome: RunOutcome,
    rawReason: string | undefined,
    durationMs: number,
  ): void {
    const totals = run.totals;
    const reason =
      typeof rawReason === 'string' && rawReason !== '' ? rawReason.slice(0, MAX_REASON_LENGTH) : undefined;
    const i = RUN_OUTCOMES.indexOf(outcome);
    const row = this.row(run);
    row.runs[i]!.add(1);
    row.cost[i]!.observe(totals.costUsd);
    row.duration[i]!.observe(durationMs / 1000);
    row.calls[i]!.observe(totals.llmCalls);

    const span = run.span;
    if (span !== undefined) {
      this.spanRuns.delete(span.spanContext().spanId);
      const t = totals.tokens;
      span.setAttributes({
        [RUN_ATTR.outcome]: outcome,
        [RUN_ATTR.llmCalls]: totals.llmCalls,
        [RUN_ATTR.unpricedCalls]: totals.unpricedCalls,
        [ATTR.inputTokens]: t.input + t.cache_read + t.cache_write,
        [ATTR.outputTokens]: t.output + t.reasoning,
        [ATTR.cacheReadInputTokens]: t.cache_read,
        [ATTR.cacheWriteInputTokens]: t.cache_write,
        [ATTR.reasoningOutputTokens]: t.reasoning,
        [ATTR.costAmount]: totals.costUsd,
        [ATTR.costCurrency]: 'USD',
      });
      if (outcome !== 'success') {
        if (reason !== undefined) span.setAttribute(ATTR.errorType, reason);
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
      }
      span.end();
    }

    this.summary.add({
      endedAt: Date.now(),
      agent: run.agent,
      dimensions: run.dimensions,
      root: run.parent === undefined,
      outcome,
      costUsd: totals.costUsd,
      tokens: totals.tokens.total,
      llmCalls: totals.llmCalls,
      durationMs,
    });

    if (this.listeners.length === 0) return;
    const event: AgentRunEnd = {
      id: run.id,
      agent: run.agent,
      task: run.task,
      parentId: run.parent?.id,
      dimensions: run.dimensions,
      outcome,
      reason,
      startedAt: run.startedAt,
      durationMs,
      totals,
    };
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        logger.error(`an onRunEnd listener failed: ${errorMessage(error)}`);
      }
    }
  }

  private row(run: ActiveRun): RunRow {
    const values = [run.agent, ...run.dimensionValues];
    const key = values.join('\u0000');
    const found = this.rows.get(key);
    if (found !== undefined) return found;
    const ins = this.o.metricFamilies;
    // Every outcome exists at 0 from an agent's first run, so increase() sees the first failure.
    const per = <S>(family: { get(key: string, values: readonly string[]): S }) =>
      RUN_OUTCOMES.map((outcome) => family.get(`${key}\u0000${outcome}`, [...values, outcome]));
    const row: RunRow = {
      runs: per(ins.agentRuns),
      cost: per(ins.agentRunCost),
      duration: per(ins.agentRunDuration),
      calls: per(ins.agentRunLlmCalls),
    };
    // Rows past the family cap land in its overflow series; only rows within it are remembered.
    if (this.rows.size < ins.agentRuns.maxSeries) this.rows.set(key, row);
    return row;
  }

  /** Close every open run as abandoned (shutdown) and stop attributing. */
  shutdown(): void {
    for (const run of [...this.open.values()]) this.endRun(run, 'abandoned', 'shutdown');
    this.closed = true;
    this.unsubscribe();
    this.spanRuns.clear();
  }

  get openRuns(): number {
    return this.open.size;
  }
}
