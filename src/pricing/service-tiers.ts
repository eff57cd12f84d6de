/**
 * Service tiers: what a call costs when it ran at a tier other than the standard one (OpenAI
 * `service_tier` flex / priority / scale, Batch API; Anthropic priority / batch; Gemini batch).
 *
 * The catalog carries no tier prices, so this is a small dated table, one source per entry,
 * checked on the date given. Users add or replace entries with `prices.serviceTiers` (theirs are
 * consulted first). An entry either scales every bucket (`multiplier`, per-bucket exceptions in
 * `bucketMultipliers`) or gives the tier's published absolute rates for one model (`rates`, USD
 * per million tokens at the base context level); longer-context levels are then scaled by the
 * same ratio, because providers publish tier rates for the base level only.
 *
 * A tier with no entry for the model is priced at standard rates and flagged `approximate` (so
 * counted and warned, unpriced under strictPricing): never silently.
 */
import type { ServiceTierRate } from '../types.js';

/** Tier names that mean "the standard rate". */
const STANDARD_TIERS = new Set([
  '',
  'default',
  'standard',
  'auto',
  'on_demand',
  'standard_only',
  'unspecified',
]);

/** Lower-cased tier, or null for the standard tier (including absent). */
export function normalizeTier(tier: unknown): string | null {
  if (typeof tier !== 'string') return null;
  const t = tier.trim().toLowerCase();
  return STANDARD_TIERS.has(t) ? null : t;
}

const OPENAI_PRIORITY = 'https://openai.com/api-priority-processing/';
const OPENAI_FLEX = 'https://developers.openai.com/api/docs/guides/flex-processing';
const OPENAI_BATCH = 'https://dev.classmethod.jp/en/articles/openai-flex-processing/';
const ANTHROPIC_BATCH = 'https://platform.claude.com/docs/build-with-claude/batch-processing';
const GEMINI_BATCH = 'https://developers.googleblog.com/scale-your-ai-workloads-batch-mode-gemini-api';
const VERTEX_BATCH =
  'https://docs.cloud.google.com/vertex-ai/generative-ai/docs/multimodal/batch-prediction-gemini';
const CHECKED = '2026-12-04';

/** OpenAI Priority processing, published per model (input, cached input, output; excludes long context). */
const priority = (model: string, input: number, cacheRead: number, output: number): ServiceTierRate => ({
  provider: 'openai',
  tier: 'priority',
  model,
  rates: { input, cacheRead, output },
  source: OPENAI_PRIORITY,
  checked: CHECKED,
});

export const BUILTIN_SERVICE_TIERS: readonly ServiceTierRate[] = Object.freeze([
  // Flex is "priced at Batch API rates"; the Batch API is half the standard price, caching discounts kept.
  { provider: 'openai', tier: 'flex', multiplier: 0.5, source: OPENAI_FLEX, checked: CHECKED },
  { provider: 'openai', tier: 'batch', multiplier: 0.5, source: OPENAI_BATCH, checked: CHECKED },
  priority('gpt-5.5', 12.5, 1.25, 75),
  priority('gpt-5.4', 5, 0.5, 30),
  priority('gpt-5.4-mini', 1.5, 0.15, 9),
  priority('gpt-5.2', 3.5, 0.35, 28),
  priority('gpt-5.1', 2.5, 0.25, 20),
  priority('gpt-5', 2.5, 0.25, 20),
  priority('gpt-5-mini', 0.45, 0.045, 3.6),
  priority('gpt-5.1-codex', 2.5, 0.25, 20),
  priority('gpt-5-codex', 2.5, 0.25, 20),
  priority('gpt-4.1', 3.5, 0.875, 14),
  // Message Batches: 50 % of standard on all usage, cache reads and writes included.
  { provider: 'anthropic', tier: 'batch', multiplier: 0.5, source: ANTHROPIC_BATCH, checked: CHECKED },
  // Gemini API batch mode: 50 % of the standard rate.
  { provider: 'gcp.gemini', tier: 'batch', multiplier: 0.5, source: GEMINI_BATCH, checked: CHECKED },
  // Vertex AI batch inference: 50 %, but "the discounts for cache and batch don't stack": cached
  // tokens keep the cache rate.
  {
    provider: 'gcp.vertex_ai',
    tier: 'batch',
    multiplier: 0.5,
    bucketMultipliers: { cacheRead: 1 },
    source: VERTEX_BATCH,
    checked: CHECKED,
  },
] satisfies ServiceTierRate[]);

/**
 * Tier entries indexed for lookup: `provider|tier|model` (model `*` for provider-wide entries).
 * Providers are matched by our name and by catalog id, as overrides are.
 */
export class ServiceTierTable {
  readonly #entries = new Map<string, ServiceTierRate>();

  /** Earlier entries win: pass the user's first, then the built-in ones. */
  constructor(entries: readonly ServiceTierRate[]) {
    for (const entry of entries) {
      const key = tierKey(entry.provider, entry.tier, entry.model ?? '*');
      if (!this.#entries.has(key)) this.#entries.set(key, entry);
    }
  }

  /** The entry for a call at `tier` (normalized) priced by catalog/override `model`. */
  find(providerKeys: readonly string[], tier: string, model: string): ServiceTierRate | undefined {
    for (const provider of providerKeys) {
      const hit = this.#entries.get(tierKey(provider, tier, model.toLowerCase()));
      if (hit) return hit;
    }
    for (const provider of providerKeys) {
      const hit = this.#entries.get(tierKey(provider, tier, '*'));
      if (hit) return hit;
    }
    return undefined;
  }
}

function tierKey(provider: string, tier: string, model: string): string {
  return `${provider.trim().toLowerCase()}\u0000${tier.trim().toLowerCase()}\u0000${model.toLowerCase()}`;
}
