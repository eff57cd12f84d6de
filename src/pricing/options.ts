/**
 * The pricing part of `register()` options: public shape (each field with its default and env
 * fallback) and its validation. Kept beside the price book so `config/options.ts` only delegates.
 */
import { ConfigError, show } from '../config/errors.js';
import type { PriceOverride, ServiceTierRate } from '../types.js';

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
}

export interface ResolvedPricing {
  /** Approximate catalog matches are unpriced (`strictPricing`). */
  strict: boolean;
  localRuntimesFree: boolean;
  serviceTiers: ServiceTierRate[];
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
  return { strict, localRuntimesFree, serviceTiers };
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
