/**
 * The corrections layer, hand-computed from the published prices (USD per million tokens), and
 * one "upstream still disagrees" test per entry: when a genai-prices release agrees, that test
 * fails and the correction is deleted.
 *
 * DeepSeek (api-docs.deepseek.com/quick_start/pricing): deepseek-flash peak $0.30 in / $0.006
 * cache hit / $1.20 out, off-peak half; peak 01:00–04:00 and 06:00–10:00 UTC Monday–Friday.
 */
import { calcPrice, findProvider, type ModelInfo } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { PRICE_CORRECTIONS } from '../../src/pricing/corrections.js';
import { PriceBook } from '../../src/pricing/index.js';
import type { PriceCallInput } from '../../src/types.js';
import { expectPriced, type PricedResult } from './support.js';

const book = new PriceBook();
const usage = { inputTokens: 10_000, cacheReadTokens: 4_000, outputTokens: 1_000 };

const priced = (input: Partial<PriceCallInput> & { provider: string; model: string }): PricedResult =>
  expectPriced(book.price({ usage, ...input }));

// 2026-11-30 is a Monday, 2026-11-28 a Saturday.
const MONDAY_PEAK = Date.parse('2026-11-30T02:00:00Z');
const MONDAY_GAP = Date.parse('2026-11-30T05:00:00Z');
const MONDAY_SECOND_PEAK = Date.parse('2026-11-30T09:59:59Z');
const MONDAY_AFTER = Date.parse('2026-11-30T10:00:00Z');
const SATURDAY_PEAK_HOUR = Date.parse('2026-11-28T02:00:00Z');

describe('DeepSeek deepseek-flash: peak, off-peak and weekends', () => {
  // peak: 6000×0.30 + 4000×0.006 + 1000×1.20 = 1800 + 24 + 1200 = 3024 µ$
  // off-peak: half = 1512 µ$
  const cases: ReadonlyArray<[string, number, number]> = [
    ['weekday 02:00 UTC (peak)', MONDAY_PEAK, 0.003024],
    ['weekday 05:00 UTC (between the windows: off-peak)', MONDAY_GAP, 0.001512],
    ['weekday 09:59:59 UTC (peak)', MONDAY_SECOND_PEAK, 0.003024],
    ['weekday 10:00 UTC (window ends: off-peak)', MONDAY_AFTER, 0.001512],
    ['Saturday 02:00 UTC (weekend: off-peak)', SATURDAY_PEAK_HOUR, 0.001512],
  ];
  for (const [label, timestamp, expected] of cases) {
    it(label, () => {
      const result = priced({ provider: 'deepseek', model: 'deepseek-flash', timestamp });
      expect(result.costUsd).toBeCloseTo(expected, 15);
      expect(result.entry).toMatchObject({
        model: 'deepseek-flash',
        source: 'correction',
        matchedBy: 'exact',
      });
    });
  }

  it('legacy deepseek-v4-flash-vision-exp is billed at Flash prices', () => {
    const result = priced({
      provider: 'deepseek',
      model: 'deepseek-v4-flash-vision-exp',
      timestamp: MONDAY_PEAK,
    });
    expect(result.costUsd).toBeCloseTo(0.003024, 15);
  });
});

describe('DeepSeek V4 before and after the peak/off-peak change (16:00 UTC, 16 Aug 2026)', () => {
  it('deepseek-v4-pro on a Saturday at 02:00 UTC is off-peak: 6000×0.66 + 4000×0.022 + 1000×1.98', () => {
    // 3960 + 88 + 1980 = 6028 µ$ (the catalog bills peak: 12056 µ$)
    const result = priced({ provider: 'deepseek', model: 'deepseek-v4-pro', timestamp: SATURDAY_PEAK_HOUR });
    expect(result.costUsd).toBeCloseTo(0.006028, 15);
  });

  it('deepseek-v4-pro on a weekday at 02:00 UTC is peak: 6000×1.32 + 4000×0.044 + 1000×3.96', () => {
    // 7920 + 176 + 3960 = 12056 µ$
    const result = priced({ provider: 'deepseek', model: 'deepseek-v4-pro', timestamp: MONDAY_PEAK });
    expect(result.costUsd).toBeCloseTo(0.012056, 15);
  });

  it('deepseek-v4-pro before 16 Aug 2026 16:00 UTC: one price, 6000×0.435 + 4000×0.003625 + 1000×0.87', () => {
    // 2610 + 14.5 + 870 = 3494.5 µ$
    const result = priced({
      provider: 'deepseek',
      model: 'deepseek-v4-pro',
      timestamp: Date.parse('2026-08-16T15:59:59Z'),
    });
    expect(result.costUsd).toBeCloseTo(0.0034945, 15);
  });
});

