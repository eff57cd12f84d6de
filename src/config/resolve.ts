/**
 * `resolveOptions()`: `register()` options (and their env fallbacks) validated up front into the
 * resolved, internal form — attribution, limits, export, pricing, budgets, SDK instrumentation,
 * runs. Every bad value is a `ConfigError` naming the field, before anything starts.
 */
import type { TracerProvider } from '@opentelemetry/api';
import type { UnpricedModelsPolicy } from '../budgets/budget-guard.js';
import type { ResolvedRedisStore } from '../budgets/budget-set.js';
import { resolveBudgets } from '../budgets/load.js';
import { resolveBudgetStore, resolveUnpricedModels } from '../budgets/store/options.js';
import type { BudgetConfig, BudgetEventListener } from '../budgets/types.js';
import { notice } from '../diag.js';
import { type ResolvedPricing, resolvePricing } from '../pricing/options.js';
import { type ResolvedRunsOptions, resolveRuns } from '../runs/options.js';
import type { PriceOverride } from '../types.js';
import { envFlag, fail, integerIn } from './option-checks.js';
import { rejectUnknownOptionKeys } from './option-keys.js';
import { INSTRUMENTATION_NAMES, type InstrumentationName, type RegisterOptions } from './options.js';
import { type ResolvedExport, resolveExport } from './resolve-export.js';
import { labelNameList, nonEmptyString } from './text-checks.js';

/** `register()` options resolved: every default and env fallback applied, every value checked. */
export interface ResolvedOptions extends ResolvedExport {
  serviceName: string;
  defaultAgent: string;
  defaultOperation?: string;
  dimensions: string[];
  maxSeries: number;
  maxPlausibleTokens: number;
  tracerProvider?: TracerProvider;
  priceOverrides: PriceOverride[];
  pricesFile?: string;
  budgets: BudgetConfig[];
  budgetGuard: boolean;
  onBudgetEvent?: BudgetEventListener;
  unpricedModels: UnpricedModelsPolicy;
  budgetStore?: ResolvedRedisStore;
  instrumentations: InstrumentationName[];
  injectStreamUsage: boolean;
  genAiClientMetrics: boolean | 'auto';
  pricing: ResolvedPricing;
  openaiStreamUsageHosts: string[];
  runs: ResolvedRunsOptions;
}

const RESERVED_DIMENSIONS = new Set([
  'provider',
  'model',
  'agent',
  'operation',
  'task',
  'job',
  'instance',
  'le',
]);

export function resolveOptions(
  options: RegisterOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  if (options === null || typeof options !== 'object') fail('options', 'must be an object', options);
  rejectUnknownOptionKeys(options);
  const attribution = resolveAttribution(options, env);
  const limits = resolveLimits(options, env);
  const exported = resolveExport(options, env);
  const prices = resolvePrices(options, env);
  const budgets = resolveBudgetOptions(options, env, attribution.dimensions);
  const sdk = resolveSdk(options, env);
  return {
    ...attribution,
    ...limits,
    ...exported,
    tracerProvider: options.tracerProvider,
    priceOverrides: prices.priceOverrides,
    pricesFile: prices.pricesFile,
    ...budgets,
    ...sdk,
    pricing: resolvePricing(prices.options, options.strictPricing, env),
    runs: resolveRuns(options.runs, env),
  };
}

/** Price overrides and the overrides file; the rest of `prices` is `pricing/options.ts`'s. */
function resolvePrices(options: RegisterOptions, env: NodeJS.ProcessEnv) {
  const prices = options.prices ?? {};
  if (typeof prices !== 'object' || prices === null) fail('prices', 'must be an object', prices);
  if (prices.overrides !== undefined && !Array.isArray(prices.overrides)) {
    fail('prices.overrides', 'must be an array', prices.overrides);
  }
  const pricesFile = prices.file ?? (env.LLM_COST_PRICES_FILE || undefined);
  return { options: prices, priceOverrides: prices.overrides ?? [], pricesFile };
}

/** Who a call is attributed to by default, and which extra dimensions become labels. */
function resolveAttribution(
  options: RegisterOptions,
  env: NodeJS.ProcessEnv,
): Pick<ResolvedOptions, 'serviceName' | 'defaultAgent' | 'defaultOperation' | 'dimensions'> {
  const serviceName =
    options.serviceName !== undefined
      ? nonEmptyString('serviceName', options.serviceName)
      : env.OTEL_SERVICE_NAME || 'unknown_service';
  const defaultAgent =
    options.defaultAgent !== undefined
      ? nonEmptyString('defaultAgent', options.defaultAgent)
      : env.LLM_COST_DEFAULT_AGENT || serviceName;
  const defaultOperation =
    options.defaultOperation !== undefined
      ? nonEmptyString('defaultOperation', options.defaultOperation)
      : env.LLM_COST_DEFAULT_OPERATION || undefined;

  const dimensions = labelNameList(
    'dimensions',
    options.dimensions,
    env.LLM_COST_DIMENSIONS,
    RESERVED_DIMENSIONS,
    'team',
  );
  return { serviceName, defaultAgent, defaultOperation, dimensions };
}

/** Caps that keep memory and numbers bounded. */
function resolveLimits(
  options: RegisterOptions,
  env: NodeJS.ProcessEnv,
): Pick<ResolvedOptions, 'maxSeries' | 'maxPlausibleTokens'> {
  const maxSeries = integerIn(
    'maxSeries',
    options.maxSeries ?? env.LLM_COST_MAX_SERIES ?? 2000,
    10,
    1_000_000,
  );

  const maxPlausibleTokens = integerIn(
    options.maxPlausibleTokens !== undefined ? 'maxPlausibleTokens' : 'env LLM_COST_MAX_PLAUSIBLE_TOKENS',
    options.maxPlausibleTokens ?? env.LLM_COST_MAX_PLAUSIBLE_TOKENS ?? 10_000_000,
    1_000,
    Number.MAX_SAFE_INTEGER,
  );
  return { maxSeries, maxPlausibleTokens };
}

