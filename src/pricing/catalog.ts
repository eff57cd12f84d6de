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
import type { MatchLogic, ModelInfo, Provider } from '@pydantic/genai-prices';
import { catalogProvider, onCatalogChange } from './catalog-data.js';
import { stripSnapshotSuffix } from './model-names.js';

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
  // Names users send for the same platforms (LiteLLM, Vercel AI SDK and hand-written record() calls).
  vertex: 'google',
  bedrock: 'aws',
  'amazon-bedrock': 'aws',
  amazon_bedrock: 'aws',
  mistralai: 'mistral',
});

/**
 * Local inference runtimes: no per-token bill, but $0 only when the user says so
 * (`prices.localRuntimesFree`), since the same names front paid hosted endpoints too.
 */
export const LOCAL_RUNTIMES: ReadonlySet<string> = new Set(['ollama', 'vllm']);

const providerIdCache = new Map<string, string | null>();
const regexCache = new Map<string, RegExp>();
onCatalogChange(() => {
  providerIdCache.clear();
  regexCache.clear();
});

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
  const id = mapped ?? (catalogProvider(key) ? key : null);
  providerIdCache.set(key, id);
  return id;
}

/**
 * How well a catalog `match` rule fits a name:
 * - `exact`: an `equals` or anchored `regex` clause, or a prefix/substring clause whose rest is
 *   empty or only a Bedrock-style namespace (`us.anthropic.`), a resource path (`models/`) or a
 *   version stamp (`-v2:0`);
 * - `snapshot`: as exact, plus a dated-snapshot or pinned-version suffix (`-20241022`, `-002`);
 * - `approximate`: the rule accepts the name, but the name says more than the rule does
 *   (`claude-sonnet-5-5` by `starts_with: claude-sonnet-5`) — a sibling's price, not its own.
 */
export type RuleFit = 'exact' | 'snapshot' | 'approximate';

export interface CatalogMatch {
  /** Catalog provider the model was found under (may be a fallback provider, e.g. Azure → OpenAI). */
  providerId: string;
  model: ModelInfo;
  fit: RuleFit;
  /** The clause that matched, e.g. `starts_with "claude-sonnet-5"`. */
  rule: string;
}

/**
 * The model of the provider (then of its `fallback_model_providers`: Azure serves OpenAI models,
 * Vertex serves Claude) whose `match` fits `name` best: the first exact or snapshot fit in
 * catalog order, else the first approximate one. `name` must already be trimmed and lower-cased.
 */
export function findCatalogModel(providerId: string, name: string): CatalogMatch | null {
  const provider = catalogProvider(providerId);
  if (!provider) return null;
  let approximate: CatalogMatch | null = null;
  const scan = (owner: Provider): CatalogMatch | null => {
    for (const model of owner.models) {
      const fit = fitModelName(model.match, name);
      if (fit === null) continue;
      const match = { providerId: owner.id, model, fit: fit.fit, rule: fit.rule };
      if (fit.fit !== 'approximate') return match;
      approximate ??= match;
    }
    return null;
  };
  const own = scan(provider);
  if (own) return own;
  for (const fallbackId of provider.fallback_model_providers ?? []) {
    const fallback = catalogProvider(fallbackId);
    const found = fallback ? scan(fallback) : null;
    if (found) return found;
  }
  return approximate;
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

const FIT_RANK: Record<RuleFit, number> = { exact: 2, snapshot: 1, approximate: 0 };
/** Namespace segments before the id: `us.anthropic.`, `models/`, an ARN up to its last `/`. */
const NAMESPACE = /^(?:[a-z0-9_:-]+[./])+$/;
/** A Bedrock version stamp (`-v2:0`): the same model. */
const BEDROCK_VERSION = /-v\d+:\d+$/;
/** Google's pinned stable versions (`gemini-1.5-flash-002`). */
const PINNED_VERSION = /-\d{3}$/;

/** How `logic` fits `name` (see `RuleFit`), or null when it does not accept it at all. */
export function fitModelName(logic: MatchLogic, name: string): { fit: RuleFit; rule: string } | null {
  if ('or' in logic) {
    let best: { fit: RuleFit; rule: string } | null = null;
    for (const inner of logic.or) {
      const fit = fitModelName(inner, name);
      if (fit !== null && (best === null || FIT_RANK[fit.fit] > FIT_RANK[best.fit])) best = fit;
      if (best?.fit === 'exact') break;
    }
    return best;
  }
  if ('and' in logic) {
    let worst: { fit: RuleFit; rule: string } | null = null;
    for (const inner of logic.and) {
      const fit = fitModelName(inner, name);
      if (fit === null) return null;
      if (worst === null || FIT_RANK[fit.fit] < FIT_RANK[worst.fit]) worst = fit;
    }
    return worst;
  }
  const lower = name.toLowerCase();
  if ('equals' in logic) {
    return lower === logic.equals.toLowerCase() ? { fit: 'exact', rule: `equals "${logic.equals}"` } : null;
  }
  if ('regex' in logic) {
    // A regex is a pattern the catalog's authors wrote on purpose (`^claude-opus-5-\d{8}$`).
    return compiled(logic.regex).test(name) ? { fit: 'exact', rule: `regex "${logic.regex}"` } : null;
  }
  let literal: string;
  let at: number;
  let rule: string;
  if ('starts_with' in logic) {
    literal = logic.starts_with.toLowerCase();
    at = lower.startsWith(literal) ? 0 : -1;
    rule = `starts_with "${logic.starts_with}"`;
  } else if ('ends_with' in logic) {
    literal = logic.ends_with.toLowerCase();
    at = lower.endsWith(literal) ? lower.length - literal.length : -1;
    rule = `ends_with "${logic.ends_with}"`;
  } else if ('contains' in logic) {
    literal = logic.contains.toLowerCase();
    at = lower.indexOf(literal);
    rule = `contains "${logic.contains}"`;
  } else {
    return null;
  }
  if (at < 0) return null;
  // A prefix ending in a separator (`gemma-3-`, `magistral-small-`) declares a whole family.
  if ('starts_with' in logic && literal.endsWith('-')) return { fit: 'exact', rule };
  return { fit: affixFit(lower, at, at + literal.length), rule };
}

/**
 * Fit of a name whose `[at, end)` is the rule's literal. What precedes it must be a namespace;
 * what follows may be a version stamp (exact), or a dated snapshot / pinned version the literal
 * reaches into or stops before (snapshot: `starts_with: claude-sonnet-4-2025` fits
 * `claude-sonnet-4-20250514`). An OpenAI fine-tune's `:org:name:id` tail is not part of the model.
 */
function affixFit(name: string, at: number, end: number): RuleFit {
  if (at > 0 && !NAMESPACE.test(name.slice(0, at))) return 'approximate';
  let core = name;
  if (name.startsWith('ft:')) {
    const colon = name.indexOf(':', 3);
    if (colon > 0) core = name.slice(0, colon);
  }
  core = core.replace(BEDROCK_VERSION, '');
  if (end >= core.length) return 'exact';
  const base = stripSnapshotSuffix(core) ?? (PINNED_VERSION.test(core) ? core.slice(0, -4) : null);
  return base !== null && base.length <= end ? 'snapshot' : 'approximate';
}

function compiled(source: string): RegExp {
  let regex = regexCache.get(source);
  if (!regex) {
    regex = new RegExp(source);
    regexCache.set(source, regex);
  }
  return regex;
}