describe('deepseek-chat / deepseek-reasoner through their price history', () => {
  it('2025-06-02 10:00 UTC (V3 standard window): 6000×0.27 + 4000×0.07 + 1000×1.10', () => {
    // 1620 + 280 + 1100 = 3000 µ$
    const r = priced({
      provider: 'deepseek',
      model: 'deepseek-chat',
      timestamp: Date.parse('2025-06-02T10:00:00Z'),
    });
    expect(r.costUsd).toBeCloseTo(0.003, 15);
  });

  it('2025-06-02 20:00 UTC (V3 night discount): 6000×0.135 + 4000×0.035 + 1000×0.55', () => {
    // 810 + 140 + 550 = 1500 µ$
    const r = priced({
      provider: 'deepseek',
      model: 'deepseek-chat',
      timestamp: Date.parse('2025-06-02T20:00:00Z'),
    });
    expect(r.costUsd).toBeCloseTo(0.0015, 15);
  });

  it('after 2025-09-05 16:00 UTC the night discount is gone: 6000×0.56 + 4000×0.07 + 1000×1.68', () => {
    // 3360 + 280 + 1680 = 5320 µ$ — at night too (the catalog still gives 1500 µ$ for chat)
    for (const model of ['deepseek-chat', 'deepseek-reasoner']) {
      const r = priced({ provider: 'deepseek', model, timestamp: Date.parse('2025-10-01T20:00:00Z') });
      expect(r.costUsd).toBeCloseTo(0.00532, 15);
    }
  });

  it('from the V4 launch (2026-04-24) both route to V4-Flash: 6000×0.14 + 4000×0.0028 + 1000×0.28', () => {
    // 840 + 11.2 + 280 = 1131.2 µ$
    const r = priced({
      provider: 'deepseek',
      model: 'deepseek-reasoner',
      timestamp: Date.parse('2026-05-04T10:00:00Z'),
    });
    expect(r.costUsd).toBeCloseTo(0.0011312, 15);
  });
});

describe('long-context tiers', () => {
  // Sonnet 4 over 200K prompt tokens: $6 in / $0.60 cache read / $22.50 out.
  const long = { inputTokens: 250_000, cacheReadTokens: 50_000, outputTokens: 2_000 };
  const atBoundary = { inputTokens: 200_000, outputTokens: 2_000 };
  for (const [provider, model] of [
    ['anthropic', 'claude-sonnet-4-20250514'],
    ['aws.bedrock', 'us.anthropic.claude-sonnet-4-20250514-v1:0'],
    ['aws.bedrock', 'global.anthropic.claude-sonnet-4-20250514-v1:0'],
    ['gcp.vertex_ai', 'claude-sonnet-4@20250514'],
  ] as const) {
    it(`${provider} ${model}: past 200K every token bills at the long-context rate`, () => {
      // 200000×6 + 50000×0.6 + 2000×22.5 = 1,200,000 + 30,000 + 45,000 = 1,275,000 µ$
      expect(priced({ provider, model, usage: long }).costUsd).toBeCloseTo(1.275, 12);
    });
    it(`${provider} ${model}: at exactly 200K the base rate applies`, () => {
      // 200000×3 + 2000×15 = 600,000 + 30,000 = 630,000 µ$
      expect(priced({ provider, model, usage: atBoundary }).costUsd).toBeCloseTo(0.63, 12);
    });
  }

  it('Bedrock global Sonnet 4.5 past 200K: 200000×6 + 50000×0.6 + 2000×22.5 = 1,275,000 µ$', () => {
    const r = priced({
      provider: 'aws.bedrock',
      model: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      usage: long,
    });
    expect(r.costUsd).toBeCloseTo(1.275, 12);
  });

  it('grok-4-0709 past 128K: 150000×6 + 2000×30 = 960,000 µ$; at 128K: 128000×3 + 2000×15 = 414,000 µ$', () => {
    const over = priced({
      provider: 'x_ai',
      model: 'grok-4-0709',
      usage: { inputTokens: 150_000, outputTokens: 2_000 },
    });
    expect(over.costUsd).toBeCloseTo(0.96, 12);
    const at = priced({
      provider: 'x_ai',
      model: 'grok-4-0709',
      usage: { inputTokens: 128_000, outputTokens: 2_000 },
    });
    expect(at.costUsd).toBeCloseTo(0.414, 12);
  });
});

