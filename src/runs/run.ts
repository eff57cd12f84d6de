/**
 * One agent run in flight: its attribution, its running totals (its own calls and its sub-runs'),
 * its span, and its abandonment timer. The tracker creates and ends it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, type Span, trace } from '@opentelemetry/api';
import { type LLMContext, withLLMContext } from '../context.js';
import type { RecordedCall } from '../record/recorded-call.js';
import { shared } from '../shared-instance.js';
import type { AgentRun, RunOutcome, RunTotals } from './types.js';

/** What ends a run; implemented by the tracker. */
export interface RunOwner {
  endRun(run: ActiveRun, outcome: RunOutcome, reason?: string): void;
}

export class ActiveRun implements AgentRun {
  ended = false;
  timer?: NodeJS.Timeout;
  /** Set by `succeed()` / `fail()` inside `withAgentRun`: wins over the function's result. */
  explicit?: { outcome: 'success' | 'failure'; reason?: string };
  costUsd = 0;
  private costCompensation = 0;
  /** input, cache_read, cache_write, output, reasoning. */
  readonly tokens = new Float64Array(5);
  llmCalls = 0;
  failedCalls = 0;
  unpricedCalls = 0;
  readonly startedAt = Date.now();
  readonly startedHr = performance.now();

  constructor(
    private readonly owner: RunOwner,
    readonly id: string,
    readonly agent: string,
    readonly task: string | undefined,
    readonly parent: ActiveRun | undefined,
    /** The attribution scope the run's code runs in. */
    readonly scope: Readonly<LLMContext>,
    /** Allow-listed dimension values, in `runs.dimensions` order. */
    readonly dimensionValues: readonly string[],
    readonly dimensions: Readonly<Record<string, string>>,
    /** `withAgentRun` runs end when their function settles; `startAgentRun` runs by `end()`. */
    readonly managed: boolean,
    readonly span: Span | undefined,
  ) {}

  /** Add one recorded call to this run's totals. */
  add(call: RecordedCall): void {
    this.llmCalls += 1;
    if (call.outcome !== 'success') this.failedCalls += 1;
    const cost = call.costUsd;
    if (cost !== undefined) {
      // Kahan–Babuška: a run of thousands of tiny calls keeps its cents exact.
      const t = this.costUsd + cost;
      if (Math.abs(this.costUsd) >= Math.abs(cost)) this.costCompensation += this.costUsd - t + cost;
      else this.costCompensation += cost - t + this.costUsd;
      this.costUsd = t;
    } else if (call.usage !== undefined) {
      this.unpricedCalls += 1;
    }
    const b = call.buckets;
    if (b !== undefined) {
      const tk = this.tokens;
      tk[0]! += b.input;
      tk[1]! += b.cacheRead;
      tk[2]! += b.cacheWrite5m + b.cacheWrite1h;
      tk[3]! += b.output;
      tk[4]! += b.reasoning;
    }
  }

  get totals(): RunTotals {
    const t = this.tokens;
    return {
      costUsd: this.costUsd + this.costCompensation,
      tokens: {
        input: t[0]!,
        cache_read: t[1]!,
        cache_write: t[2]!,
        output: t[3]!,
        reasoning: t[4]!,
        total: t[0]! + t[1]! + t[2]! + t[3]! + t[4]!,
      },
      llmCalls: this.llmCalls,
      failedCalls: this.failedCalls,
      unpricedCalls: this.unpricedCalls,
    };
  }

  succeed(): void {
    if (this.managed) this.explicit = { outcome: 'success' };
    else this.owner.endRun(this, 'success');
  }

  fail(reason?: string): void {
    if (this.managed) this.explicit = { outcome: 'failure', reason };
    else this.owner.endRun(this, 'failure', reason);
  }

  end(result?: { outcome?: 'success' | 'failure'; reason?: string }): void {
    const outcome = result?.outcome === 'failure' ? 'failure' : 'success';
    this.owner.endRun(this, outcome, result?.reason);
  }

  run<T>(fn: () => T): T {
    const span = this.span;
    if (span === undefined) return runStorage.run(this, () => withLLMContext(this.scope, fn));
    const ctx = trace.setSpan(context.active(), span);
    return runStorage.run(this, () => withLLMContext(this.scope, () => context.with(ctx, fn)));
  }
}

/**
 * The innermost agent run, per async context. One store for the ESM and CommonJS copies of the
 * library (see shared-instance.ts), apart from the attribution store: a run is an object with
 * totals, the attribution scope only strings.
 */
export const runStorage = shared('runs', () => new AsyncLocalStorage<ActiveRun>());
