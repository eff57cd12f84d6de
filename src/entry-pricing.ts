/**
 * `llm-cost-otel/pricing`: what a call costs without recording it, the catalog in use, and
 * estimates before a call. The handle's `telemetry.price()` prices with the app's overrides;
 * `priceCall()` with the bundled catalog and corrections only; a `PriceBook` of your own adds
 * overrides (and is what `estimateCost` / `repriceWorkload` take as `priceBook`).
 */
export {
  type CostEstimate,
  type CostEstimateRequest,
  estimateCost,
  type OutputBound,
  preloadTokenizers,
} from './advice/estimate.js';
export {
  type Assumption,
  type AssumptionCode,
  type ModelRef,
  type RepricedTarget,
  type RepriceOptions,
  type Repricing,
  repriceWorkload,
  type TokenMix,
} from './advice/reprice.js';
export { PRICE_CORRECTIONS, type PriceCorrection } from './pricing/corrections.js';
export {
  BUILTIN_SERVICE_TIERS,
  BUNDLED_CATALOG,
  type CatalogInfo,
  catalogInfo,
  loadPriceOverrides,
  PriceBook,
  type PriceBookOptions,
  PriceConfigError,
  type PricesOptions,
  priceCall,
} from './pricing/index.js';
export type { PriceCallInput, PriceEntry, PriceResult, ServiceTierRate, TokenUsage } from './types.js';
