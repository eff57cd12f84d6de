/**
 * Guard mode: refuse a call before it is sent when it could take a budget past its limit. Each
 * admitted call reserves the most it can cost (`estimateRequestCost`) against every budget it
 * matches until it settles, so concurrent calls see each other's reservations and cannot all
 * slip past together. Settling drops the hold and charges what `record()` booked for the call
 * (the same `RecordedCall` the metrics got), so reservation and spend agree on model and price.
 *
 * Guarantee: spend in a window ≤ limit + what admitted calls cost beyond their reservations.
 * With estimates that are upper bounds and providers that honour the output cap, that is
 * spend ≤ limit. A call that costs more than it reserved is counted (`llm_budget_overshoot_total`),
 * said once on stderr with its cause, and the budget is closed to new calls while its spend is
 * over the limit.
 */
import { logger } from '../diag.js';
import type { PriceBook } from '../pricing/price-book.js';
import { callLabels } from '../record/labels.js';
import type { RecordedCall } from '../record/recorded-call.js';
import { BudgetExceededError, usd } from './errors.js';
import { type CostEstimate, estimateRequestCost } from './estimate/index.js';
import type { GuardMetrics, OvershootReason } from './guard-metrics.js';
import { matchingBudgets } from './match.js';
import { PersonNotice } from './notice.js';
import type { BudgetStore, ReserveOutcome, StoreHold } from './store/types.js';
import type { TrackedBudget } from './tracked-budget.js';

/** An unsettled reservation (a wrapper that never ended its call) stops counting after this. */
export const DEFAULT_RESERVATION_TIMEOUT_MS = 600_000;

/** What to do with a call whose request model has no price: refuse it (default) or let it through unguarded. */
export type UnpricedModelsPolicy = 'refuse' | 'allow';

/** What the guard needs to know about a call before it is sent. */
export interface ReserveInput {
  provider: string;
  model: string;
  /** `chat`, `embeddings`, …: embeddings have no output. */
  apiOperation?: string;
  /** Default: the configured default agent. */
  agent?: string;
  /** Default: the configured default operation. */
  operation?: string;
  /** Allow-listed dimension values; a missing one is `''`, as in the recorder. */
  dimensions?: Readonly<Record<string, string | undefined>>;
  /** The request body as the SDK method got it; `estimateRequestCost()` bounds its cost. */
  body?: unknown;
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
    readonly estimate: CostEstimate,
    readonly hold: StoreHold,
    readonly expiresAt: number,
    readonly provider: string,
    readonly model: string,
  ) {}

  get estimatedUsd(): number {
    return this.hold.amountUsd;
  }

  get budgets(): readonly string[] {
    return this.hold.budgets.map((b) => b.name);
  }
}

export interface BudgetGuardOptions {
  budgets: readonly TrackedBudget[];
  priceBook: PriceBook;
  store: BudgetStore;
  metrics: GuardMetrics;
  now: () => number;
  timeoutMs: number;
  unpricedModels: UnpricedModelsPolicy;
  /** Admit calls unguarded when the shared store does not answer (else refuse them). */
  failOpen: boolean;
  defaultAgent: string;
  /** Undefined: the call's API operation, as in the recorder. */
  defaultOperation?: string;
  dimensions: readonly string[];
}

export class BudgetGuard {
  /** Open reservations in creation order, which is expiry order (one timeout for all). */
  private readonly open = new Set<Reservation>();
  private readonly notice = new PersonNotice();
  private expiredWarned = false;

  constructor(private readonly options: BudgetGuardOptions) {}

  /**
   * Hold the call's maximum cost, or refuse it. Synchronous with the in-process store; a promise
   * (settled within the store's timeout) with a shared one.
   * @throws BudgetExceededError (or rejects with it) when the call is refused.
   */
  reserve(input: ReserveInput): BudgetReservation | Promise<BudgetReservation | undefined> | undefined {
    const o = this.options;
    const now = o.now();
    this.expire(now);
    // The labels the recorder will give this call: held against the budgets it will be charged to.
    const labels = callLabels(input, o);
    const targets = matchingBudgets(o.budgets, labels);
    if (targets.length === 0) return undefined;
    const provider = labels.provider!;
    const model = labels.model!;
    const estimate = estimateRequestCost(
      { provider, model, apiOperation: input.apiOperation, body: input.body },
      o.priceBook,
    );
    if (estimate.maxUsd === undefined) return this.unpriced(targets, provider, model);
    const outcome = o.store.reserve(targets, estimate.maxUsd, now);
    if (outcome instanceof Promise) {
      return outcome.then((settled) => this.admit(settled, estimate, now, provider, model));
    }
    return this.admit(outcome, estimate, now, provider, model);
  }

