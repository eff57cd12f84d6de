/** What every rule gets besides its query results: the range, and how to scale it to a month. */
import { defaultPriceBook, type PriceBook } from '../../pricing/index.js';
import { usd } from '../format.js';
import { type ModelRef, ratesOf } from '../reprice.js';

export interface RuleContext {
  /** PromQL range of the queries, e.g. `7d`. */
  range: string;
  rangeSeconds: number;
  priceBook: PriceBook;
  /** Prices in effect at this time (ms). */
  atMs: number;
}

export function ruleContext(
  range: string,
  rangeSeconds: number,
  atMs = Date.now(),
  priceBook = defaultPriceBook(),
): RuleContext {
  return { range, rangeSeconds, priceBook, atMs };
}

/** Factor from the range to 30 days: savings are stated per month at the observed rate. */
export function perMonth(ctx: RuleContext): number {
  return (30 * 86_400) / ctx.rangeSeconds;
}

export const money = usd;
export const tokens = (n: number) => Math.round(n).toLocaleString('en-US');
export const share = (f: number) => `${(f * 100).toFixed(1)}%`;

/** A model's base-level rates (below any long-context tier) at the rule's time; undefined when unpriced. */
export function baseRates(ctx: RuleContext, ref: ModelRef) {
  const rates = ratesOf(ctx.priceBook, ref, ctx.atMs);
  return 'levels' in rates ? rates.levels[0]!.rates : undefined;
}
