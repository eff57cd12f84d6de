/**
 * Corrections: a dated, sourced layer on top of the bundled catalog for prices it has wrong or
 * lacks (found by the 2026-12-01 price audit). Each entry names its sources and the date they
 * were checked, and has a test asserting the bundled catalog still disagrees — when an upstream
 * release agrees, that test fails and the entry is deleted.
 *
 * Two kinds:
 * - a patch replaces the prices of one catalog model (its name matching stays the catalog's);
 * - an addition prices names the catalog lacks, looked up before the catalog.
 * Overrides from config still win over both.
 *
 * Left out on purpose (see README "Corrections"):
 * - `grok-4-fast` long context: xAI's model page lists one flat price ($0.20 / $0.50, cached
 *   $0.05) with no long-context tier, so the audit's under-count could not be confirmed;
 * - `gemini-*-latest` aliases: Google moves their target without notice, so they stay unpriced
 *   with a message saying to alias them to the model they point at (resolve.ts);
 * - Bedrock regional Sonnet 4.5 long context (no published figure found).
 */
import type { ModelPrice } from '@pydantic/genai-prices';
import type { ScheduledPrice, VariantCondition } from './rates.js';

export interface PriceCorrection {
  /** Catalog provider id. */
  provider: string;
  /** Model id shown in price entries (for a patch: the catalog model it replaces). */
  model: string;
  kind: 'patch' | 'addition';
  /** Addition: exact names (lower-case) it prices. */
  names?: readonly string[];
  /** Addition: any name ending with this (OpenRouter `:free`). */
  suffix?: string;
  /**
   * Addition: any name starting with one of these — only for a provider's documented naming
   * format, never a guess (OpenAI fine-tunes are `ft:<base snapshot>:<org>:<suffix>:<id>`).
   */
  prefixes?: readonly string[];
  prices: readonly ScheduledPrice[];
  sources: readonly string[];
  /** When the sources were read (YYYY-MM-DD). */
  checked: string;
  why: string;
}

const ALWAYS: VariantCondition = { kind: 'always' };
const WEEKDAYS = [1, 2, 3, 4, 5] as const;

function when(o: {
  from?: string;
  until?: string;
  weekdays?: boolean;
  window?: [string, string];
}): VariantCondition {
  return {
    kind: 'scheduled',
    fromMs: o.from === undefined ? Number.NEGATIVE_INFINITY : Date.parse(o.from),
    untilMs: o.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(o.until),
    days: o.weekdays ? WEEKDAYS : null,
    window: o.window ? { startSecond: second(o.window[0]), endSecond: second(o.window[1]) } : null,
  };
}

function second(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 3600 + m! * 60;
}

const rates = (input: number, cacheRead: number, output: number): ModelPrice => ({
  input_mtok: input,
  cache_read_mtok: cacheRead,
  output_mtok: output,
});

/**
 * DeepSeek's current billing: off-peak all day, peak 01:00–04:00 and 06:00–10:00 UTC on weekdays
 * (Beijing 09:00–12:00 and 14:00–18:00, Monday–Friday); weekends are off-peak. Chinese public
 * holidays are also off-peak but are not modelled (calls on them are over-counted 2× at peak hours).
 */
function deepSeekPeaks(from: string | undefined, offPeak: ModelPrice, peak: ModelPrice): ScheduledPrice[] {
  return [
    { when: when({ from }), prices: offPeak },
    { when: when({ from, weekdays: true, window: ['01:00', '04:00'] }), prices: peak },
    { when: when({ from, weekdays: true, window: ['06:00', '10:00'] }), prices: peak },
  ];
}

const DEEPSEEK_PRICING = 'https://api-docs.deepseek.com/quick_start/pricing';
const DEEPSEEK_PRICING_0813 =
  'https://api-docs.deepseek.com/quick_start/pricing?model_version=DeepSeek-V4-Pro-0813';
/** Peak/off-peak billing with the V4 price list from 16:00 UTC, 16 Aug 2026 (DeepSeek pricing page). */
const V4_PEAK_START = '2026-08-16T16:00:00Z';
/** deepseek-flash prices (USD/MTok): off-peak is half of peak. */
const FLASH_OFF_PEAK = rates(0.15, 0.003, 0.6);
const FLASH_PEAK = rates(0.3, 0.006, 1.2);
/** V4-Flash before the peak/off-peak change (page version DeepSeek-V4-Flash-0731). */
const V4_FLASH_LAUNCH = rates(0.14, 0.0028, 0.28);

