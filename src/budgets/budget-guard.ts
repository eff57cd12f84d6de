/**
 * Guard mode: refuse a call before it is sent when it could take a budget's in-process spend past
 * the limit. Each admitted call reserves its maximum cost (input estimate × input price + max
 * output tokens × output price) against every budget it matches until it settles, so concurrent
 * calls see each other's reservations and cannot all slip past together.
 *
 * No double counting: spend comes only from recorded calls (the recorder's `onRecord`); settling
 * only releases the reservation. `CallTracker.end()` records and settles in one synchronous step,
 * so no other call can observe the cost counted both as spent and as reserved.
 */
import { logger, OnceWarner } from '../diag.js';
import type { PriceBook } from '../pricing/price-book.js';
import { cleanLabelValue } from '../record/recorder.js';
import { BudgetExceededError, usd } from './errors.js';
import type { TrackedBudget } from './tracked-budget.js';

/** Output tokens assumed when a request sets no cap (`max_tokens` and friends). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
/** An unsettled reservation (a wrapper that never ended its call) stops counting after this. */
export const DEFAULT_RESERVATION_TIMEOUT_MS = 600_000;

/** What the guard needs to know about a call before it is sent. */
export interface ReserveInput {
  provider: string;
  model: string;
  /** Default: the configured default agent. */
  agent?: string;
  /** Default: the configured default operation. */
  operation?: string;
  /** Allow-listed dimension values; a missing one is `''`, as in the recorder. */
  dimensions?: Readonly<Record<string, string | undefined>>;
  /** Prompt size; see `estimateInputTokens(body)`. Default 0. */
  estimatedInputTokens?: number;
  /** The request's output cap; see `requestedMaxOutputTokens(body)`. Default `DEFAULT_MAX_OUTPUT_TOKENS`. */
  maxOutputTokens?: number;
}

/** An admitted call's hold on its budgets; hand it back to `settle()` once the call ended. */
export interface BudgetReservation {
  /** The call's maximum cost, USD, held against each budget in `budgets`. */
  readonly estimatedUsd: number;
  /** Names of the budgets it is held against. */
  readonly budgets: readonly string[];
}

class Reservation implements BudgetReservation {
  open = true;
  constructor(
    readonly estimatedUsd: number,
    readonly targets: readonly TrackedBudget[],
    readonly expiresAt: number,
    readonly provider: string,
    readonly model: string,
  ) {}

  get budgets(): readonly string[] {
    return this.targets.map((b) => b.name);
  }
}

export interface BudgetGuardOptions {
  budgets: readonly TrackedBudget[];
  priceBook: PriceBook;
  now: () => number;
  timeoutMs: number;
  defaultAgent: string;
  defaultOperation: string;
  dimensions: readonly string[];
}

export class BudgetGuard {
  /** Open reservations in creation order, which is expiry order (one timeout for all). */
  private readonly open = new Set<Reservation>();
  private readonly unpricedWarner = new OnceWarner();
  private readonly lowEstimateWarner = new OnceWarner();
  private expiredWarned = false;

  constructor(private readonly options: BudgetGuardOptions) {}

  /** @throws BudgetExceededError when the call could pass a matching budget's limit. */
  reserve(input: ReserveInput): BudgetReservation | undefined {
    const o = this.options;
    const now = o.now();
    this.expire(now);
    const labels = this.labelsOf(input);
    const targets = o.budgets.filter((budget) => budget.matches(labels));
    if (targets.length === 0) return undefined;

    const estimate = this.estimate(labels.provider!, labels.model!, input);
    if (!(estimate > 0)) return undefined;
    for (const budget of targets) {
      if (budget.wouldExceed(now, estimate)) {
        throw new BudgetExceededError({
          budget: budget.name,
          window: budget.window,
          limitUsd: budget.limitUsd,
          spentUsd: budget.spentUsd(now),
          reservedUsd: budget.reservedUsd,
          estimatedUsd: estimate,
        });
      }
    }
    for (const budget of targets) budget.reserve(estimate);
    const reservation = new Reservation(
      estimate,
      targets,
      now + o.timeoutMs,
      labels.provider!,
      labels.model!,
    );
    this.open.add(reservation);
    return reservation;
  }

  /**
   * Release a reservation once its call ended (idempotent; a no-op after expiry). The actual cost
   * is counted by the recorder, not here; it is only compared with the estimate.
   */
  settle(reservation: BudgetReservation, actualCostUsd?: number): void {
    if (!(reservation instanceof Reservation) || !reservation.open) return;
    this.release(reservation);
    if (actualCostUsd !== undefined && actualCostUsd > reservation.estimatedUsd + 1e-9) {
      this.lowEstimateWarner.warn(
        `${reservation.provider}\u0000${reservation.model}`,
        `budget guard: a ${reservation.provider} "${reservation.model}" call cost ${usd(actualCostUsd)}, more than the ${usd(reservation.estimatedUsd)} reserved for it; set max_tokens on requests so the guard's bound holds`,
      );
    }
  }

  /** Release reservations older than the timeout (their calls never settled). */
  expire(now: number): void {
    for (const reservation of this.open) {
      if (reservation.expiresAt > now) return;
      this.release(reservation);
      if (!this.expiredWarned) {
        this.expiredWarned = true;
        logger.warn(
          `budget guard: a ${reservation.provider} "${reservation.model}" call's reservation of ${usd(reservation.estimatedUsd)} was not settled within ${Math.round(this.options.timeoutMs / 1000)} s and was released (an instrumentation did not end its call; further ones are released silently)`,
        );
      }
    }
  }

  /** How many admitted calls have not settled yet. */
  get openReservations(): number {
    return this.open.size;
  }

  private release(reservation: Reservation): void {
    reservation.open = false;
    this.open.delete(reservation);
    for (const budget of reservation.targets) budget.release(reservation.estimatedUsd);
  }

  private estimate(provider: string, model: string, input: ReserveInput): number {
    const inputTokens = tokenCount(input.estimatedInputTokens) ?? 0;
    const outputTokens = tokenCount(input.maxOutputTokens) ?? DEFAULT_MAX_OUTPUT_TOKENS;
    const priced = this.options.priceBook.price({ provider, model, usage: { inputTokens, outputTokens } });
    if (priced.priced) return priced.costUsd;
    this.unpricedWarner.warn(
      `${provider}\u0000${model}`,
      `budget guard: no price for ${provider} model "${model}", so its calls reserve nothing and are never refused. Add a price override to guard them.`,
    );
    return 0;
  }

  /** The label values the recorder will give this call, for budget matching. */
  private labelsOf(input: ReserveInput): Record<string, string> {
    const o = this.options;
    const labels: Record<string, string> = {
      provider: cleanLabelValue(input.provider, 'unknown'),
      model: cleanLabelValue(input.model, 'unknown'),
      agent: cleanLabelValue(input.agent, o.defaultAgent),
      operation: cleanLabelValue(input.operation, o.defaultOperation),
    };
    for (const d of o.dimensions) labels[d] = cleanLabelValue(input.dimensions?.[d], '');
    return labels;
  }
}

function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.ceil(value) : undefined;
}
