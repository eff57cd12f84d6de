/**
 * The default store: this process's own spend (the rolling windows the recorder feeds through
 * `TrackedBudget.addCost`) plus the reservations of its calls in flight. Synchronous, so a check
 * and a hold can never interleave with another call's.
 */
import type { TrackedBudget } from '../tracked-budget.js';
import type { BudgetStore, ReserveOutcome, StoreHold } from './types.js';

export class InProcessStore implements BudgetStore {
  readonly kind = 'in-process';
  private seq = 0;

  reserve(budgets: readonly TrackedBudget[], amountUsd: number, now: number): ReserveOutcome {
    for (const budget of budgets) {
      const spentUsd = budget.spentUsd(now);
      const closed = budget.isClosed(now);
      if (closed || budget.wouldExceed(now, amountUsd)) {
        return {
          admitted: false,
          reason: closed ? 'closed' : 'limit',
          budget,
          spentUsd,
          reservedUsd: budget.reservedUsd,
        };
      }
    }
    for (const budget of budgets) budget.reserve(amountUsd);
    return { admitted: true, hold: { id: String(++this.seq), amountUsd, budgets } };
  }

  /** Spend already arrived through the recorder (`TrackedBudget.addCost`); only the hold goes. */
  settle(hold: StoreHold): void {
    this.release(hold);
  }

  /** Spend arrives through the recorder; nothing to add here. */
  charge(): void {}

  release(hold: StoreHold): void {
    for (const budget of hold.budgets) budget.release(hold.amountUsd);
  }

  async close(): Promise<void> {}
}
