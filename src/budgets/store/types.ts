/**
 * Where the guard keeps spend and reservations: in this process (default), or in a shared store
 * (Redis) so N processes share one limit. Both answer the same three questions.
 */
import type { RefusalReason } from '../errors.js';
import type { TrackedBudget } from '../tracked-budget.js';

/** A reservation as the store knows it. */
export interface StoreHold {
  readonly id: string;
  readonly amountUsd: number;
  readonly budgets: readonly TrackedBudget[];
}

export type ReserveOutcome =
  | { admitted: true; hold: StoreHold }
  | {
      admitted: false;
      reason: Extract<RefusalReason, 'limit' | 'closed' | 'store_unavailable'>;
      budget: TrackedBudget;
      spentUsd: number;
      reservedUsd: number;
      cause?: unknown;
    };

export interface BudgetStore {
  /** `in-process` or `redis`. */
  readonly kind: string;
  /**
   * Hold `amountUsd` against every budget in `budgets` if none would pass its limit, atomically.
   * In-process: synchronous. Shared: a promise that settles within the store's timeout.
   */
  reserve(
    budgets: readonly TrackedBudget[],
    amountUsd: number,
    now: number,
  ): ReserveOutcome | Promise<ReserveOutcome>;
  /** The call ended: drop the hold and charge `costUsd` (its recorded cost) in one step. */
  settle(hold: StoreHold, costUsd: number, now: number): void;
  /** A recorded call that held nothing (manual `record()`, an admitted unpriced call): charge it. */
  charge(budgets: readonly TrackedBudget[], costUsd: number, now: number): void;
  /** Drop a hold without charging (its call never settled within the reservation timeout). */
  release(hold: StoreHold): void;
  close(): Promise<void>;
}
