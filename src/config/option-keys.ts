/**
 * The keys `register()` accepts, at every level, so that a typo is a `ConfigError` naming the
 * closest valid key. A new option is added to its interface in `options.ts` AND to the list here
 * (the `satisfies` clauses make the compiler reject a listed key the interface does not have).
 */
import type { BudgetStoreOptions, RedisBudgetStoreOptions } from '../budgets/store/options.js';
import type { BudgetConfig } from '../budgets/types.js';
import { rejectUnknownKeys } from './known-keys.js';
import type { ClusterOptions, OtlpOptions, PrometheusOptions, RegisterOptions } from './options.js';

/** Top-level keys of `register()` options. */
export const REGISTER_OPTION_KEYS = [
  'serviceName',
  'defaultAgent',
  'defaultOperation',
  'dimensions',
  'maxSeries',
  'maxPlausibleTokens',
  'prometheus',
  'promClientRegistry',
  'otlp',
  'tracerProvider',
  'meterProvider',
  'prices',
  'strictPricing',
  'budgets',
  'budgetGuard',
  'onBudgetEvent',
  'unpricedModels',
  'budgetStore',
  'instrumentations',
  'injectStreamUsage',
  'genAiClientMetrics',
  'openaiStreamUsageHosts',
  'cluster',
  'runs',
] as const satisfies readonly (keyof RegisterOptions)[];

// Fails to compile when RegisterOptions gains a key that the list above lacks.
type Unlisted = Exclude<keyof RegisterOptions, (typeof REGISTER_OPTION_KEYS)[number]>;
const everyOptionListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyOptionListed;

/** Keys of the nested option objects, by their path in the options. */
export const NESTED_OPTION_KEYS: Record<string, string[]> = {
  prometheus: [
    'server',
    'host',
    'port',
    'endpoint',
    'auth',
    'maxPageBytes',
    'maxConnections',
    'socketTimeoutMs',
  ] satisfies (keyof PrometheusOptions)[],
  'prometheus.auth': ['bearerToken', 'basic'] satisfies (keyof NonNullable<PrometheusOptions['auth']>)[],
  'prometheus.auth.basic': ['username', 'password'],
  otlp: ['url', 'headers', 'intervalMs'] satisfies (keyof OtlpOptions)[],
  budgetStore: ['redis'] satisfies (keyof BudgetStoreOptions)[],
  'budgetStore.redis': [
    'url',
    'keyPrefix',
    'timeoutMs',
    'failOpen',
  ] satisfies (keyof RedisBudgetStoreOptions)[],
  'prices.refresh': ['url', 'ttlMs'],
  runs: ['timeoutMs', 'dimensions', 'baselines', 'maxOpenRuns', 'summaryCapacity'],
  cluster: ['role', 'workerTimeoutMs', 'pushIntervalMs'] satisfies (keyof ClusterOptions)[],
  prices: [
    'overrides',
    'file',
    'localRuntimesFree',
    'serviceTiers',
    'catalogFile',
    'refresh',
  ] satisfies (keyof NonNullable<RegisterOptions['prices']>)[],
};

/** Keys of one budget (in code, a budgets file or `LLM_COST_BUDGETS`). */
export const BUDGET_KEYS: string[] = [
  'name',
  'limitUsd',
  'window',
  'match',
  'thresholds',
  'milestoneUsd',
] satisfies (keyof BudgetConfig)[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rejects an unknown key anywhere in `register()` options (top level and the nested objects
 * above). Values of the wrong type are left to the field validations that follow.
 */
export function rejectUnknownOptionKeys(options: object): void {
  rejectUnknownKeys('register() options', options, REGISTER_OPTION_KEYS);
  for (const [path, keys] of Object.entries(NESTED_OPTION_KEYS)) {
    let value: unknown = options;
    for (const part of path.split('.')) value = isPlainObject(value) ? value[part] : undefined;
    if (isPlainObject(value)) rejectUnknownKeys(`option ${path}`, value, keys);
  }
}

/** Rejects an unknown key in one budget; `at` names it (`budgets[0]`, `budgets.yaml[2]`). */
export function rejectUnknownBudgetKeys(at: string, budget: object): void {
  rejectUnknownKeys(at, budget, BUDGET_KEYS);
}