/** Anthropic's long-context premium: prompts over 200K tokens bill every token at 2× input, 1.5× output. */
const sonnet4LongContext = (withOneHourWrites: boolean): ScheduledPrice[] => [
  {
    when: ALWAYS,
    prices: {
      input_mtok: { base: 3, tiers: [{ start: 200_000, price: 6 }] },
      cache_write_mtok: { base: 3.75, tiers: [{ start: 200_000, price: 7.5 }] },
      cache_read_mtok: { base: 0.3, tiers: [{ start: 200_000, price: 0.6 }] },
      output_mtok: { base: 15, tiers: [{ start: 200_000, price: 22.5 }] },
      ...(withOneHourWrites
        ? { cache_write_1h_mtok: { base: 6, tiers: [{ start: 200_000, price: 12 }] } }
        : {}),
    } as ModelPrice,
  },
];
const SONNET_4_LONG_CONTEXT_SOURCES = [
  'https://eonsr.com/en/claude-sonnet-4-1m-context-pricing-switch',
  'https://news.omeganext.com/en/article/2025-08-12-claude-sonnet-4-reaches-1-million-token-context-window',
];

const CHECKED = '2026-12-04';

const OPENAI_FINE_TUNING = 'https://platform.openai.com/docs/pricing (Fine-tuning)';
/** Mistral Small 4 (`mistral-small-2603`) became available on the Mistral API on 2026-03-16. */
const MISTRAL_SMALL_4_LAUNCH = '2026-03-16T00:00:00Z';

