/** Pricing: usage buckets, the bundled catalog plus overrides, and the cached PriceBook. */
export {
  type CheckedBuckets,
  MAX_TOKENS_PER_FIELD,
  sanitizeUsage,
  toBuckets,
  toBucketsChecked,
} from './buckets.js';
export { catalogProviderId, PROVIDER_TO_CATALOG } from './catalog.js';
export { BUNDLED_CATALOG, type CatalogInfo, catalogInfo } from './catalog-data.js';
export { PriceConfigError } from './errors.js';
export { stripSnapshotSuffix } from './model-names.js';
export type { PricesOptions } from './options.js';
export { loadPriceOverrides, validatePriceOverrides } from './overrides.js';
export {
  defaultPriceBook,
  PriceBook,
  type PriceBookOptions,
  priceCall,
  type UnknownModel,
  type UnpricedResult,
} from './price-book.js';
export type { BucketRates, RateLevel, RateTable, RateVariant, VariantCondition } from './rates.js';
export { BUILTIN_SERVICE_TIERS } from './service-tiers.js';