  /**
   * The call ended: drop its hold and charge `recorded.costUsd` (undefined `recorded`: nothing was
   * booked, nothing is charged). Idempotent; a no-op after expiry.
   */
  settle(reservation: BudgetReservation, recorded: RecordedCall | undefined): void {
    if (!(reservation instanceof Reservation) || !reservation.open) return;
    reservation.open = false;
    this.open.delete(reservation);
    const cost = recorded?.costUsd !== undefined && recorded.costUsd > 0 ? recorded.costUsd : 0;
    this.options.store.settle(reservation.hold, cost, this.options.now());
    if (cost > reservation.estimatedUsd + 1e-9) this.overshoot(reservation, recorded!, cost);
  }

  /** A recorded call that held nothing: charged to the store (a no-op in-process, where the recorder feeds spend). */
  charge(budgets: readonly TrackedBudget[], costUsd: number): void {
    if (costUsd > 0 && budgets.length > 0) this.options.store.charge(budgets, costUsd, this.options.now());
  }

  /** Release reservations older than the timeout (their calls never settled). */
  expire(now: number): void {
    for (const reservation of this.open) {
      if (reservation.expiresAt > now) return;
      reservation.open = false;
      this.open.delete(reservation);
      this.options.store.release(reservation.hold);
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

  private admit(
    outcome: ReserveOutcome,
    estimate: CostEstimate,
    now: number,
    provider: string,
    model: string,
  ): BudgetReservation | undefined {
    const o = this.options;
    if (!outcome.admitted) {
      const budget = outcome.budget;
      if (outcome.reason === 'store_unavailable' && o.failOpen) {
        for (const b of budget === undefined ? [] : [budget])
          o.metrics.count(o.metrics.unguarded, b.name, 'store_unavailable');
        return undefined;
      }
      o.metrics.count(o.metrics.refusals, budget.name, outcome.reason);
      throw new BudgetExceededError({
        reason: outcome.reason,
        budget: budget.name,
        window: budget.window,
        limitUsd: budget.limitUsd,
        spentUsd: outcome.spentUsd,
        reservedUsd: outcome.reservedUsd,
        estimatedUsd: estimate.maxUsd ?? 0,
        cause: outcome.cause,
      });
    }
    const reservation = new Reservation(estimate, outcome.hold, now + o.timeoutMs, provider, model);
    this.open.add(reservation);
    return reservation;
  }

  private unpriced(targets: readonly TrackedBudget[], provider: string, model: string): undefined {
    const o = this.options;
    if (o.unpricedModels === 'allow') {
      for (const b of targets) o.metrics.count(o.metrics.unguarded, b.name, 'unpriced_model');
      this.notice.once(
        `unpriced\u0000${provider}\u0000${model}`,
        `budget guard: no price for ${provider} model "${model}"; its calls are admitted without a reservation (unpricedModels: 'allow', counted in llm_budget_unguarded_calls_total). Price it with an aliasOf override to guard it.`,
      );
      return undefined;
    }
    const budget = targets[0]!;
    for (const b of targets) o.metrics.count(o.metrics.refusals, b.name, 'unpriced_model');
    throw new BudgetExceededError({
      reason: 'unpriced_model',
      budget: budget.name,
      window: budget.window,
      limitUsd: budget.limitUsd,
      spentUsd: budget.spentUsd(o.now()),
      reservedUsd: budget.reservedUsd,
      estimatedUsd: 0,
      provider,
      model,
    });
  }

  private overshoot(reservation: Reservation, recorded: RecordedCall, cost: number): void {
    const o = this.options;
    const e = reservation.estimate;
    const out = recorded.usage?.outputTokens ?? 0;
    const input = recorded.usage?.inputTokens ?? 0;
    const reason: OvershootReason =
      out > e.maxOutputTokens
        ? 'output_over_cap'
        : input > e.inputTokens
          ? 'input_over_estimate'
          : 'price_differs';
    for (const b of reservation.hold.budgets) o.metrics.count(o.metrics.overshoot, b.name, reason);
    const what = `a ${reservation.provider} "${reservation.model}" call cost ${usd(cost)}, more than the ${usd(reservation.estimatedUsd)} reserved for it`;
    const why =
      reason === 'output_over_cap'
        ? e.outputCapRequested
          ? `the provider returned ${out} output tokens although the request capped them at ${e.maxOutputTokens}`
          : `the provider returned ${out} output tokens, more than the model's published maximum of ${e.maxOutputTokens} (set max_tokens on requests)`
        : reason === 'input_over_estimate'
          ? `the prompt was billed as ${input} input tokens, more than the ${e.inputTokens} the guard counted (${e.inputBound}); please report this`
          : `it was priced at a higher rate than its request model (${recorded.model}) was estimated at — a different response model or service tier`;
    this.notice.once(
      `overshoot\u0000${reservation.provider}\u0000${reservation.model}\u0000${reason}`,
      `budget guard: ${what}: ${why}. Counted in llm_budget_overshoot_total; a budget whose spend is now over its limit (${reservation.budgets.map((n) => `"${n}"`).join(', ')}) refuses new calls until spend is back under it.`,
    );
  }
}
