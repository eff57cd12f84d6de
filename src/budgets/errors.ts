/** The one error the library lets reach an LLM call on purpose: the budget guard's refusal. */
import { brand, isBranded } from '../shared-instance.js';
import type { BudgetWindow } from './types.js';

/**
 * Why a call was refused:
 * - `limit`: spend + reservations of calls in flight + this call's maximum would pass the limit;
 * - `closed`: spend has already reached the limit (a call cost more than it reserved), so the
 *   budget takes no new call until spend in the window is back under the limit;
 * - `unpriced_model`: the request model has no price, so the call cannot be bounded
 *   (`unpricedModels: 'allow'` admits such calls);
 * - `store_unavailable`: the shared budget store (Redis) did not answer in time and `failOpen`
 *   is false.
 */
export type RefusalReason = 'limit' | 'closed' | 'unpriced_model' | 'store_unavailable';

export interface BudgetExceededDetails {
  budget: string;
  window: BudgetWindow;
  limitUsd: number;
  /** Spend in the budget's current window (this process's, or the fleet's with a shared store), USD. */
  spentUsd: number;
  /** Reserved by calls still in flight, USD. */
  reservedUsd: number;
  /** The most this call could cost, USD (0 when it could not be priced). */
  estimatedUsd: number;
  /** Default `limit`. */
  reason?: RefusalReason;
  /** For `unpriced_model`: the provider and model, to say how to price them. */
  provider?: string;
  model?: string;
  /** For `store_unavailable`: what went wrong talking to the store. */
  cause?: unknown;
}

/**
 * Raised by an instrumented SDK call **before its request is sent** when `budgetGuard` is on and
 * the call could take a budget past its limit (see `reason`). It arrives the way the SDK's own
 * errors do: a rejected `APIPromise` (OpenAI, Anthropic) or rejected promise (Google GenAI).
 * SDK helpers that wrap errors (`chat.completions.stream()`, `runTools()`, Anthropic
 * `messages.stream()`) put it in `cause`: test with `BudgetExceededError.is(error)`.
 */
export class BudgetExceededError extends Error {
  override readonly name = 'BudgetExceededError';
  readonly reason: RefusalReason;
  readonly budget: string;
  readonly window: BudgetWindow;
  readonly limitUsd: number;
  readonly spentUsd: number;
  readonly reservedUsd: number;
  readonly estimatedUsd: number;

  constructor(details: BudgetExceededDetails) {
    super(messageFor(details), details.cause === undefined ? undefined : { cause: details.cause });
    this.reason = details.reason ?? 'limit';
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

  /**
   * The refusal in `error`, or in its `cause` chain (SDK helpers wrap errors; several copies of
   * this library in one process each have their own class, so this checks a shared brand, not
   * `instanceof`). Returns the refusal or undefined, so it works as a test and as an accessor.
   */
  static is(error: unknown): BudgetExceededError | undefined {
    let current = error;
    for (let depth = 0; depth < 8 && current !== null && typeof current === 'object'; depth++) {
      if (isBranded(current, 'BudgetExceededError')) return current as BudgetExceededError;
      current = (current as { cause?: unknown }).cause;
    }
    return undefined;
  }
}

function messageFor(d: BudgetExceededDetails): string {
  const at = `Budget "${d.budget}" (${d.window})`;
  switch (d.reason) {
    case 'unpriced_model':
      return `${at} cannot guard this call: no price for ${d.provider ?? 'this provider'} model "${d.model ?? 'unknown'}", so its cost cannot be bounded and the call is refused. Price it — e.g. prices: { overrides: [{ provider: '${d.provider ?? 'openai'}', model: '${d.model ?? 'my-model'}', aliasOf: { model: '<a catalog model, e.g. gpt-4o>' } }] } (or a file in LLM_COST_PRICES_FILE) — or admit unpriced calls with unpricedModels: 'allow' (env LLM_COST_BUDGET_UNPRICED_MODELS=allow).`;
    case 'closed':
      return `${at} is closed: spent ${usd(d.spentUsd)} of limit ${usd(d.limitUsd)} (a call cost more than it reserved). New calls are refused until spend in the window is back under the limit.`;
    case 'store_unavailable':
      return `${at} could not be checked: the shared budget store did not answer, and failOpen is false, so the call is refused. Check the store (Redis), or set budgetStore.redis.failOpen: true to admit calls while it is down.`;
    default: {
      const inFlight = d.reservedUsd > 0 ? ` (+ ${usd(d.reservedUsd)} reserved by calls in flight)` : '';
      return `${at} would be exceeded: spent ${usd(d.spentUsd)}${inFlight} + this call up to ${usd(d.estimatedUsd)} > limit ${usd(d.limitUsd)}. Raise the limit, wait for the window to roll, or disable budgetGuard.`;
    }
  }
}

/** Dollars for people: cents, or two significant digits below a cent (so $0.0004 is not "$0.00"). */
export function usd(value: number): string {
  const abs = Math.abs(value);
  return abs === 0 || abs >= 0.01 ? `$${value.toFixed(2)}` : `$${value.toPrecision(2)}`;
}
