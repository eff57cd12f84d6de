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

let installed: Installed | null = null;
let generation = 0;
let bundledMarker: Provider | undefined = findProvider({ providerId: 'openai' });
let bundledInfo: CatalogInfo = { source: 'bundled', date: BUNDLED_CATALOG.date };
const listeners = new Set<() => void>();

/** Increases whenever the data that prices calls changes. */
export function catalogGeneration(): number {
  return generation;
}

export function catalogInfo(): CatalogInfo {
  return installed?.info ?? bundledInfo;
}

/** The catalog's provider record for an exact catalog id. */
export function catalogProvider(providerId: string): Provider | undefined {
  if (installed) return installed.byId.get(providerId);
  const provider = findProvider({ providerId });
  return provider?.id === providerId ? provider : undefined;
}

/** Prices from now on come from `providers` (already validated; see `parseCatalogData`). */
export function installCatalog(providers: readonly Provider[], info: CatalogInfo): void {
  const byId = new Map<string, Provider>();
  for (const provider of providers) if (!byId.has(provider.id)) byId.set(provider.id, provider);
  installed = { byId, info: { ...info } };
  changed();
}

/** Back to the bundled data (tests; or dropping a refresh). */
export function useBundledCatalog(): void {
  if (installed === null) return;
  installed = null;
  changed();
}

/**
 * Notices the app replacing genai-prices' data through `updatePrices()` (only while no data of
 * ours is installed, since ours takes precedence).
 */
export function checkBundledData(): void {
  if (installed !== null) return;
  const marker = findProvider({ providerId: 'openai' });
  if (marker === bundledMarker) return;
  bundledMarker = marker;
  bundledInfo = { source: 'app', date: new Date().toISOString().slice(0, 10) };
  changed();
}

/** Called on every data change (caches keyed by catalog content subscribe). Returns an unsubscribe. */
export function onCatalogChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The catalog date as Unix seconds (UTC midnight), for `llm_price_catalog_timestamp_seconds`. */
export function catalogTimestampSeconds(): number {
  return Date.parse(`${catalogInfo().date}T00:00:00Z`) / 1000;
}

function changed(): void {
  generation++;
  for (const listener of listeners) listener();
}
