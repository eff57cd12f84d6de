/**
 * The pricing part of `register()` options: public shape (each field with its default and env
 * fallback) and its validation. Kept beside the price book so `config/options.ts` only delegates.
 */
import { ConfigError, show } from '../config/errors.js';
import type { PriceOverride, ServiceTierRate } from '../types.js';
import { DEFAULT_CATALOG_URL } from './catalog-file.js';

const DAY_MS = 86_400_000;

export interface PricesOptions {
  /** Custom prices, aliases and discounts (see README "Pricing"). Default none. */
  overrides?: PriceOverride[];
  /** A JSON/YAML file of overrides. Env `LLM_COST_PRICES_FILE`. */
  file?: string;
  /**
   * Price calls to local runtimes (`ollama`, `vllm`) at $0. Default `false`: they are unpriced
   * (counted in `llm_unpriced_requests_total`) until you say they are free. Env
   * `LLM_COST_LOCAL_RUNTIMES_FREE`.
   */
  localRuntimesFree?: boolean;
  /**
   * Service-tier prices (flex, priority, batch, …) consulted before the built-in dated table;
   * see README "Service tiers". Default none.
   */
  serviceTiers?: ServiceTierRate[];
  /**
   * A catalog file (genai-prices `data.json`, or what `llm-cost prices update --out FILE` writes)
   * used instead of the bundled data — for air-gapped hosts — and, with `refresh`, the file cache
   * each successful fetch rewrites. Default none; env `LLM_COST_PRICES_CATALOG_FILE`.
   */
  catalogFile?: string;
  /**
   * Fetch newer catalog data at run time: `true`, or `{ url, ttlMs }`. Default off; env
   * `LLM_COST_PRICES_REFRESH=true`, `LLM_COST_PRICES_URL` (default genai-prices' published
   * data.json), `LLM_COST_PRICES_REFRESH_TTL_MS` (default 86 400 000 = 1 day; at least 60 000).
   */
  refresh?: boolean | { url?: string; ttlMs?: number };
}

export interface ResolvedPricing {
  /** Approximate catalog matches are unpriced (`strictPricing`). */
  strict: boolean;
  localRuntimesFree: boolean;
  serviceTiers: ServiceTierRate[];
  catalogFile?: string;
  refresh?: { url: string; ttlMs: number };
}

export function resolvePricing(
  prices: PricesOptions,
  strictPricing: unknown,
  env: NodeJS.ProcessEnv,
): ResolvedPricing {
  const strict = strictPricing ?? flag('LLM_COST_STRICT_PRICING', env) ?? false;
  if (typeof strict !== 'boolean') fail('strictPricing', 'must be a boolean', strict);
  const localRuntimesFree = prices.localRuntimesFree ?? flag('LLM_COST_LOCAL_RUNTIMES_FREE', env) ?? false;
  if (typeof localRuntimesFree !== 'boolean') {
    fail('prices.localRuntimesFree', 'must be a boolean', localRuntimesFree);
  }
  const serviceTiers = prices.serviceTiers ?? [];
  if (!Array.isArray(serviceTiers)) fail('prices.serviceTiers', 'must be an array', serviceTiers);
  const catalogFile = prices.catalogFile ?? (env.LLM_COST_PRICES_CATALOG_FILE || undefined);
  if (catalogFile !== undefined && (typeof catalogFile !== 'string' || catalogFile.trim() === '')) {
    fail('prices.catalogFile', 'must be a file path', catalogFile);
  }
  const refreshOption = prices.refresh ?? flag('LLM_COST_PRICES_REFRESH', env) ?? false;
  let refresh: ResolvedPricing['refresh'];
  if (refreshOption !== false) {
    if (refreshOption !== true && (typeof refreshOption !== 'object' || refreshOption === null)) {
      fail('prices.refresh', 'must be a boolean or { url, ttlMs }', refreshOption);
    }
    const o = refreshOption === true ? {} : refreshOption;
    const url = o.url ?? (env.LLM_COST_PRICES_URL || DEFAULT_CATALOG_URL);
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      fail('prices.refresh.url', 'must be an http(s) URL', url);
    }
    if (parsed!.protocol !== 'https:' && parsed!.protocol !== 'http:') {
      fail('prices.refresh.url', 'must be an http(s) URL', url);
    }
    const rawTtl = o.ttlMs ?? env.LLM_COST_PRICES_REFRESH_TTL_MS ?? DAY_MS;
    const ttlMs = typeof rawTtl === 'string' && rawTtl.trim() !== '' ? Number(rawTtl) : rawTtl;
    if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs < 60_000 || ttlMs > 30 * DAY_MS) {
      fail('prices.refresh.ttlMs', `must be an integer from 60000 to ${30 * DAY_MS}`, rawTtl);
    }
    refresh = { url, ttlMs };
  }
  return { strict, localRuntimesFree, serviceTiers, catalogFile, refresh };
}

function flag(name: string, env: NodeJS.ProcessEnv): boolean | undefined {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  fail(`env ${name}`, 'must be true or false', v);
}

function fail(field: string, expected: string, value: unknown): never {
  throw new ConfigError(`llm-cost-otel: ${field} ${expected}, got ${show(value)}`);
}
