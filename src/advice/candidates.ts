/**
 * Which models to reprice a workload on: the ones a user names (`--to gpt-4o-mini,claude-3-5-haiku`,
 * provider found from the catalog), or by default the same provider's cheaper models of the same
 * kind — current (not deprecated), with at least the same context window, reasoning models for a
 * workload that reasons — cheapest on the observed mix first.
 */

import { catalogProviderId, findCatalogModel } from '../pricing/catalog.js';
import { catalogProvider } from '../pricing/catalog-data.js';
import { defaultPriceBook, type PriceBook } from '../pricing/index.js';
import { isReasoningModel, isServedByProvider, modelKind } from './model-traits.js';
import { type ModelRef, ratesOf, repriceWorkload, type TokenMix } from './reprice.js';

/** Providers a bare model name is looked up under, in this order (Anthropic before Gemini: Vertex also lists Claude). */
export const LOOKUP_PROVIDERS = [
  'openai',
  'anthropic',
  'gcp.gemini',
  'aws.bedrock',
  'deepseek',
  'x_ai',
  'mistral_ai',
];

/**
 * `gpt-4o-mini` → `{ provider: 'openai', model: 'gpt-4o-mini' }`; `anthropic:claude-3-5-haiku` or
 * `anthropic/claude-3-5-haiku` names the provider. Null when no provider can price the name.
 */
export function parseModelRef(text: string, book: PriceBook = defaultPriceBook()): ModelRef | null {
  const trimmed = text.trim();
  const explicit = /^([a-z0-9_.]+)[:/](.+)$/i.exec(trimmed);
  if (explicit && catalogProviderId(explicit[1]!) !== null) {
    const ref = { provider: explicit[1]!.toLowerCase(), model: explicit[2]! };
    return 'levels' in ratesOf(book, ref, Date.now()) ? ref : null;
  }
  for (const provider of LOOKUP_PROVIDERS) {
    const ref = { provider, model: trimmed };
    if ('levels' in ratesOf(book, ref, Date.now())) return ref;
  }
  return null;
}

export interface CandidateOptions {
  /** At most this many (default 3). */
  limit?: number;
  priceBook?: PriceBook;
  at?: number;
}

/** Default candidates for a workload served by `from` (empty when `from` is not in the catalog). */
export function defaultCandidates(from: ModelRef, mix: TokenMix, options: CandidateOptions = {}): ModelRef[] {
  const book = options.priceBook ?? defaultPriceBook();
  const at = options.at ?? Date.now();
  const providerId = catalogProviderId(from.provider);
  if (providerId === null) return [];
  const rates = ratesOf(book, from, at);
  if (!('levels' in rates)) return [];
  const sourceId = rates.levels[0]!.entry.model;
  const source = findCatalogModel(providerId, sourceId.toLowerCase())?.model;
  const kind = modelKind(sourceId);
  if (kind === 'other') return [];
  const needsReasoning = mix.reasoning > 0;
  const models = (catalogProvider(providerId)?.models ?? []).filter(
    (m) =>
      m.id !== sourceId &&
      !m.deprecated &&
      isServedByProvider(m.id) &&
      modelKind(m.id) === kind &&
      (!needsReasoning || isReasoningModel(m.id)) &&
      (source?.context_window === undefined ||
        m.context_window === undefined ||
        m.context_window >= source.context_window),
  );
  const refs = models.map((m) => ({ provider: from.provider, model: m.id }));
  const priced = repriceWorkload(mix, { to: [from, ...refs], priceBook: book, at });
  const own = priced.results[0]!;
  if (!own.priced) return [];
  return priced.results
    .slice(1)
    .flatMap((r) => (r.priced && r.costUsd < own.costUsd ? [{ ref: r.target, cost: r.costUsd }] : []))
    .sort((a, b) => a.cost - b.cost || a.ref.model.localeCompare(b.ref.model))
    .slice(0, options.limit ?? 3)
    .map((c) => c.ref);
}