export const PRICE_CORRECTIONS: readonly PriceCorrection[] = Object.freeze([
  {
    provider: 'deepseek',
    model: 'deepseek-flash',
    kind: 'addition',
    names: ['deepseek-flash'],
    prices: deepSeekPeaks(undefined, FLASH_OFF_PEAK, FLASH_PEAK),
    sources: [DEEPSEEK_PRICING],
    checked: CHECKED,
    why: 'current DeepSeek model, missing from the catalog',
  },
  {
    provider: 'deepseek',
    model: 'deepseek-v4-flash',
    kind: 'patch',
    prices: [
      { when: ALWAYS, prices: V4_FLASH_LAUNCH },
      ...deepSeekPeaks(V4_PEAK_START, rates(0.22, 0.007, 0.66), rates(0.44, 0.014, 1.32)),
      // Legacy name, now served by V4.1-Flash "and billed at Flash price" (first seen 2026-10-27).
      ...deepSeekPeaks('2026-10-27T00:00:00Z', FLASH_OFF_PEAK, FLASH_PEAK),
    ],
    sources: [DEEPSEEK_PRICING, DEEPSEEK_PRICING_0813],
    checked: CHECKED,
    why: 'weekend off-peak missing; legacy name now billed at deepseek-flash prices',
  },
  {
    provider: 'deepseek',
    model: 'deepseek-v4-flash',
    kind: 'addition',
    names: ['deepseek-v4-flash-vision-exp'],
    prices: deepSeekPeaks('2026-10-27T00:00:00Z', FLASH_OFF_PEAK, FLASH_PEAK),
    sources: [DEEPSEEK_PRICING],
    checked: CHECKED,
    why: 'legacy name billed at deepseek-flash prices; the catalog prices it only by a starts_with rule',
  },
  {
    provider: 'deepseek',
    model: 'deepseek-v4-pro',
    kind: 'patch',
    prices: [
      { when: ALWAYS, prices: rates(0.435, 0.003625, 0.87) },
      ...deepSeekPeaks(V4_PEAK_START, rates(0.66, 0.022, 1.98), rates(1.32, 0.044, 3.96)),
    ],
    sources: [DEEPSEEK_PRICING, DEEPSEEK_PRICING_0813],
    checked: CHECKED,
    why: 'the catalog bills peak hours on weekends too (weekends are off-peak)',
  },
  ...(['deepseek-chat', 'deepseek-reasoner'] as const).map(
    (model): PriceCorrection => ({
      provider: 'deepseek',
      model,
      kind: 'patch',
      prices: [
        // 2025 V3/R1 prices with the 16:30–00:30 UTC night discount, as the catalog has them…
        { when: ALWAYS, prices: rates(0.135, 0.035, 0.55) },
        {
          when: when({ until: '2025-09-05T16:00:00Z', window: ['00:30', '16:30'] }),
          prices: model === 'deepseek-chat' ? rates(0.27, 0.07, 1.1) : rates(0.55, 0.14, 2.19),
        },
        // …until 16:00 UTC, 5 Sep 2025: one price, night discount cancelled.
        { when: when({ from: '2025-09-05T16:00:00Z' }), prices: rates(0.56, 0.07, 1.68) },
        // From the V4 launch both names route to V4-Flash (retired after 2026-07-24 15:59 UTC).
        { when: when({ from: '2026-04-24T00:00:00Z' }), prices: V4_FLASH_LAUNCH },
      ],
      sources: [
        'https://api-docs.deepseek.com/quick_start/pricing (Sept 5th, 2025 price list)',
        'https://developersdigest.tech/blog/deepseek-chat-to-v4-migration-guide',
      ],
      checked: CHECKED,
      why: 'catalog keeps the 2025 V3/R1 prices and the night discount cancelled on 2025-09-05',
    }),
  ),
  ...(
    [
      ['anthropic', 'claude-sonnet-4-0', true],
      ['google', 'claude-4-sonnet', false],
      ['aws', 'global.anthropic.claude-sonnet-4-20250514-v1:0', false],
      ['aws', 'regional.anthropic.claude-sonnet-4-20250514-v1:0', false],
      ['aws', 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', false],
    ] as const
  ).map(
    ([provider, model, oneHour]): PriceCorrection => ({
      provider,
      model,
      kind: 'patch',
      prices: sonnet4LongContext(oneHour),
      sources: SONNET_4_LONG_CONTEXT_SOURCES,
      checked: CHECKED,
      why: 'no long-context tier: prompts over 200K tokens under-counted (Anthropic, Bedrock, Vertex)',
    }),
  ),
  {
    provider: 'x-ai',
    model: 'grok-4-0709',
    kind: 'patch',
    prices: [
      {
        when: ALWAYS,
        prices: {
          input_mtok: { base: 3, tiers: [{ start: 128_000, price: 6 }] },
          cache_read_mtok: 0.75,
          output_mtok: { base: 15, tiers: [{ start: 128_000, price: 30 }] },
        } as ModelPrice,
      },
    ],
    sources: ['https://wavespeed.ai/zh-CN/llm/x-ai/grok-4 (input 128K $3 / >128K $6, output $15 / $30)'],
    checked: CHECKED,
    why: 'no long-context tier: prompts over 128K tokens under-counted 2×',
  },
  {
    provider: 'mistral',
    model: 'devstral-medium-2507',
    kind: 'addition',
    names: ['devstral-medium-2507'],
    prices: [{ when: ALWAYS, prices: { input_mtok: 0.4, output_mtok: 2 } }],
    sources: ['https://wavespeed.ai/zh-CN/llm/mistralai/devstral-medium ($0.40 / $2.00)'],
    checked: CHECKED,
    why: 'unpriced in the catalog (retired by Mistral on 2026-05-31; priced for past usage)',
  },
  {
    provider: 'mistral',
    model: 'mistral-large-latest',
    kind: 'addition',
    names: ['mistral-large-latest'],
    prices: [{ when: ALWAYS, prices: { input_mtok: 0.5, output_mtok: 1.5 } }],
    sources: [
      "the bundled catalog's own mistral-large-2512 (Mistral Large 3) entry: $0.50 / $1.50",
      'https://modeldex.io/models/mistral-large (current Mistral Large: $0.50 / $1.50)',
      'https://www.anttisahla.com/ai/models/mistral-large-3 (Mistral Large 3: $0.5 / $1.5 per 1M)',
    ],
    checked: CHECKED,
    why: 'the catalog matches the alias to Mistral Large 2 ($2 / $6), 4× the price of its target Mistral Large 3',
  },
  ...(
    [
      // [base snapshot, input, cached input, output] USD/MTok for the fine-tuned model's inference
      ['gpt-4.1-2025-04-14', 3, 0.75, 12],
      ['gpt-4.1-mini-2025-04-14', 0.8, 0.2, 3.2],
      ['gpt-4.1-nano-2025-04-14', 0.2, 0.05, 0.8],
      ['o4-mini-2025-04-16', 4, 1, 16],
    ] as const
  ).map(
    ([base, input, cached, output]): PriceCorrection => ({
      provider: 'openai',
      model: `ft:${base}`,
      kind: 'addition',
      prefixes: [`ft:${base}:`],
      prices: [{ when: ALWAYS, prices: rates(input, cached, output) }],
      sources: [
        OPENAI_FINE_TUNING,
        base.startsWith('o4-mini')
          ? 'https://modelpedia.dev/openai/o4-mini-2025-04-16 (fine-tuning: $4 input, $1 cached, $16 output)'
          : 'https://www.oreateai.com/blog/decoding-the-mini-in-ai-understanding-gpt41-mini-pricing (fine-tuned GPT-4.1 $3.00 / $0.75 / $12.00; mini $0.80 / $0.20 / $3.20)',
      ],
      checked: CHECKED,
      why: `fine-tunes of ${base} are unpriced in the catalog (fine-tuned inference costs more than the base model)`,
    }),
  ),
  ...(['mistral-small-2503', 'mistral-small-2506'] as const).map(
    (model): PriceCorrection => ({
      provider: 'mistral',
      model,
      kind: 'addition',
      names: [model],
      prices: [{ when: ALWAYS, prices: { input_mtok: 0.1, output_mtok: 0.3 } }],
      sources: [
        'https://modelcompare.dev/zh-hans/models/mistral/small-2506 (Mistral Small 3.2: $0.100 / $0.300)',
        'https://anttisahla.com/ai/models/mistral-small-3-2 (published Mistral API pricing: $0.10 / $0.30)',
        'https://modelcompare.dev/models/mistral/small-2503 (Mistral Small 3.1: same per-scenario costs as 3.2)',
        'https://shadabchow.com/blogs/ai-models/085_mistral-small-3-1 (Mistral Small 3.1: $0.10 / $0.30)',
      ],
      checked: CHECKED,
      why: `${model === 'mistral-small-2503' ? 'Mistral Small 3.1' : 'Mistral Small 3.2'} unpriced in the catalog (four pages agree on $0.10 / $0.30; devtk.ai lists 3.1 at $0.20 / $0.60)`,
    }),
  ),
  {
    provider: 'mistral',
    model: 'mistral-small-latest',
    kind: 'patch',
    prices: [
      { when: ALWAYS, prices: { input_mtok: 0.1, output_mtok: 0.3 } },
      { when: when({ from: MISTRAL_SMALL_4_LAUNCH }), prices: { input_mtok: 0.15, output_mtok: 0.6 } },
    ],
    sources: [
      "the bundled catalog's own mistral-small-2603 (Mistral Small 4) entry: $0.15 / $0.60",
      'https://whichllm.io/models/merge-gateway-mistral--mistral-small-latest (mistral-small-latest: $0.15 / $0.60, release 2026-03-16)',
      'https://benchable.ai/models/mistralai/mistral-small-2603 (Mistral Small 4 released 2026-03-16, $0.15 / $0.60)',
    ],
    checked: CHECKED,
    why: 'the alias moved to Mistral Small 4 on 2026-03-16; the catalog keeps Small 3.2 prices ($0.10 / $0.30), under-counting 1.5–2×',
  },
  {
    provider: 'openrouter',
    model: ':free',
    kind: 'addition',
    suffix: ':free',
    prices: [{ when: ALWAYS, prices: rates(0, 0, 0) }],
    sources: ['https://openrouter.ai/models/google/gemma-3-1b-it:free ($0/M input, $0/M output)'],
    checked: CHECKED,
    why: 'OpenRouter :free variants cost $0; the catalog lists some with no price, so they were unpriced',
  },
] satisfies PriceCorrection[]);

const patches = new Map<string, PriceCorrection>();
const additions = new Map<string, PriceCorrection>();
const suffixes: PriceCorrection[] = [];
const prefixes: Array<{ provider: string; prefix: string; correction: PriceCorrection }> = [];
for (const correction of PRICE_CORRECTIONS) {
  if (correction.kind === 'patch') patches.set(`${correction.provider}\u0000${correction.model}`, correction);
  for (const name of correction.names ?? []) additions.set(`${correction.provider}\u0000${name}`, correction);
  if (correction.suffix !== undefined) suffixes.push(correction);
  for (const prefix of correction.prefixes ?? [])
    prefixes.push({ provider: correction.provider, prefix, correction });
}
// Longest prefix first, so a more specific base snapshot wins.
prefixes.sort((a, b) => b.prefix.length - a.prefix.length);

/** The patch replacing a catalog model's prices, if any. */
export function patchFor(catalogProviderId: string, catalogModelId: string): PriceCorrection | undefined {
  return patches.get(`${catalogProviderId}\u0000${catalogModelId}`);
}

/**
 * An addition pricing `name` (normalized) for a catalog provider, if any, and how it matched:
 * `exact` for a listed name or a suffix rule (`:free`), `alias` for a documented name format
 * (a fine-tune of a listed base snapshot).
 */
export function additionFor(
  catalogProviderId: string,
  name: string,
): { correction: PriceCorrection; matchedBy: 'exact' | 'alias' } | undefined {
  const exact = additions.get(`${catalogProviderId}\u0000${name}`);
  if (exact) return { correction: exact, matchedBy: 'exact' };
  const byPrefix = prefixes.find((p) => p.provider === catalogProviderId && name.startsWith(p.prefix));
  if (byPrefix) return { correction: byPrefix.correction, matchedBy: 'alias' };
  const bySuffix = suffixes.find((c) => c.provider === catalogProviderId && name.endsWith(c.suffix!));
  return bySuffix ? { correction: bySuffix, matchedBy: 'exact' } : undefined;
}
