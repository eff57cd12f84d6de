/** Shared by the pricing tests: narrowing a price result to the priced case. */
import type { PriceResult } from '../../src/types.js';

export type PricedResult = Extract<PriceResult, { priced: true }>;

/** `result` as a priced result; the test fails with the pricing message when it is not priced. */
export function expectPriced(result: PriceResult): PricedResult {
  if (!result.priced) throw new Error(result.message);
  return result;
}

/** The catalog or override entry a priced result was priced from. */
export const entryOf = (result: PriceResult): PricedResult['entry'] => expectPriced(result).entry;
