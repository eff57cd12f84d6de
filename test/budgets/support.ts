/** A recorder + budget set wired like `LLMTelemetry`, but with a clock the test moves. */
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { BudgetSet, type BudgetSetOptions } from '../../src/budgets/budget-set.js';
import { resolveBudgets } from '../../src/budgets/load.js';
import type { BudgetConfig, BudgetEvent } from '../../src/budgets/types.js';
import { createMetricFamilies, type MetricFamilies } from '../../src/metrics/families.js';
import { PriceBook } from '../../src/pricing/price-book.js';
import { type RecordedCall, Recorder } from '../../src/record/recorder.js';

/**
 * Prices chosen so every cost is an exact binary fraction: an input token costs $0.25 and an
 * output token $0.50, so `{ inputTokens: i, outputTokens: o }` costs exactly `0.25 i + 0.5 o`.
 */
export const QUARTER_PRICES = {
  overrides: [{ provider: 'acme', model: 'quarter', inputPerMTok: 250_000, outputPerMTok: 500_000 }],
};

export interface Rig {
  budgets: BudgetSet;
  recorder: Recorder;
  metricFamilies: MetricFamilies;
  events: BudgetEvent[];
  /** Move the clock forward. */
  advance(ms: number): void;
  /** Record a successful `acme/quarter` call costing exactly `usd` (a multiple of $0.25). */
  spend(
    usd: number,
    labels?: { agent?: string; model?: string; dimensions?: Record<string, string> },
  ): RecordedCall | undefined;
}

export function makeRig(
  budgets: BudgetConfig[],
  options: Omit<BudgetSetOptions, 'now' | 'priceBook'> & { dimensions?: string[] } = {},
): Rig {
  let now = Date.UTC(2025, 0, 1);
  const dimensions = options.dimensions ?? [];
  const configs = resolveBudgets(budgets, dimensions);
  const metricFamilies = createMetricFamilies({ dimensions, maxSeries: 2000, onOverflow: () => {} });
  const priceBook = new PriceBook(QUARTER_PRICES);
  const recorder = new Recorder({
    metricFamilies,
    priceBook,
    defaultAgent: 'app',
    defaultOperation: 'chat',
    dimensions,
    maxSeries: 2000,
  });
  const events: BudgetEvent[] = [];
  const set = new BudgetSet(configs, metricFamilies, {
    defaultAgent: 'app',
    defaultOperation: 'chat',
    ...options,
    dimensions,
    priceBook,
    now: () => now,
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
  });
  set.attach(recorder);
  return {
    budgets: set,
    recorder,
    metricFamilies,
    events,
    advance(ms) {
      now += ms;
    },
    spend(usd, labels = {}) {
      const quarters = Math.round(usd / 0.25);
      if (quarters * 0.25 !== usd) throw new Error(`spend() takes multiples of $0.25, got ${usd}`);
      return recorder.record({
        provider: 'acme',
        model: labels.model ?? 'quarter',
        agent: labels.agent,
        dimensions: labels.dimensions,
        usage: { inputTokens: quarters, outputTokens: 0 },
      });
    },
  };
}

/** Collect diag warn/error lines (namespace prefix dropped) until `stop()`. */
export function captureDiag(): { warn: string[]; error: string[]; stop(): void } {
  const warn: string[] = [];
  const error: string[] = [];
  const line = (args: unknown[]) => args.slice(1).join(' ');
  const logger: DiagLogger = {
    error: (...args) => error.push(line(args)),
    warn: (...args) => warn.push(line(args)),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return { warn, error, stop: () => diag.disable() };
}