describe('aliases the catalog resolves to the wrong model', () => {
  it('mistral-large-latest is Mistral Large 3: 10000×0.50 + 1000×1.50 = 6500 µ$ (Large 2 would be 26,000 µ$)', () => {
    const r = priced({
      provider: 'mistral_ai',
      model: 'mistral-large-latest',
      usage: { inputTokens: 10_000, outputTokens: 1_000 },
    });
    expect(r.costUsd).toBeCloseTo(0.0065, 15);
  });

  it('still needed: the bundled catalog matches mistral-large-latest to a model other than mistral-large-2512', () => {
    const upstream = calcPrice({ input_tokens: 1_000_000, output_tokens: 0 }, 'mistral-large-latest', {
      providerId: 'mistral',
    });
    expect(upstream?.model.id).not.toBe('mistral-large-2512');
  });
});

describe('models the catalog lacks or leaves unpriced', () => {
  it('devstral-medium-2507: 10000×0.40 + 1000×2 = 6000 µ$', () => {
    const r = priced({
      provider: 'mistral_ai',
      model: 'devstral-medium-2507',
      usage: { inputTokens: 10_000, outputTokens: 1_000 },
    });
    expect(r.costUsd).toBeCloseTo(0.006, 15);
  });

  it('free models are $0, priced explicitly (not unpriced)', () => {
    for (const [provider, model] of [
      ['openrouter', 'meta-llama/llama-3.3-70b-instruct:free'],
      ['openrouter', 'some-lab/brand-new-model:free'],
      ['gcp.gemini', 'gemma-3-27b-it'],
      ['gcp.gemini', 'gemma-4-31b-it'],
    ] as const) {
      const r = priced({ provider, model });
      expect(r.costUsd, `${provider} ${model}`).toBe(0);
      expect(r.entry.matchedBy, `${provider} ${model}`).not.toBe('approximate');
    }
  });
});

describe('fine-tuned OpenAI models (ft:<base snapshot>:<org>:<suffix>:<id>)', () => {
  // usage: 10,000 input of which 4,000 cached, 1,000 output → 6,000 uncached input.
  const cases: ReadonlyArray<[string, number, string]> = [
    // 6000×3 + 4000×0.75 + 1000×12 = 18000 + 3000 + 12000 = 33000 µ$
    ['ft:gpt-4.1-2025-04-14:acme::BxYz123', 0.033, 'ft:gpt-4.1-2025-04-14'],
    // 6000×0.80 + 4000×0.20 + 1000×3.20 = 4800 + 800 + 3200 = 8800 µ$
    ['ft:gpt-4.1-mini-2025-04-14:acme:support:Ab12', 0.0088, 'ft:gpt-4.1-mini-2025-04-14'],
    // 6000×0.20 + 4000×0.05 + 1000×0.80 = 1200 + 200 + 800 = 2200 µ$
    ['ft:gpt-4.1-nano-2025-04-14:acme::Q1', 0.0022, 'ft:gpt-4.1-nano-2025-04-14'],
    // 6000×4 + 4000×1 + 1000×16 = 24000 + 4000 + 16000 = 44000 µ$
    ['ft:o4-mini-2025-04-16:acme:grader:Zz9', 0.044, 'ft:o4-mini-2025-04-16'],
  ];
  for (const [model, expected, entry] of cases) {
    it(`${model} → ${entry}: ${expected * 1e6} µ$`, () => {
      const r = priced({ provider: 'openai', model });
      expect(r.costUsd).toBeCloseTo(expected, 15);
      expect(r.entry).toMatchObject({ model: entry, source: 'correction', matchedBy: 'alias' });
    });
  }

  it('the base snapshot itself keeps its catalog price: 6000×2 + 4000×0.5 + 1000×8 = 22000 µ$', () => {
    const r = priced({ provider: 'openai', model: 'gpt-4.1-2025-04-14' });
    expect(r.costUsd).toBeCloseTo(0.022, 15);
    expect(r.entry.source).not.toBe('correction');
  });

  it('a fine-tune of an unlisted base is unpriced, not priced as a sibling', () => {
    const r = book.price({ provider: 'openai', model: 'ft:gpt-4.1-2099-01-01:acme::x', usage });
    expect(r.priced).toBe(false);
  });
});

