/**
 * Budgets as metrics: each budget's limit is a gauge (`llm_budget_limit_usd`) and every call's
 * cost is added to each budget it matches (`llm_budget_spend_usd_total`, a record listener),
 * so the shipped alert rules work fleet-wide with no per-budget editing.
 *
 * In-process reactions on top (this process's own spend only, never summed across instances):
 * threshold and dollar-milestone events, and the optional guard that refuses calls before they
 * are sent (`reserve()` / `settle()`, called by `CallTracker`).
 */
import { logger } from '../diag.js';
import type { MetricFamilies } from '../metrics/families.js';
import type { MetricFamily } from '../metrics/family.js';
import type { CounterSeries } from '../metrics/series.js';
import { PriceBook } from '../pricing/price-book.js';
import type { RecordedCall } from '../record/recorded-call.js';
import type { Recorder } from '../record/recorder.js';
import { errorMessage } from '../util/error-message.js';
import {
  BudgetGuard,
  type BudgetReservation,
  DEFAULT_RESERVATION_TIMEOUT_MS,
  type ReserveInput,
  type UnpricedModelsPolicy,
} from './budget-guard.js';
import { BudgetExceededError, usd } from './errors.js';
import { preloadTokenizers } from './estimate/index.js';
import { GuardMetrics } from './guard-metrics.js';
import { matchingBudgets } from './match.js';
import { InProcessStore } from './store/in-process.js';
import { RedisStore } from './store/redis.js';
import type { BudgetStore } from './store/types.js';
import { TrackedBudget } from './tracked-budget.js';
import {
  type BudgetConfig,
  type BudgetEvent,
  type BudgetEventListener,
  DEFAULT_BUDGET_THRESHOLDS,
} from './types.js';

/** The shared store's settings, resolved (see `BudgetStoreOptions` in config). */
export interface ResolvedRedisStore {
  url: string;
  keyPrefix: string;
  timeoutMs: number;
  failOpen: boolean;
}

export interface BudgetSetOptions {
  /** Refuse calls that could pass a limit (`budgetGuard`). Default `false`. */
  guard?: boolean;
  /** Called for every threshold and milestone event. Exceptions it throws are caught and logged. */
  onEvent?: BudgetEventListener;
  /** Prices the guard's estimates. Default: the bundled catalog without overrides. */
  priceBook?: PriceBook;
  /** Clock, ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Unsettled reservations are released after this long. Default 10 minutes. */
  reservationTimeoutMs?: number;
  /** Guard: what to do with a request model that has no price. Default `refuse`. */
  unpricedModels?: UnpricedModelsPolicy;
  /** Guard: keep spend and reservations in Redis, shared by every process using it. Default: in-process. */
  redis?: ResolvedRedisStore;
  /** Label defaults and dimensions, as the recorder resolves them (for matching in `reserve()`). */
  defaultAgent?: string;
  /** Default: the call's API operation, as in the recorder. */
  defaultOperation?: string;
  dimensions?: readonly string[];
}

/** A refusal goes to the caller; any other failure of ours is logged and lets the call through. */
function passRefusalOnly(error: unknown): undefined {
  if (error instanceof BudgetExceededError) throw error;
  logger.error(`budget guard failed, the call is let through: ${errorMessage(error)}`);
  return undefined;
}

export class BudgetSet {
  /** True when guard mode is on and there is a budget to guard: wrappers may skip estimating otherwise. */
  readonly guarding: boolean;
  private readonly tracked: TrackedBudget[];
  private readonly now: () => number;
  private readonly onEvent?: BudgetEventListener;
  private readonly guard?: BudgetGuard;
  private readonly store?: BudgetStore;
  private readonly metrics?: GuardMetrics;
  /** The reservation whose call is being recorded right now (`settleWith`). */
  private settling?: BudgetReservation;
  /** `llm_budget_spend_usd_total` per budget, in `tracked` order. */
  private readonly spendSeries: CounterSeries[];
  /** Which budgets a recorder row matches (and their spend series), keyed by the row's frozen labels. */
  private readonly matchesByRow = new WeakMap<object, { budgets: TrackedBudget[]; spend: CounterSeries[] }>();

  constructor(
    readonly configs: readonly BudgetConfig[],
    metricFamilies: MetricFamilies,
    options: BudgetSetOptions = {},
  ) {
    this.spendSeries = [];
    for (const b of configs) {
      metricFamilies.budgetLimit.at([b.name, b.window]).value = b.limitUsd;
      // Export spend at 0 from the start: increase() cannot see a counter's first sample, so a
      // series born at its first cost would hide that call from the alert rules.
      this.spendSeries.push(metricFamilies.budgetSpend.at([b.name]));
      // Each budget's own tiers, so the generic alert rules fire at them (not at fixed ratios).
      for (const t of b.thresholds ?? DEFAULT_BUDGET_THRESHOLDS) {
        metricFamilies.budgetThreshold.at([b.name, String(t)]).value = t;
      }
    }
    this.tracked = configs.map((c) => new TrackedBudget(c));
    this.now = options.now ?? Date.now;
    this.onEvent = options.onEvent;
    this.guarding = options.guard === true && configs.length > 0;
    if (this.guarding) {
      const timeoutMs = options.reservationTimeoutMs ?? DEFAULT_RESERVATION_TIMEOUT_MS;
      this.store = options.redis
        ? new RedisStore({ ...options.redis, holdTimeoutMs: timeoutMs })
        : new InProcessStore();
      this.metrics = new GuardMetrics(configs.map((c) => c.name));
      this.guard = new BudgetGuard({
        budgets: this.tracked,
        priceBook: options.priceBook ?? new PriceBook(),
        store: this.store,
        metrics: this.metrics,
        now: this.now,
        timeoutMs,
        unpricedModels: options.unpricedModels ?? 'refuse',
        failOpen: options.redis?.failOpen ?? false,
        defaultAgent: options.defaultAgent ?? 'unknown_service',
        defaultOperation: options.defaultOperation,
        dimensions: options.dimensions ?? [],
      });
      // OpenAI estimates use the byte bound until the tokenizer has loaded.
      void preloadTokenizers();
    }
  }

