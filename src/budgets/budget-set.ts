/**
 * Budgets as metrics: each budget's limit is a gauge (`llm_budget_limit_usd`) and every call's
 * cost is added to each budget it matches (`llm_budget_spend_usd_total`, fed by the recorder),
 * so the shipped alert rules work fleet-wide with no per-budget editing.
 *
 * In-process reactions on top (this process's own spend only, never summed across instances):
 * threshold and dollar-milestone events, and the optional guard that refuses calls before they
 * are sent (`reserve()` / `settle()`, called by `CallTracker`).
 */
import { logger } from '../diag.js';
import type { Instruments } from '../metrics/instruments.js';
import { PriceBook } from '../pricing/price-book.js';
import type { RecordedCall, Recorder } from '../record/recorder.js';
import {
  BudgetGuard,
  type BudgetReservation,
  DEFAULT_RESERVATION_TIMEOUT_MS,
  type ReserveInput,
} from './budget-guard.js';
import { BudgetExceededError, usd } from './errors.js';
import { TrackedBudget } from './tracked-budget.js';
import {
  type BudgetConfig,
  type BudgetEvent,
  type BudgetEventListener,
  DEFAULT_BUDGET_THRESHOLDS,
} from './types.js';

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
  /** Label defaults and dimensions, as the recorder resolves them (for matching in `reserve()`). */
  defaultAgent?: string;
  defaultOperation?: string;
  dimensions?: readonly string[];
}

export class BudgetSet {
  /** True when guard mode is on and there is a budget to guard: wrappers may skip estimating otherwise. */
  readonly guarding: boolean;
  private readonly tracked: TrackedBudget[];
  private readonly now: () => number;
  private readonly onEvent?: BudgetEventListener;
  private readonly guard?: BudgetGuard;
  /** Which budgets a recorder row matches, keyed by the row's (stable, frozen) label object. */
  private readonly matchesByRow = new WeakMap<object, TrackedBudget[]>();

  constructor(
    readonly configs: readonly BudgetConfig[],
    instruments: Instruments,
    options: BudgetSetOptions = {},
  ) {
    for (const b of configs) {
      instruments.budgetLimit.get(`${b.name}\u0000${b.window}`, [b.name, b.window]).value = b.limitUsd;
      // Export spend at 0 from the start: increase() cannot see a counter's first sample, so a
      // series born at its first cost would hide that call from the alert rules.
      instruments.budgetSpend.get(b.name, [b.name]);
      // Each budget's own tiers, so the generic alert rules fire at them (not at fixed ratios).
      for (const t of b.thresholds ?? DEFAULT_BUDGET_THRESHOLDS) {
        instruments.budgetThreshold.get(`${b.name}\u0000${t}`, [b.name, String(t)]).value = t;
      }
    }
    this.tracked = configs.map((c) => new TrackedBudget(c));
    this.now = options.now ?? Date.now;
    this.onEvent = options.onEvent;
    this.guarding = options.guard === true && configs.length > 0;
    if (this.guarding) {
      this.guard = new BudgetGuard({
        budgets: this.tracked,
        priceBook: options.priceBook ?? new PriceBook(),
        now: this.now,
        timeoutMs: options.reservationTimeoutMs ?? DEFAULT_RESERVATION_TIMEOUT_MS,
        defaultAgent: options.defaultAgent ?? 'unknown_service',
        defaultOperation: options.defaultOperation ?? 'chat',
        dimensions: options.dimensions ?? [],
      });
    }
  }

  /** Hook in-process reactions (threshold events, guard) onto the recorder. */
  attach(recorder: Recorder): void {
    if (this.tracked.length === 0) return;
    recorder.onRecord((call) => this.onRecorded(call));
  }

  /**
   * Guard mode: hold this call's maximum cost against every budget it matches, or throw
   * `BudgetExceededError` if that could pass a limit. Returns undefined when nothing is held
   * (guard off, no matching budget, unpriced model). Call before the request is sent. Any other
   * failure of ours is logged and lets the call through.
   */
  reserve(input: ReserveInput): BudgetReservation | undefined {
    if (this.guard === undefined) return undefined;
    try {
      return this.guard.reserve(input);
    } catch (error) {
      if (error instanceof BudgetExceededError) throw error;
      logger.error(
        `budget guard failed, the call is let through: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }

  /** Release a reservation once its call ended (its cost arrives through `record()`). Never throws. */
  settle(reservation: BudgetReservation | undefined, actualCostUsd?: number): void {
    if (reservation === undefined || this.guard === undefined) return;
    try {
      this.guard.settle(reservation, actualCostUsd);
    } catch (error) {
      logger.error(
        `settling a budget reservation failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
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
    const cost = call.costUsd;
    if (cost === undefined || !(cost > 0)) return;
    let matched = this.matchesByRow.get(call.dimensions);
    if (matched === undefined) {
      matched = this.tracked.filter((b) => b.matches(call.dimensions));
      this.matchesByRow.set(call.dimensions, matched);
    }
    if (matched.length === 0) return;
    const now = this.now();
    for (const budget of matched) budget.addCost(now, cost, this.emit);
  }

  private readonly emit = (event: BudgetEvent): void => {
    logger.warn(describeBudgetEvent(event));
    const listener = this.onEvent;
    if (listener === undefined) return;
    try {
      listener(event);
    } catch (error) {
      logger.error(
        `onBudgetEvent threw for budget "${event.budget}" (${event.type}): ${error instanceof Error ? error.message : String(error)}`,
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
