/**
 * Deterministic model resolution, done once per (provider, model) and cached.
 *
 * Order (first hit wins):
 * 1. naming override (custom price or `aliasOf`) for the name as sent, then for the name with its
 *    dated-snapshot suffix stripped — config beats bundled data, and an override for `gpt-4o`
 *    also covers `gpt-4o-2024-08-06`;
 * 2. catalog, name as sent (`exact`; the catalog's own match rules, which list many snapshots);
 * 3. catalog, snapshot suffix stripped (`snapshot`);
 * 4. catalog, model id taken out of a resource path — Bedrock ARN, Google `models/…` (`alias`);
 * 5. a catalog rule that accepts the name only approximately (`claude-sonnet-5-5` by
 *    `starts_with: claude-sonnet-5`): priced as that sibling and flagged `approximate`, or
 *    unknown under `strictPricing`;
 * 6. otherwise unknown, with up to three closest known names for the message.
 * Steps 2–4 take only exact or snapshot fits (see `RuleFit`); an approximate fit found on the way
 * is kept for step 5.
 * Multiplier-only overrides are discounts: they attach to whatever the steps above found, looked
 * up by the name as sent, the stripped name, the catalog model id, then `*`.
 */
import type { PriceOverride } from '../types.js';
import {
  type CatalogMatch,
  catalogModelIds,
  catalogProviderId,
  findCatalogModel,
  LOCAL_RUNTIMES,
} from './catalog.js';
import { additionFor, type PriceCorrection, patchFor } from './corrections.js';
import { MAX_ALIAS_HOPS } from './limits.js';
import { closestNames, normalizeModelName, resourceBaseName, stripSnapshotSuffix } from './model-names.js';

export type MatchedBy = 'exact' | 'snapshot' | 'alias' | 'override' | 'approximate';

export type ModelResolution =
  | {
      kind: 'catalog';
      match: CatalogMatch;
      matchedBy: MatchedBy;
      /** Product of every multiplier on the way (alias entries, discounts); 1 when none. */
      multiplier: number;
    }
  | {
      /** Priced by our corrections layer (a patch of a catalog model, or an addition). */
      kind: 'correction';
      /** Catalog provider id. */
      provider: string;
      correction: PriceCorrection;
      matchedBy: MatchedBy;
      /** The catalog rule, for an approximate match. */
      rule?: string;
      multiplier: number;
    }
  | {
      kind: 'custom';
      /** Provider and model as written in the override (`*` replaced by the caller's provider). */
      provider: string;
      model: string;
      override: PriceOverride;
      matchedBy: MatchedBy;
      multiplier: number;
    }
  | { kind: 'unknown'; message: string; candidates: string[] };

const ANY = '*';

export class ModelResolver {
  /** provider → model → resolution; nested so the hot path builds no key string. */
  readonly #cache = new Map<string, Map<string, ModelResolution>>();
  /** provider key (lower-cased, or `*`) → model name (normalized) → override. */
  readonly #naming = new Map<string, Map<string, PriceOverride>>();
  readonly #discounts = new Map<string, Map<string, number>>();

  readonly #strict: boolean;
  readonly #localRuntimesFree: boolean;