  /** The guard's own metric families (empty when the guard is off). */
  get guardFamilies(): MetricFamily[] {
    return this.metrics?.families ?? [];
  }

  /** Where the guard keeps spend: `in-process`, `redis`, or undefined when the guard is off. */
  get storeKind(): string | undefined {
    return this.store?.kind;
  }

  /** Hook spend (the metric and in-process: threshold events, guard) onto the recorder. */
  attach(recorder: Recorder): void {
    if (this.tracked.length === 0) return;
    recorder.onRecord((call) => this.onRecorded(call));
  }

  /**
   * Guard mode: hold this call's maximum cost against every budget it matches, or refuse it with
   * `BudgetExceededError`. In-process: returns the reservation or throws, synchronously. With a
   * shared store: returns a promise of the reservation that rejects with the refusal. Returns
   * undefined when nothing is held (guard off, no matching budget, an unpriced model allowed).
   * Call before the request is sent. Any other failure of ours is logged and lets the call through.
   */
  reserve(input: ReserveInput): BudgetReservation | Promise<BudgetReservation | undefined> | undefined {
    if (this.guard === undefined) return undefined;
    try {
      const result = this.guard.reserve(input);
      if (result instanceof Promise) return result.catch(passRefusalOnly);
      return result;
    } catch (error) {
      return passRefusalOnly(error);
    }
  }

  /**
   * End a guarded call: run `record` (which books its cost) and settle the reservation with the
   * `RecordedCall` the record listeners saw — the same cost the metrics got. Never throws.
   */
  settleWith<T>(reservation: BudgetReservation | undefined, record: () => T): T {
    if (reservation === undefined || this.guard === undefined) return record();
    this.settling = reservation;
    try {
      return record();
    } finally {
      if (this.settling === reservation) {
        // No record reached the listeners (our own failure, or nothing to book): release only.
        this.settling = undefined;
        this.settle(reservation, undefined);
      }
    }
  }

  /** Release a reservation, charging `recorded`'s cost to a shared store. Never throws. */
  settle(reservation: BudgetReservation | undefined, recorded?: RecordedCall): void {
    if (reservation === undefined || this.guard === undefined) return;
    try {
      this.guard.settle(reservation, recorded);
    } catch (error) {
      logger.error(`settling a budget reservation failed: ${errorMessage(error)}`);
    }
  }

  /** Stop the shared store's connection (flushing settlements it still holds). */
  async close(): Promise<void> {
    await this.store?.close();
  }

  /** This process's spend in the budget's current window, USD (undefined for an unknown name). */
  spentUsd(name: string): number | undefined {
    return this.tracked.find((b) => b.name === name)?.spentUsd(this.now());
  }

  /** Held by calls in flight against the budget, USD (undefined for an unknown name). */
  reservedUsd(name: string): number | undefined {
    const budget = this.tracked.find((b) => b.name === name);
    if (budget === undefined) return undefined;
    this.guard?.expire(this.now());
    return budget.reservedUsd;
  }

  private onRecorded(call: RecordedCall): void {
    const settling = this.settling;
    this.settling = undefined;
    const cost = call.costUsd;
    if (cost === undefined || !(cost > 0)) {
      if (settling !== undefined) this.settle(settling, call);
      return;
    }
    let matched = this.matchesByRow.get(call.dimensions);
    if (matched === undefined) {
      const budgets = matchingBudgets(this.tracked, call.dimensions);
      const spend = budgets.map((b) => this.spendSeries[this.tracked.indexOf(b)]!);
      matched = { budgets, spend };
      this.matchesByRow.set(call.dimensions, matched);
    }
    for (const series of matched.spend) series.add(cost);
    const now = this.now();
    for (const budget of matched.budgets) budget.addCost(now, cost, this.emit);
    // After the spend is counted: releasing the hold first would let a call see neither.
    if (settling !== undefined) this.settle(settling, call);
    else if (this.guard !== undefined) this.guard.charge(matched.budgets, cost);
  }

  private readonly emit = (event: BudgetEvent): void => {
    logger.warn(describeBudgetEvent(event));
    const listener = this.onEvent;
    if (listener === undefined) return;
    try {
      listener(event);
    } catch (error) {
      logger.error(
        `onBudgetEvent threw for budget "${event.budget}" (${event.type}): ${errorMessage(error)}`,
      );
    }
  };
}

/** The one log line per event. */
export function describeBudgetEvent(event: BudgetEvent): string {
  const at = `budget "${event.budget}" (${event.window})`;
  const percent = `${Math.round(event.fraction * 100)}%`;
  if (event.type === 'threshold') {
    return `${at}: ${Math.round((event.threshold ?? 0) * 100)}% threshold crossed in this process, ${usd(event.spentUsd)} of ${usd(event.limitUsd)} spent (${percent})`;
  }
  return `${at}: ${usd(event.milestoneUsd ?? event.spentUsd)} milestone passed in this process, ${usd(event.spentUsd)} of ${usd(event.limitUsd)} spent (${percent})`;
}
