/**
 * How many tokens a model can take in and give out, for bounding a request that sets no output
 * cap or whose prompt cannot be sized.
 *
 * Context windows come from the bundled price catalog (`context_window`). Maximum output is not
 * in the catalog, so the table below carries the providers' published caps for the families in
 * use; a model in neither falls back to its context window (output can never exceed it), and a
 * model with no known context window to `UNKNOWN_CONTEXT_WINDOW` — the largest window offered
 * today (Gemini 1.5 Pro, 2M tokens).
 */

import { findCatalogModel } from '../../pricing/catalog.js';
import type { PriceEntry } from '../../types.js';

export const UNKNOWN_CONTEXT_WINDOW = 2_000_000;

/** Published maximum output tokens, by model-name prefix; the first match wins (specific first). */
const MAX_OUTPUT: ReadonlyArray<[RegExp, number]> = [
  [/^gpt-4o-mini/, 16_384],
  [/^(gpt-4o|chatgpt-4o)/, 16_384],
  [/^gpt-4\.1/, 32_768],
  [/^gpt-4\.5/, 16_384],
  [/^gpt-4-turbo/, 4_096],
  [/^gpt-4(-|$)/, 8_192],
  [/^gpt-3\.5/, 4_096],
  [/^gpt-5/, 128_000],
  [/^(o1|o3|o4)/, 100_000],
  [/^claude-(opus-4|4-opus)/, 32_000],
  [/^claude-(sonnet-4|4-sonnet|3-7-sonnet)/, 64_000],
  [/^claude-(haiku-4|4-haiku)/, 64_000],
  [/^claude-3-5/, 8_192],
  [/^claude-3/, 4_096],
  [/^gemini-(2\.5|3)/, 65_536],
  [/^gemini-(2\.0|1\.5)/, 8_192],
];

/** The model's context window: from the catalog entry that priced it, else the fallback. */
export function contextWindow(entry: PriceEntry | undefined): number {
  if (entry === undefined || entry.source !== 'genai-prices') return UNKNOWN_CONTEXT_WINDOW;
  const found = findCatalogModel(entry.provider, entry.model.toLowerCase());
  const window = found?.model.context_window;
  return typeof window === 'number' && window > 0 ? window : UNKNOWN_CONTEXT_WINDOW;
}

/** The most output tokens one response of `model` can carry. */
export function maxOutputTokens(model: string, entry: PriceEntry | undefined): number {
  const names = [model.toLowerCase().replace(/^(models\/|ft:)/, '')];
  if (entry !== undefined) names.push(entry.model.toLowerCase());
  for (const name of names) {
    for (const [pattern, cap] of MAX_OUTPUT) if (pattern.test(name)) return cap;
  }
  return contextWindow(entry);
}
