/** The guard's store and unpriced-model options: defaults, env fallbacks, clear errors. */
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/config/resolve.js';

describe('budgetStore.redis and unpricedModels', () => {
  it('default: in-process store, unpriced models refused', () => {
    const o = resolveOptions({}, {});
    expect([o.budgetStore, o.unpricedModels]).toEqual([undefined, 'refuse']);
  });

  it('env alone turns the Redis store on, with the documented defaults', () => {
    const o = resolveOptions({}, { LLM_COST_BUDGET_REDIS_URL: 'redis://cache:6379/2' });
    expect(o.budgetStore).toEqual({
      url: 'redis://cache:6379/2',
      keyPrefix: 'llm-cost:budget:',
      timeoutMs: 250,
      failOpen: false,
    });
  });

  it('every field has an env fallback; code wins', () => {
    const env = {
      LLM_COST_BUDGET_REDIS_URL: 'unix:///run/redis.sock',
      LLM_COST_BUDGET_REDIS_KEY_PREFIX: 'shop:',
      LLM_COST_BUDGET_REDIS_TIMEOUT_MS: '100',
      LLM_COST_BUDGET_REDIS_FAIL_OPEN: 'true',
      LLM_COST_BUDGET_UNPRICED_MODELS: 'allow',
    };
    expect(resolveOptions({}, env)).toMatchObject({
      budgetStore: { url: 'unix:///run/redis.sock', keyPrefix: 'shop:', timeoutMs: 100, failOpen: true },
      unpricedModels: 'allow',
    });
    expect(
      resolveOptions(
        { budgetStore: { redis: { timeoutMs: 50, failOpen: false } }, unpricedModels: 'refuse' },
        env,
      ),
    ).toMatchObject({ budgetStore: { timeoutMs: 50, failOpen: false }, unpricedModels: 'refuse' });
  });

  it.each([
    [
      { budgetStore: { redis: { url: 'http://cache' } } },
      'llm-cost-otel: budgetStore.redis.url must be a redis://, rediss:// or unix: URL, got "http://cache"',
    ],
    [
      { budgetStore: { redis: {} } },
      'llm-cost-otel: budgetStore.redis.url must be a redis://, rediss:// or unix: URL, got undefined',
    ],
    [
      { budgetStore: { redis: { url: 'redis://x', timeoutMs: 0 } } },
      'llm-cost-otel: budgetStore.redis.timeoutMs must be an integer from 1 to 60000 (ms), got 0',
    ],
    [{ unpricedModels: 'ignore' }, `llm-cost-otel: unpricedModels must be 'refuse' or 'allow', got "ignore"`],
  ])('%j is refused with a clear message', (options, message) => {
    expect(() => resolveOptions(options as never, {})).toThrow(message);
  });
});
