/** The guard's store and unpriced-model options: types, defaults and env fallbacks, validated up front. */
import { fail } from '../../config/option-checks.js';
import type { UnpricedModelsPolicy } from '../budget-guard.js';
import type { ResolvedRedisStore } from '../budget-set.js';

export interface RedisBudgetStoreOptions {
  /**
   * `redis://[:password@]host:port[/db]`, `rediss://…` (TLS) or `unix:///path/to/redis.sock`.
   * Env `LLM_COST_BUDGET_REDIS_URL` (setting it alone turns the Redis store on).
   */
  url?: string;
  /** Prefix of every key; give each app (or environment) its own. Default `llm-cost:budget:`; env `LLM_COST_BUDGET_REDIS_KEY_PREFIX`. */
  keyPrefix?: string;
  /** A reserve that takes longer counts as Redis unavailable. Default 250 ms; env `LLM_COST_BUDGET_REDIS_TIMEOUT_MS`. */
  timeoutMs?: number;
  /**
   * While Redis is unavailable: `false` (default) refuses guarded calls (`BudgetExceededError`,
   * reason `store_unavailable`); `true` admits them unguarded. Both are counted. Env
   * `LLM_COST_BUDGET_REDIS_FAIL_OPEN`.
   */
  failOpen?: boolean;
}

export interface BudgetStoreOptions {
  /** Keep the guard's spend and reservations in Redis (needs the `ioredis` package). */
  redis?: RedisBudgetStoreOptions;
}

export const DEFAULT_REDIS_KEY_PREFIX = 'llm-cost:budget:';
export const DEFAULT_REDIS_TIMEOUT_MS = 250;

export function resolveUnpricedModels(value: unknown, env: NodeJS.ProcessEnv): UnpricedModelsPolicy {
  const v = value ?? (env.LLM_COST_BUDGET_UNPRICED_MODELS || undefined) ?? 'refuse';
  if (v !== 'refuse' && v !== 'allow') fail('unpricedModels', "must be 'refuse' or 'allow'", v);
  return v;
}

export function resolveBudgetStore(
  value: BudgetStoreOptions | undefined,
  env: NodeJS.ProcessEnv,
): ResolvedRedisStore | undefined {
  if (value !== undefined && (value === null || typeof value !== 'object'))
    fail('budgetStore', 'must be an object', value);
  const redis = value?.redis;
  const url = redis?.url ?? (env.LLM_COST_BUDGET_REDIS_URL || undefined);
  if (redis === undefined && url === undefined) return undefined;
  if (typeof url !== 'string' || !/^(rediss?:\/\/|unix:)/.test(url)) {
    fail('budgetStore.redis.url', 'must be a redis://, rediss:// or unix: URL', url);
  }
  const keyPrefix =
    redis?.keyPrefix ?? (env.LLM_COST_BUDGET_REDIS_KEY_PREFIX || undefined) ?? DEFAULT_REDIS_KEY_PREFIX;
  if (typeof keyPrefix !== 'string') fail('budgetStore.redis.keyPrefix', 'must be a string', keyPrefix);
  const rawTimeout =
    redis?.timeoutMs ?? (env.LLM_COST_BUDGET_REDIS_TIMEOUT_MS || undefined) ?? DEFAULT_REDIS_TIMEOUT_MS;
  const timeoutMs = typeof rawTimeout === 'string' ? Number(rawTimeout) : rawTimeout;
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    fail('budgetStore.redis.timeoutMs', 'must be an integer from 1 to 60000 (ms)', rawTimeout);
  }
  const rawFailOpen: unknown = redis?.failOpen ?? (env.LLM_COST_BUDGET_REDIS_FAIL_OPEN || undefined) ?? false;
  const failOpen = typeof rawFailOpen === 'string' ? flag(rawFailOpen) : rawFailOpen;
  if (typeof failOpen !== 'boolean') fail('budgetStore.redis.failOpen', 'must be true or false', rawFailOpen);
  return { url, keyPrefix, timeoutMs, failOpen };
}

function flag(text: string): boolean | undefined {
  if (/^(1|true|yes|on)$/i.test(text)) return true;
  if (/^(0|false|no|off)$/i.test(text)) return false;
  return undefined;
}
