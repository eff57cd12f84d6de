/**
 * What the budget guard counts, so its decisions are visible in Prometheus, not only in logs:
 * refusals, overshoots (a call cost more than it reserved) and calls let through unguarded. Every
 * (budget, reason) series exists at 0 from the start, so `increase()` sees the first event.
 */
import { MetricFamily } from '../metrics/family.js';
import { GUARD_METRIC, LABEL } from '../metrics/names.js';
import type { RefusalReason } from './errors.js';

export const REFUSAL_REASONS: readonly RefusalReason[] = [
  'limit',
  'closed',
  'unpriced_model',
  'store_unavailable',
];
export type OvershootReason = 'output_over_cap' | 'input_over_estimate' | 'price_differs';
export const OVERSHOOT_REASONS: readonly OvershootReason[] = [
  'output_over_cap',
  'input_over_estimate',
  'price_differs',
];
export type UnguardedReason = 'unpriced_model' | 'store_unavailable';
export const UNGUARDED_REASONS: readonly UnguardedReason[] = ['unpriced_model', 'store_unavailable'];

export class GuardMetrics {
  readonly refusals: MetricFamily<'counter'>;
  readonly overshoot: MetricFamily<'counter'>;
  readonly unguarded: MetricFamily<'counter'>;

  constructor(budgetNames: readonly string[]) {
    const family = (name: string, instrument: string, help: string) =>
      new MetricFamily<'counter'>({
        name,
        instrument: { name: instrument, unit: '{request}' },
        help,
        type: 'counter',
        labelNames: [LABEL.budgetName, LABEL.reason],
        uncappedLabels: [LABEL.reason],
        maxSeries: 10_000,
      });
    this.refusals = family(
      GUARD_METRIC.refusals,
      'llm.budget.refusals',
      'LLM calls the budget guard refused before sending them, by reason.',
    );
    this.overshoot = family(
      GUARD_METRIC.overshoot,
      'llm.budget.overshoot',
      'LLM calls whose real cost passed the reservation the budget guard made for them, by cause.',
    );
    this.unguarded = family(
      GUARD_METRIC.unguarded,
      'llm.budget.unguarded.calls',
      'LLM calls the budget guard admitted without a reservation (unpriced model allowed, store down with failOpen).',
    );
    for (const budget of budgetNames) {
      for (const r of REFUSAL_REASONS) this.count(this.refusals, budget, r, 0);
      for (const r of OVERSHOOT_REASONS) this.count(this.overshoot, budget, r, 0);
      for (const r of UNGUARDED_REASONS) this.count(this.unguarded, budget, r, 0);
    }
  }

  get families(): MetricFamily[] {
    return [this.refusals, this.overshoot, this.unguarded] as MetricFamily[];
  }

  count(family: MetricFamily<'counter'>, budget: string, reason: string, by = 1): void {
    family.get(`${budget}\u0000${reason}`, [budget, reason]).add(by);
  }
}
