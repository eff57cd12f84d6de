/**
 * Budgets as metrics: each budget's limit is a gauge (`llm_budget_limit_usd`) and every call's
 * cost is added to each budget it matches (`llm_budget_spend_usd_total`, fed by the recorder),
 * so the shipped alert rules work fleet-wide with no per-budget editing.
 */
import type { Instruments } from '../metrics/instruments.js';
import type { Recorder } from '../record/recorder.js';
import type { BudgetConfig } from './types.js';

export class BudgetSet {
  constructor(
    readonly configs: readonly BudgetConfig[],
    instruments: Instruments,
  ) {
    for (const b of configs) {
      instruments.budgetLimit.get(`${b.name}\u0000${b.window}`, [b.name, b.window]).value = b.limitUsd;
    }
  }

  /** Hook in-process reactions (threshold events, guard) onto the recorder. */
  attach(_recorder: Recorder): void {}
}