  /**
   * `overrides` must already be validated (see `validatePriceOverrides`). `strict`: approximate
   * catalog matches resolve as unknown. `localRuntimesFree`: `ollama`/`vllm` calls cost $0.
   */
  constructor(
    overrides: readonly PriceOverride[] = [],
    options: { strict?: boolean; localRuntimesFree?: boolean } = {},
  ) {
    this.#strict = options.strict ?? false;
    this.#localRuntimesFree = options.localRuntimesFree ?? false;
    for (const override of overrides) {
      const isDiscount = override.aliasOf === undefined && override.inputPerMTok === undefined;
      const providerKey = override.provider === ANY ? ANY : override.provider.trim().toLowerCase();
      const model = override.model === ANY ? ANY : normalizeModelName(override.model);
      if (isDiscount) indexed(this.#discounts, providerKey).set(model, override.multiplier ?? 1);
      else indexed(this.#naming, providerKey).set(model, override);
    }
  }

  /**
   * Resolve without touching the cache and without the closest-name search: for callers that
   * have already cached as many unknown names as they are willing to hold.
   */
  resolveTransient(provider: string, model: string): ModelResolution {
    this.#skipCandidates = true;
    try {
      return this.#resolveUncached(provider, model);
    } finally {
      this.#skipCandidates = false;
    }
  }

  #skipCandidates = false;

  /** Forget every cached resolution (the catalog data changed). */
  clear(): void {
    this.#cache.clear();
  }

  resolve(provider: string, model: string): ModelResolution {
    let byModel = this.#cache.get(provider);
    if (!byModel) {
      byModel = new Map();
      this.#cache.set(provider, byModel);
    }
    let resolution = byModel.get(model);
    if (!resolution) {
      resolution = this.#resolveUncached(provider, model);
      byModel.set(model, resolution);
    }
    return resolution;
  }

  /**
   * Follows alias overrides iteratively (no recursion, whatever the chain's length): at most
   * MAX_ALIAS_HOPS hops, a revisited entry is a cycle. Multipliers along the way multiply.
   */
  #resolveUncached(provider: string, model: string): ModelResolution {
    const trail: string[] = [];
    let multiplier = 1;
    let currentProvider = provider;
    let currentModel = model;
    let aliasName = model;
    for (;;) {
      const step = this.#resolveStep(currentProvider, currentModel);
      if (step.kind !== 'alias') {
        if (trail.length === 0) return step;
        if (step.kind === 'unknown') {
          return {
            kind: 'unknown',
            message: `"${aliasName}" is an alias of unknown model "${currentModel}" (provider "${currentProvider}"): ${step.message}`,
            candidates: step.candidates,
          };
        }
        return { ...step, matchedBy: 'alias', multiplier: step.multiplier * multiplier };
      }
      const { override, ownProvider } = step;
      // Every alias hop passes through an override, so revisiting one is exactly a cycle.
      const hop = `${ownProvider}/${override.model}`.toLowerCase();
      if (trail.includes(hop)) {
        return {
          kind: 'unknown',
          message: `aliasOf forms a cycle: ${[...trail, hop].join(' → ')}`,
          candidates: [],
        };
      }
      trail.push(hop);
      if (trail.length > MAX_ALIAS_HOPS) {
        return {
          kind: 'unknown',
          message: `alias chain longer than ${MAX_ALIAS_HOPS} hops (${trail[0]} → … → ${hop}); point the alias at a priced model directly`,
          candidates: [],
        };
      }
      multiplier *= override.multiplier ?? 1;
      aliasName = currentModel;
      currentProvider = override.aliasOf!.provider ?? ownProvider;
      currentModel = override.aliasOf!.model;
    }
  }

  /** One resolution step: a final resolution, or the alias override to follow. */
  #resolveStep(
    provider: string,
    model: string,
  ): ModelResolution | { kind: 'alias'; override: PriceOverride; ownProvider: string } {
    const name = normalizeModelName(model);
    const stripped = stripSnapshotSuffix(name);
    const catalogId = catalogProviderId(provider);
    const providerKeys = providerKeysFor(provider, catalogId);

    const override =
      this.#lookup(this.#naming, providerKeys, name) ??
      (stripped === null ? undefined : this.#lookup(this.#naming, providerKeys, stripped));
    if (override) {
      const ownProvider = override.provider === ANY ? provider : override.provider;
      if (override.aliasOf) return { kind: 'alias', override, ownProvider };
      return {
        kind: 'custom',
        provider: ownProvider,
        model: override.model,
        override,
        matchedBy: 'override',
        multiplier: override.multiplier ?? 1,
      };
    }

    const runtime = provider.trim().toLowerCase();
    if (LOCAL_RUNTIMES.has(runtime)) {
      if (!this.#localRuntimesFree) {
        return {
          kind: 'unknown',
          message: `provider "${provider}" is a local runtime with no price of its own. Set prices.localRuntimesFree: true (env LLM_COST_LOCAL_RUNTIMES_FREE=true) to price its calls at $0, or add a price override (inputPerMTok/outputPerMTok) for what they cost you.`,
          candidates: [],
        };
      }
      return {
        kind: 'custom',
        provider: runtime,
        model,
        override: { provider: runtime, model, inputPerMTok: 0, outputPerMTok: 0 },
        matchedBy: 'override',
        multiplier: 1,
      };
    }
    const discountFor = (modelId: string): number =>
      this.#lookup(this.#discounts, providerKeys, name) ??
      (stripped === null ? undefined : this.#lookup(this.#discounts, providerKeys, stripped)) ??
      this.#lookup(this.#discounts, providerKeys, modelId) ??
      this.#lookup(this.#discounts, providerKeys, ANY) ??
      1;
    if (catalogId !== null) {
      const added =
        additionFor(catalogId, name) ?? (stripped === null ? undefined : additionFor(catalogId, stripped));
      if (added) {
        return {
          kind: 'correction',
          provider: catalogId,
          correction: added.correction,
          matchedBy: added.matchedBy,
          multiplier: discountFor(added.correction.model),
        };
      }
    }
    const found = catalogId === null ? null : findInCatalog(catalogId, name, stripped);
    if (found?.matchedBy === 'approximate' && this.#strict) {
      const { match } = found;
      return {
        kind: 'unknown',
        message: `no exact price for model "${model}" (provider "${provider}"): the catalog matches it only approximately (${match.rule} → ${match.providerId}/${match.model.id}), and strictPricing treats that as unpriced. Add a price override (aliasOf "${match.model.id}" to accept it, or inputPerMTok/outputPerMTok) to price it.`,
        candidates: [match.model.id],
      };
    }
    if (found) {
      const multiplier = discountFor(found.match.model.id);
      const patch = patchFor(found.match.providerId, found.match.model.id);
      if (patch) {
        return {
          kind: 'correction',
          provider: found.match.providerId,
          correction: patch,
          matchedBy: found.matchedBy,
          ...(found.matchedBy === 'approximate' ? { rule: found.match.rule } : {}),
          multiplier,
        };
      }
      return { kind: 'catalog', match: found.match, matchedBy: found.matchedBy, multiplier };
    }
    return this.#unknown(provider, model, stripped ?? name, catalogId, providerKeys);
  }

  #lookup<T>(
    index: Map<string, Map<string, T>>,
    providerKeys: readonly string[],
    name: string,
  ): T | undefined {
    for (const key of providerKeys) {
      const hit = index.get(key)?.get(name);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  #unknown(
    provider: string,
    model: string,
    name: string,
    catalogId: string | null,
    providerKeys: readonly string[],
  ): ModelResolution {
    const known = catalogId === null || this.#skipCandidates ? [] : catalogModelIds(catalogId);
    for (const key of providerKeys) {
      for (const overrideModel of this.#naming.get(key)?.keys() ?? []) known.push(overrideModel);
    }
    const candidates = this.#skipCandidates ? [] : closestNames(name, known);
    const where =
      catalogId === null
        ? `provider "${provider}" is not in the price catalog`
        : `no price for model "${model}" (provider "${provider}", catalog "${catalogId}")`;
    const hint = candidates.length > 0 ? `; closest known: ${candidates.join(', ')}` : '';
    // A `-latest` name the catalog lacks is a moving alias (Google's `gemini-flash-latest`): its
    // target changes without notice, so no fixed price is right for long; the user names it.
    const moving = /-latest$/.test(name)
      ? ` "${model}" is a moving alias whose target the provider changes without notice, so it has no fixed price here. Add a price override with aliasOf naming the model it points at today.`
      : '';
    return {
      kind: 'unknown',
      message: `${where}${hint}.${moving || ' Add a price override (aliasOf, or inputPerMTok/outputPerMTok) to price it.'}`,
      candidates,
    };
  }
}

function findInCatalog(
  catalogId: string,
  name: string,
  stripped: string | null,
): { match: CatalogMatch; matchedBy: MatchedBy } | null {
  let approximate: CatalogMatch | null = null;
  const fitted = (match: CatalogMatch | null): CatalogMatch | null => {
    if (match?.fit !== 'approximate') return match;
    approximate ??= match;
    return null;
  };
  const exact = fitted(findCatalogModel(catalogId, name));
  if (exact) return { match: exact, matchedBy: exact.fit === 'snapshot' ? 'snapshot' : 'exact' };
  const snapshot = stripped === null ? null : fitted(findCatalogModel(catalogId, stripped));
  if (snapshot) return { match: snapshot, matchedBy: 'snapshot' };
  const base = resourceBaseName(catalogId, name);
  if (base !== null) {
    const baseStripped = stripSnapshotSuffix(base);
    const aliased =
      fitted(findCatalogModel(catalogId, base)) ??
      (baseStripped === null ? null : fitted(findCatalogModel(catalogId, baseStripped)));
    if (aliased) return { match: aliased, matchedBy: 'alias' };
  }
  return approximate ? { match: approximate, matchedBy: 'approximate' } : null;
}

/** An override may name the provider as we do (`azure.ai.openai`), by catalog id (`azure`), or `*`. */
function providerKeysFor(provider: string, catalogId: string | null): string[] {
  const own = provider.trim().toLowerCase();
  const keys = [own];
  if (catalogId !== null && catalogId !== own) keys.push(catalogId);
  keys.push(ANY);
  return keys;
}

function indexed<T>(index: Map<string, Map<string, T>>, key: string): Map<string, T> {
  let inner = index.get(key);
  if (!inner) {
    inner = new Map();
    index.set(key, inner);
  }
  return inner;
}