function resolveBudgetOptions(
  options: RegisterOptions,
  env: NodeJS.ProcessEnv,
  dimensions: readonly string[],
): Pick<ResolvedOptions, 'budgets' | 'budgetGuard' | 'onBudgetEvent' | 'unpricedModels' | 'budgetStore'> {
  const budgets = resolveBudgets(options.budgets ?? (env.LLM_COST_BUDGETS || undefined), dimensions);
  const budgetGuard = options.budgetGuard ?? envFlag('LLM_COST_BUDGET_GUARD', env) ?? false;
  if (typeof budgetGuard !== 'boolean') fail('budgetGuard', 'must be a boolean', budgetGuard);
  if (options.onBudgetEvent !== undefined && typeof options.onBudgetEvent !== 'function') {
    fail('onBudgetEvent', 'must be a function', options.onBudgetEvent);
  }
  return {
    budgets,
    budgetGuard,
    onBudgetEvent: options.onBudgetEvent,
    unpricedModels: resolveUnpricedModels(options.unpricedModels, env),
    budgetStore: resolveBudgetStore(options.budgetStore, env),
  };
}

/** What the SDK instrumentations patch and record. */
function resolveSdk(
  options: RegisterOptions,
  env: NodeJS.ProcessEnv,
): Pick<
  ResolvedOptions,
  'instrumentations' | 'injectStreamUsage' | 'openaiStreamUsageHosts' | 'genAiClientMetrics'
> {
  const instrumentations = resolveInstrumentations(options.instrumentations, env);
  const injectStreamUsage =
    options.injectStreamUsage ?? envFlag('LLM_COST_OPENAI_INJECT_STREAM_USAGE', env) ?? true;
  if (typeof injectStreamUsage !== 'boolean')
    fail('injectStreamUsage', 'must be a boolean', injectStreamUsage);
  const openaiStreamUsageHosts = hostList(
    options.openaiStreamUsageHosts !== undefined
      ? 'openaiStreamUsageHosts'
      : 'env LLM_COST_OPENAI_STREAM_USAGE_HOSTS',
    options.openaiStreamUsageHosts ?? env.LLM_COST_OPENAI_STREAM_USAGE_HOSTS?.split(',') ?? [],
  );

  const genAiEnv = env.LLM_COST_GENAI_CLIENT_METRICS?.trim().toLowerCase();
  const genAiClientMetrics =
    options.genAiClientMetrics ??
    (genAiEnv === 'auto' ? 'auto' : envFlag('LLM_COST_GENAI_CLIENT_METRICS', env)) ??
    'auto';
  if (typeof genAiClientMetrics !== 'boolean' && genAiClientMetrics !== 'auto') {
    fail('genAiClientMetrics', 'must be true, false or "auto"', genAiClientMetrics);
  }
  return { instrumentations, injectStreamUsage, openaiStreamUsageHosts, genAiClientMetrics };
}

function hostList(field: string, value: unknown): string[] {
  if (!Array.isArray(value)) fail(field, 'must be a list of host names', value);
  return value
    .map((entry, i) => {
      if (typeof entry !== 'string' || /[\s/]/.test(entry.trim())) {
        fail(
          `${field}[${i}]`,
          'must be a host name like "llm.internal", "llm.internal:8000" or "*.example.com"',
          entry,
        );
      }
      return entry.trim();
    })
    .filter((entry) => entry !== '');
}

function resolveInstrumentations(
  value: InstrumentationName[] | boolean | undefined,
  env: NodeJS.ProcessEnv,
): InstrumentationName[] {
  let list: unknown = value;
  let field = 'instrumentations';
  if (value === undefined && env.LLM_COST_INSTRUMENTATIONS) {
    field = 'env LLM_COST_INSTRUMENTATIONS';
    const text = env.LLM_COST_INSTRUMENTATIONS.trim();
    list = /^(all|true)$/i.test(text)
      ? true
      : /^(none|false)$/i.test(text)
        ? false
        : text.split(',').map((s) => s.trim());
  }
  if (list === undefined || list === false) return [];
  if (list === true) return [...INSTRUMENTATION_NAMES];
  if (!Array.isArray(list)) fail(field, 'must be a list of SDK names or a boolean', list);
  if (field.startsWith('env ')) {
    // From the environment (often the zero-code entry): a typo must not stop the others, but it
    // is said where a person sees it.
    const known = list.filter((name) => (INSTRUMENTATION_NAMES as readonly string[]).includes(name));
    const unknown = list.filter((name) => name !== '' && !known.includes(name));
    if (unknown.length > 0) {
      notice(
        `unknown-instrumentation:${unknown.join(',')}`,
        `${field} names ${unknown.map((n) => JSON.stringify(n)).join(', ')}, which is not an SDK llm-cost-otel instruments (${INSTRUMENTATION_NAMES.join(', ')}, or all/none); ${known.length > 0 ? `instrumenting ${known.join(', ')} only` : 'no SDK is instrumented'}.`,
      );
    }
    return known as InstrumentationName[];
  }
  return list.map((name, i) => {
    if (!(INSTRUMENTATION_NAMES as readonly string[]).includes(name)) {
      fail(`${field}[${i}]`, `must be one of ${INSTRUMENTATION_NAMES.join(', ')}`, name);
    }
    return name as InstrumentationName;
  });
}
