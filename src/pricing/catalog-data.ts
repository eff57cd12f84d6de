/**
 * Which catalog data prices calls: the data bundled with `@pydantic/genai-prices`, or newer data
 * installed at run time (a refresh, a pre-fetched file). Every change bumps `catalogGeneration()`,
 * which PriceBooks compare to drop the resolutions they cached from older data.
 *
 * The app may also call genai-prices' own `updatePrices()`; that replaces the package's data
 * without telling anyone, so `checkBundledData()` notices it by object identity (cheap; PriceBooks
 * call it on cache misses and every few hundred prices).
 */
import { findProvider, type Provider } from '@pydantic/genai-prices';
import { shared } from '../shared-instance.js';

/** What the catalog is and how old: exported as `llm_price_catalog_info` and shown by `llm-cost price`. */
export interface CatalogInfo {
  /** `bundled` (the npm package's data), `app` (the app's own `updatePrices()`), or a URL / file path. */
  source: string;
  /** Date of the data (YYYY-MM-DD): the package's publish date, else the data's Last-Modified, else when fetched. */
  date: string;
}

/**
 * The bundled data's date: the publish date of the installed `@pydantic/genai-prices` version
 * (npm registry `time`). A test fails when the installed version changes, so this is updated with it.
 */
export const BUNDLED_CATALOG = Object.freeze({ version: '0.1.8', date: '2026-09-23' });

interface Installed {
  byId: Map<string, Provider>;
  info: CatalogInfo;
}

/**
 * The data that prices calls, one for every copy of this module in the process: the CommonJS build
 * bundles the root and `llm-cost-otel/pricing` entries separately, and a catalog `register()`
 * installed must be the one `priceCall()` and `catalogInfo()` of the other entry see.
 */
const state = shared('pricing.catalog', () => ({
  installed: null as Installed | null,
  generation: 0,
  bundledInfo: { source: 'bundled', date: BUNDLED_CATALOG.date } as CatalogInfo,
  listeners: new Set<() => void>(),
}));
// Per module copy: which genai-prices data this copy's `findProvider` saw last.
let bundledMarker: Provider | undefined = findProvider({ providerId: 'openai' });

/** Increases whenever the data that prices calls changes. */
export function catalogGeneration(): number {
  return state.generation;
}

export function catalogInfo(): CatalogInfo {
  return state.installed?.info ?? state.bundledInfo;
}

/** The catalog's provider record for an exact catalog id. */
export function catalogProvider(providerId: string): Provider | undefined {
  const installed = state.installed;
  if (installed) return installed.byId.get(providerId);
  const provider = findProvider({ providerId });
  return provider?.id === providerId ? provider : undefined;
}

/** Prices from now on come from `providers` (already validated; see `parseCatalogData`). */
export function installCatalog(providers: readonly Provider[], info: CatalogInfo): void {
  const byId = new Map<string, Provider>();
  for (const provider of providers) if (!byId.has(provider.id)) byId.set(provider.id, provider);
  state.installed = { byId, info: { ...info } };
  changed();
}

/** Back to the bundled data (tests; or dropping a refresh). */
export function useBundledCatalog(): void {
  if (state.installed === null) return;
  state.installed = null;
  changed();
}

/**
 * Notices the app replacing genai-prices' data through `updatePrices()` (only while no data of
 * ours is installed, since ours takes precedence).
 */
export function checkBundledData(): void {
  if (state.installed !== null) return;
  const marker = findProvider({ providerId: 'openai' });
  if (marker === bundledMarker) return;
  bundledMarker = marker;
  state.bundledInfo = { source: 'app', date: new Date().toISOString().slice(0, 10) };
  changed();
}

/** Called on every data change (caches keyed by catalog content subscribe). Returns an unsubscribe. */
export function onCatalogChange(listener: () => void): () => void {
  state.listeners.add(listener);
  return () => state.listeners.delete(listener);
}

/** The catalog date as Unix seconds (UTC midnight), for `llm_price_catalog_timestamp_seconds`. */
export function catalogTimestampSeconds(): number {
  return Date.parse(`${catalogInfo().date}T00:00:00Z`) / 1000;
}

function changed(): void {
  state.generation++;
  for (const listener of state.listeners) listener();
}
