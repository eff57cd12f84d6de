/**
 * Opt-in catalog refresh: genai-prices' published data fetched every `ttlMs` (URL configurable),
 * kept in a file cache so a restart — or an air-gapped host given a pre-fetched file — starts
 * from the newest data it has. Installing new data makes every PriceBook drop the resolutions it
 * cached (see `catalog-data.ts`). Failures keep the data in use, are said once on stderr, and show
 * as an old `llm_price_catalog_timestamp_seconds`, which the `LLMPriceCatalogStale` alert watches.
 */
import { statSync } from 'node:fs';
import { logger, notice } from '../diag.js';
import { errorMessage } from '../util/error-message.js';
import { catalogInfo, catalogTimestampSeconds, installCatalog, onCatalogChange } from './catalog-data.js';
import { type CatalogData, fetchCatalog, readCatalogFile, writeCatalogFile } from './catalog-file.js';

export interface CatalogRefreshOptions {
  /** Where to fetch `data.json` from. */
  url: string;
  /** How often to fetch. */
  ttlMs: number;
  /** File cache: read at start, written after each successful fetch. */
  cacheFile?: string;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
}

export class CatalogRefresher {
  readonly #options: CatalogRefreshOptions;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #inflight: Promise<boolean> | undefined;

  constructor(options: CatalogRefreshOptions) {
    this.#options = options;
  }

  /**
   * Installs the cache file's data, if there is a valid one; returns how long ago it was written
   * in ms (Infinity when none was used). Never throws: a bad cache is reported and the current data kept.
   */
  loadCache(): number {
    const file = this.#options.cacheFile;
    if (file === undefined) return Number.POSITIVE_INFINITY;
    let data: CatalogData;
    try {
      data = readCatalogFile(file);
    } catch (error) {
      // No cache yet is normal: the first fetch writes it.
      if (errorMessage(error).includes('ENOENT')) return Number.POSITIVE_INFINITY;
      notice(`catalog-cache\u0000${file}`, `price catalog file not used: ${errorMessage(error)}`);
      return Number.POSITIVE_INFINITY;
    }
    install(data);
    // Fresh by when it was written (fetched), not by the data's own date.
    try {
      return Date.now() - statSync(file).mtimeMs;
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  }

  /** Loads the cache, then fetches now if it is older than the TTL, and every TTL after. */
  start(): void {
    const age = this.loadCache();
    const first = age >= this.#options.ttlMs ? 0 : this.#options.ttlMs - age;
    this.#schedule(first);
  }

  /** Fetches once now. Resolves true when new data was installed; never rejects. */
  refresh(): Promise<boolean> {
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.refresh().then(() => this.#schedule(this.#options.ttlMs));
    }, delayMs);
    this.#timer.unref();
  }

  async #fetch(): Promise<boolean> {
    const { url, cacheFile, timeoutMs } = this.#options;
    let data: CatalogData;
    try {
      data = await fetchCatalog(url, timeoutMs);
    } catch (error) {
      notice(
        `catalog-refresh\u0000${url}`,
        `price catalog refresh failed (${errorMessage(error)}); prices stay on the data of ${catalogInfo().date} (${catalogInfo().source}). Further failures are not repeated here; watch llm_price_catalog_timestamp_seconds.`,
      );
      return false;
    }
    if (this.#stopped) return false;
    install(data);
    if (cacheFile !== undefined) {
      try {
        writeCatalogFile(cacheFile, data);
      } catch (error) {
        notice(
          `catalog-cache-write\u0000${cacheFile}`,
          `cannot write the price catalog cache ${cacheFile}: ${errorMessage(error)}`,
        );
      }
    }
    return true;
  }
}

function install(data: CatalogData): void {
  installCatalog(data.providers, { source: data.source, date: data.date });
  logger.info(`price catalog of ${data.date} installed from ${data.source}`);
}

/**
 * Starts what the pricing options ask for — a catalog file, a refresh, both, or nothing — and
 * returns how to stop it. Used by `register()`; the catalog is process-wide.
 * @throws PriceConfigError for a catalog file (without refresh) that cannot be read or is invalid.
 */
export function startCatalogUpdates(pricing: {
  catalogFile?: string;
  refresh?: { url: string; ttlMs: number };
}): (() => void) | undefined {
  if (pricing.catalogFile === undefined && pricing.refresh === undefined) return undefined;
  const refresher = new CatalogRefresher({
    url: pricing.refresh?.url ?? '',
    ttlMs: pricing.refresh?.ttlMs ?? Number.POSITIVE_INFINITY,
    cacheFile: pricing.catalogFile,
  });
  if (pricing.refresh) {
    refresher.start();
    return () => refresher.stop();
  }
  // A catalog file on its own is configuration: unreadable or invalid fails startup, like a bad
  // overrides file (with refresh it is only a cache, and a bad one is reported and replaced).
  install(readCatalogFile(pricing.catalogFile!));
  return undefined;
}

/**
 * Keeps `gauge` (llm_price_catalog_timestamp_seconds) at the catalog's date and starts the
 * catalog file / refresh the options ask for. Returns the cleanup for shutdown.
 */
export function attachCatalog(
  gauge: { value: number },
  pricing: Parameters<typeof startCatalogUpdates>[0],
): () => void {
  const update = () => {
    gauge.value = catalogTimestampSeconds();
  };
  update();
  const unsubscribe = onCatalogChange(update);
  const stop = startCatalogUpdates(pricing);
  return () => {
    unsubscribe();
    stop?.();
  };
}
