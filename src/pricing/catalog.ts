/**
 * Read-only view of the bundled `@pydantic/genai-prices` catalog: our provider names → catalog
 * provider ids, and model lookup by the catalog's own `match` rules.
 *
 * The package exports no model-lookup function, only `calcPrice` (which prices too) and
 * `findProvider`. We reimplement its `match` evaluation (a dozen lines, mirrored from its
 * `dist/index.js`) so a lookup tells us *which* rule matched, never falls back to fuzzy provider
 * matching, and is done once per name rather than per call. The catalog's `match` rules may be
 * prefixes (`starts_with: claude-3-5-sonnet`): that is how the catalog defines its names, so we
 * honour them; we add no prefix guessing of our own.
 *
 * Data is the bundled snapshot. If the app calls genai-prices' `updatePrices()`, PriceBooks built
 * earlier keep the rates they resolved (resolution is cached).
 */
import { findProvider, type MatchLogic, type ModelInfo, type Provider } from '@pydantic/genai-prices';

/**
 * OTel GenAI `gen_ai.provider.name` values (and a few older `gen_ai.system` spellings) → catalog
 * provider id. Explicit because the catalog's own provider matching is substring-based and would
 * send `azure.ai.openai` to OpenAI (it "contains openai"), whose price list differs from Azure's.
 */
export const PROVIDER_TO_CATALOG: Readonly<Record<string, string>> = Object.freeze({
  openai: 'openai',
  anthropic: 'anthropic',
  'gcp.gemini': 'google',
  'gcp.vertex_ai': 'google',
  'gcp.gen_ai': 'google',
  'aws.bedrock': 'aws',
  'azure.ai.openai': 'azure',
  'azure.ai.inference': 'azure',
  deepseek: 'deepseek',
  x_ai: 'x-ai',
  openrouter: 'openrouter',
  mistral_ai: 'mistral',
  groq: 'groq',
  cohere: 'cohere',
  perplexity: 'perplexity',
  // Older `gen_ai.system` values still emitted by some instrumentations.
  'az.ai.openai': 'azure',
  'az.ai.inference': 'azure',
  vertex_ai: 'google',
  gemini: 'google',
  xai: 'x-ai',
});

export interface CatalogMatch {
  /** Catalog provider the model was found under (may be a fallback provider, e.g. Azure → OpenAI). */
  providerId: string;
  model: ModelInfo;
}

const providerIdCache = new Map<string, string | null>();
const regexCache = new Map<string, RegExp>();

/**
 * Catalog provider id for one of our provider names: the explicit table above, else an exact
 * (case-insensitive) catalog id such as `together` or `fireworks`; null when the catalog has no
 * such provider (then only overrides can price it).
 */
export function catalogProviderId(provider: string): string | null {
  const key = provider.trim().toLowerCase();
  const cached = providerIdCache.get(key);
  if (cached !== undefined) return cached;
  // Own properties only: a provider named `__proto__` or `constructor` is not a catalog id.
  const mapped = Object.hasOwn(PROVIDER_TO_CATALOG, key) ? PROVIDER_TO_CATALOG[key] : undefined;
  const id = mapped ?? (findProvider({ providerId: key })?.id === key ? key : null);
  providerIdCache.set(key, id);
  return id;
}

/** The catalog's provider record for an exact catalog id. */
export function catalogProvider(providerId: string): Provider | undefined {
  const provider = findProvider({ providerId });
  return provider?.id === providerId ? provider : undefined;
}

/**
 * First model of the provider whose `match` accepts `name`, then the same in the provider's
 * `fallback_model_providers` (Azure serves OpenAI models, Vertex serves Claude) — the catalog's
 * own lookup order. `name` must already be trimmed and lower-cased, as the catalog expects.
 */
export function findCatalogModel(providerId: string, name: string): CatalogMatch | null {
  const provider = catalogProvider(providerId);
  if (!provider) return null;
  const own = provider.models.find((model) => matchesModelName(model.match, name));
  if (own) return { providerId, model: own };
  for (const fallbackId of provider.fallback_model_providers ?? []) {
    const fallback = catalogProvider(fallbackId);
    const model = fallback?.models.find((m) => matchesModelName(m.match, name));
    if (fallback && model) return { providerId: fallback.id, model };
  }
  return null;
}

/** Model ids a provider (with its fallbacks) can price — the vocabulary for "did you mean". */
export function catalogModelIds(providerId: string): string[] {
  const provider = catalogProvider(providerId);
  if (!provider) return [];
  const ids = provider.models.map((model) => model.id);
  for (const fallbackId of provider.fallback_model_providers ?? []) {
    for (const model of catalogProvider(fallbackId)?.models ?? []) ids.push(model.id);
  }
  return ids;
}

/** Evaluates a catalog `match` rule exactly as genai-prices does (case-insensitive except regex). */
export function matchesModelName(logic: MatchLogic, name: string): boolean {
  if ('or' in logic) return logic.or.some((inner) => matchesModelName(inner, name));
  if ('and' in logic) return logic.and.every((inner) => matchesModelName(inner, name));
  const lower = name.toLowerCase();
  if ('equals' in logic) return lower === logic.equals.toLowerCase();
  if ('starts_with' in logic) return lower.startsWith(logic.starts_with.toLowerCase());
  if ('ends_with' in logic) return lower.endsWith(logic.ends_with.toLowerCase());
  if ('contains' in logic) return lower.includes(logic.contains.toLowerCase());
  if ('regex' in logic) return compiled(logic.regex).test(name);
  return false;
}

function compiled(source: string): RegExp {
  let regex = regexCache.get(source);
  if (!regex) {
    regex = new RegExp(source);
    regexCache.set(source, regex);
  }
  return regex;
}