describe('Mistral Small 3.x snapshots and the mistral-small-latest alias', () => {
  const small = { inputTokens: 10_000, outputTokens: 1_000 };
  for (const model of ['mistral-small-2503', 'mistral-small-2506']) {
    it(`${model}: 10000×0.10 + 1000×0.30 = 1300 µ$`, () => {
      const r = priced({ provider: 'mistral_ai', model, usage: small });
      expect(r.costUsd).toBeCloseTo(0.0013, 15);
      expect(r.entry).toMatchObject({ model, matchedBy: 'exact' });
    });
  }

  it('mistral-small-latest before Small 4 (2026-03-15 23:59:59 UTC): 10000×0.10 + 1000×0.30 = 1300 µ$', () => {
    const timestamp = Date.parse('2026-03-15T23:59:59Z');
    const r = priced({ provider: 'mistral_ai', model: 'mistral-small-latest', usage: small, timestamp });
    expect(r.costUsd).toBeCloseTo(0.0013, 15);
  });

  it('mistral-small-latest from Small 4 (2026-03-16 00:00 UTC): 10000×0.15 + 1000×0.60 = 2100 µ$', () => {
    const timestamp = Date.parse('2026-03-16T00:00:00Z');
    const r = priced({ provider: 'mistral_ai', model: 'mistral-small-latest', usage: small, timestamp });
    expect(r.costUsd).toBeCloseTo(0.0021, 15);
  });

  it('still needed: the bundled catalog prices mistral-small-latest at Small 3.2 rates ($0.10 in)', () => {
    const upstream = calcPrice({ input_tokens: 1_000_000, output_tokens: 0 }, 'mistral-small-latest', {
      providerId: 'mistral',
    });
    expect(upstream?.total_price).toBeCloseTo(0.1, 12);
  });
});

describe('left uncorrected on purpose', () => {
  it('grok-4-fast has no long-context tier (xAI lists one flat price): 200000×0.20 + 2000×0.50 = 41000 µ$', () => {
    const r = priced({
      provider: 'xai',
      model: 'grok-4-fast',
      usage: { inputTokens: 200_000, outputTokens: 2_000 },
    });
    expect(r.costUsd).toBeCloseTo(0.041, 15);
  });

  for (const model of ['gemini-flash-latest', 'gemini-flash-lite-latest', 'gemini-pro-latest']) {
    it(`${model} is unpriced with a message saying it is a moving alias and how to price it`, () => {
      const r = book.price({ provider: 'gcp.gemini', model, usage });
      expect(r.priced).toBe(false);
      if (r.priced) return;
      expect(r.message).toContain('moving alias');
      expect(r.message).toContain('aliasOf');
    });
  }
});

/** The catalog model a correction patches, or null when the catalog has none by that id. */
function catalogModel(provider: string, id: string): ModelInfo | null {
  return findProvider({ providerId: provider })?.models.find((m) => m.id === id) ?? null;
}

describe('each correction is still needed (fails once the bundled catalog agrees: then delete it)', () => {
  for (const correction of PRICE_CORRECTIONS) {
    it(`${correction.kind} ${correction.provider}/${correction.model}: ${correction.why}`, () => {
      if (correction.kind === 'addition') {
        for (const name of correction.names ?? []) {
          const model = catalogModel(correction.provider, name);
          const priced = model !== null && Object.keys(model.prices).length > 0;
          expect(priced, `${name} priced upstream`).toBe(false);
        }
        for (const prefix of correction.prefixes ?? []) {
          const upstream = calcPrice({ input_tokens: 1_000, output_tokens: 0 }, `${prefix}acme::x`, {
            providerId: correction.provider,
          });
          expect(upstream ?? null, `${prefix}… priced upstream`).toBeNull();
        }
        if (correction.suffix !== undefined) {
          // Upstream still lists :free models without a price.
          const unpriced = findProvider({ providerId: correction.provider })!.models.filter(
            (m) => m.id.endsWith(correction.suffix!) && Object.keys(m.prices).length === 0,
          );
          expect(unpriced.length).toBeGreaterThan(0);
        }
        return;
      }
      const upstream = catalogModel(correction.provider, correction.model);
      expect(upstream, 'patched model exists upstream').not.toBeNull();
      expect(JSON.stringify(upstream!.prices)).not.toBe(
        JSON.stringify(correction.prices.length === 1 ? correction.prices[0]!.prices : correction.prices),
      );
      // The specific disagreement, per model family:
      const text = JSON.stringify(upstream!.prices);
      if (correction.model === 'deepseek-chat' || correction.model === 'deepseek-reasoner') {
        // Still the 2025 night-discount window, with no 2025-09-05 price change.
        expect(text).toContain('"start_time":"00:30:00Z"');
        expect(text).not.toContain('2025-09-05');
      } else if (correction.provider === 'deepseek') {
        // Peak windows every day of the week (weekends should be off-peak).
        expect(text).toContain('"type":"time_of_date"');
      } else {
        expect(text).not.toContain('tiers');
      }
    });
  }
});
