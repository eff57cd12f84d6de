/**
 * Prompt caching unused on large repeated prompts: many calls, large prompts, almost nothing read
 * from the cache, on a model whose provider prices cached input lower.
 */

import { pricesCacheReads, pricesCacheWrites } from '../model-traits.js';
import { promptTokens } from '../reprice.js';
import type { WorkloadRow } from '../workload.js';
import { baseRates, money, perMonth, type RuleContext, share, tokens } from './context.js';
import type { Recommendation } from './types.js';

/** Thresholds; change them here when your prompts or providers differ. */
export const CACHING_RULE = {
  /** Enough calls in the range that a prefix repeats (provider caches live ~5 minutes). */
  minCalls: 20,
  /** Prompt tokens per call from which caching pays (providers cache prefixes ≥ 1,024–4,096 tokens). */
  minPromptPerCall: 4096,
  /** Cache-read share of the prompt below which caching counts as unused. */
  maxCacheReadShare: 0.05,
  /** Assumed share of uncached input that is a stable prefix (system prompt, tools, examples). */
  cacheableShare: 0.5,
  /** Assumed cache writes per cached read (one write per ~10 calls within the cache lifetime). */
  writesPerRead: 0.1,
};

const HOW: Record<string, string> = {
  openai:
    'OpenAI caches prompt prefixes of 1,024+ tokens automatically: put the stable part (system prompt, tool definitions, examples) first and the per-call text last; set prompt_cache_key to keep similar calls on one cache',
  'gcp.gemini':
    'Gemini 2.5+ caches implicitly when calls share a prefix of 1,024+ (Flash) or 2,048+ (Pro) tokens: put the stable part first; for a large shared context, create an explicit cache (caches.create) and pass it as cachedContent',
  anthropic:
    "Anthropic caches only what you mark: add cache_control: { type: 'ephemeral' } to the last block of the stable prefix (system prompt or tools)",
};

export function cachingUnused(
  rows: readonly WorkloadRow[],
  query: string,
  ctx: RuleContext,
): Recommendation[] {
  const c = CACHING_RULE;
  const out: Recommendation[] = [];
  for (const row of rows) {
    const prompt = promptTokens(row.mix);
    if (row.requests < c.minCalls || prompt / row.requests < c.minPromptPerCall) continue;
    const readShare = row.mix.cache_read / prompt;
    if (readShare >= c.maxCacheReadShare) continue;
    const r = baseRates(ctx, row);
    if (!r || !pricesCacheReads(r)) continue;
    const cached = c.cacheableShare * row.mix.input;
    const premium = pricesCacheWrites(r)
      ? cached * c.writesPerRead * Math.max(0, r.cacheWrite5m - r.input)
      : 0;
    const saving = ((cached * (r.input - r.cacheRead) - premium) / 1e6) * perMonth(ctx);
    if (saving <= 0) continue;
    const agent = row.group.gen_ai_agent_name;
    out.push({
      rule: 'prompt-caching-unused',
      title: `Use prompt caching for ${agent ? `${agent} on ` : ''}${row.model}`,
      subject: { provider: row.provider, model: row.model, ...(agent ? { agent } : {}) },
      monthlySavingUsd: saving,
      why: `${tokens(row.requests)} calls averaged ${tokens(prompt / row.requests)} prompt tokens, but only ${share(readShare)} came from the cache; cached input costs $${r.cacheRead}/MTok instead of $${r.input}/MTok. Estimate: ${share(c.cacheableShare)} of the uncached input becomes cache reads${premium > 0 ? `, less the write premium on one write per ${Math.round(1 / c.writesPerRead)} reads` : ''}, scaled to 30 days.`,
      evidence: [
        {
          query,
          numbers: [
            { what: 'input tokens (uncached)', value: tokens(row.mix.input) },
            { what: 'cache-read tokens', value: tokens(row.mix.cache_read) },
            { what: 'cache-write tokens', value: tokens(row.mix.cache_write) },
            { what: 'calls', value: tokens(row.requests) },
            {
              what: `observed cost over ${ctx.range}`,
              value: row.costUsd === null ? 'incomplete' : money(row.costUsd),
            },
          ],
        },
      ],
      todo: [
        HOW[row.provider] ??
          'Keep the stable part of the prompt first and identical between calls, and enable the provider’s context caching',
        'Deploy, then watch the cache hit ratio on the Tokens & efficiency dashboard (cache_read share of input)',
        'Check llm_cache_savings_usd_total rises by about the estimated saving',
      ],
    });
  }
  return out;
}
