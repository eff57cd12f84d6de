/** The one error the library lets reach an LLM call on purpose: the budget guard's refusal. */
import { brand, isBranded } from '../shared-instance.js';
import type { BudgetWindow } from './types.js';

export interface BudgetExceededDetails {
  budget: string;
  window: BudgetWindow;
  limitUsd: number;
  /** Spend recorded in this process in the budget's current rolling window, USD. */
  spentUsd: number;
  /** Reserved by calls of this process still in flight, USD. */
  reservedUsd: number;
  /** The most this call could cost (input estimate + max output tokens), USD. */
  estimatedUsd: number;
}

/**
 * Thrown by an instrumented SDK call **before the request is sent** when `budgetGuard` is on and
 * the call could take a budget's in-process spend past its limit. No request, span or metric is
 * produced for the refused call.
 */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  readonly budget: string;
  readonly window: BudgetWindow;
  readonly limitUsd: number;
  readonly spentUsd: number;
  readonly reservedUsd: number;
  readonly estimatedUsd: number;

  constructor(details: BudgetExceededDetails) {
    const inFlight =
      details.reservedUsd > 0 ? ` (+ ${usd(details.reservedUsd)} reserved by calls in flight)` : '';
    super(
      `Budget "${details.budget}" (${details.window}) would be exceeded: spent ${usd(details.spentUsd)}${inFlight} + this call up to ${usd(details.estimatedUsd)} > limit ${usd(details.limitUsd)}. Raise the limit, wait for the window to roll, or disable budgetGuard.`,
    );
    this.budget = details.budget;
    this.window = details.window;
    this.limitUsd = details.limitUsd;
    this.spentUsd = details.spentUsd;
    this.reservedUsd = details.reservedUsd;
    this.estimatedUsd = details.estimatedUsd;
    brand(this, 'BudgetExceededError');
  }

  /** True for refusals from any copy of the library (ESM and CommonJS builds alike). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return isBranded(value, 'BudgetExceededError');
  }
}

/** Dollars for people: cents, or two significant digits below a cent (so $0.0004 is not "$0.00"). */
export function usd(value: number): string {
  const abs = Math.abs(value);
  return abs === 0 || abs >= 0.01 ? `$${value.toFixed(2)}` : `$${value.toPrecision(2)}`;
}
