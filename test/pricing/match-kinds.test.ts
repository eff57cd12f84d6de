import { describe, expect, it } from 'vitest';
import { PriceBook } from '../../src/pricing/index.js';
import { entryOf } from './support.js';

const usage = { inputTokens: 1_000, outputTokens: 500 };
const book = new PriceBook();
const strict = new PriceBook({ strictPricing: true });

/**
 * Names the catalog does not list, which its own `starts_with`/`contains` rules price as a
 * sibling. Each is priced (the sibling is the best estimate there is) but says so.
 */
const APPROXIMATE: ReadonlyArray<[provider: string, model: string, sibling: string, rule: string]> = [
  ['anthropic', 'claude-sonnet-5-5', 'claude-sonnet-5', 'starts_with "claude-sonnet-5"'],
  ['anthropic', 'claude-sonnet-5-1-20261015', 'claude-sonnet-5', 'starts_with "claude-sonnet-5"'],
  ['gcp.gemini', 'gemini-3.8-flash-lite', 'gemini-3.8-flash', 'starts_with "gemini-3.8-flash"'],
  ['gcp.gemini', 'gemini-3.8-flash-image', 'gemini-3.8-flash', 'starts_with "gemini-3.8-flash"'],
  ['gcp.gemini', 'gemini-1.5-flash-8b', 'gemini-1.5-flash', 'contains "gemini-1.5-flash"'],
  ['deepseek', 'deepseek-chat-v4', 'deepseek-chat', 'starts_with "deepseek-chat"'],
  ['anthropic', 'claude-opus-4-8-fast', 'claude-opus-4-8', 'starts_with "claude-opus-4-8"'],
];

describe('a catalog rule that only approximately fits is flagged', () => {
  for (const [provider, model, sibling, rule] of APPROXIMATE) {
    it(`${provider} ${model} → ${sibling}, matchedBy approximate`, () => {
      const entry = entryOf(book.price({ provider, model, usage }));
      expect(entry).toMatchObject({ model: sibling, matchedBy: 'approximate', matchedRule: rule });
    });

    it(`${provider} ${model} is unpriced under strictPricing, with the reason`, () => {
      const result = strict.price({ provider, model, usage });
      expect(result.priced).toBe(false);
      if (result.priced) return;
      expect(result.reason).toBe('unknown-model');
      expect(result.message).toContain(`only approximately (${rule} → `);
      expect(result.message).toContain('strictPricing');
    });
  }

  it('the approximate price is the sibling price: claude-sonnet-5-5 at Sonnet 5 rates', () => {
    // claude-sonnet-5: $2 in, $10 out → 1000×2 + 500×10 = 7000 µ$
    const result = book.price({ provider: 'anthropic', model: 'claude-sonnet-5-5', usage });
    expect(result.priced && result.costUsd).toBeCloseTo(0.007, 15);
  });
});

describe('declared names keep their match kind', () => {
  const cases: ReadonlyArray<[string, string, 'exact' | 'snapshot' | 'alias']> = [
    ['openai', 'gpt-4o', 'exact'],
    ['openai', 'gpt-4o-2024-08-06', 'exact'],
    ['openai', 'gpt-4o-2025-01-15', 'snapshot'],
    ['anthropic', 'claude-sonnet-5', 'exact'],
    ['anthropic', 'claude-3-5-sonnet-20241022', 'snapshot'],
    ['aws.bedrock', 'us.anthropic.claude-3-5-sonnet-20241022-v2:0', 'exact'],
    [
      'aws.bedrock',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0',
      'exact',
    ],
    ['gcp.gemini', 'models/gemini-2.5-flash', 'alias'],
    ['gcp.gemini', 'gemini-1.5-flash-002', 'snapshot'],
    ['gcp.vertex_ai', 'gemini-2.5-flash@20250617', 'snapshot'],
    ['openai', 'ft:gpt-4o-mini-2024-07-18:acme::abc123', 'exact'],
    ['openrouter', 'anthropic/claude-sonnet-4', 'exact'],
  ];
  for (const [provider, model, kind] of cases) {
    it(`${provider} ${model}: ${kind}`, () => {
      expect(entryOf(book.price({ provider, model, usage })).matchedBy).toBe(kind);
      expect(strict.price({ provider, model, usage }).priced).toBe(true);
    });
  }
});

describe('an override declares an approximation acceptable', () => {
  it('aliasOf claude-sonnet-5 makes claude-sonnet-5-5 an alias, priced under strictPricing', () => {
    const declared = new PriceBook({
      strictPricing: true,
      overrides: [
        { provider: 'anthropic', model: 'claude-sonnet-5-5', aliasOf: { model: 'claude-sonnet-5' } },
      ],
    });
    const entry = entryOf(declared.price({ provider: 'anthropic', model: 'claude-sonnet-5-5', usage }));
    expect(entry).toMatchObject({ model: 'claude-sonnet-5', matchedBy: 'alias' });
  });
});
