import { describe, expect, it } from 'vitest';
import { PriceBook } from '../../src/pricing/index.js';
import { entryOf } from './support.js';

const book = new PriceBook();
const usage = { inputTokens: 1_000, outputTokens: 500 };

describe('dated snapshots', () => {
  it('gpt-4o-2024-08-06 is listed by the catalog under gpt-4o (exact)', () => {
    // gpt-4o: 1000×2.5 + 500×10 = 7500 µ$
    const result = book.price({ provider: 'openai', model: 'gpt-4o-2024-08-06', usage });
    expect(result).toMatchObject({ priced: true, costUsd: 0.0075 });
    expect(entryOf(result)).toMatchObject({ model: 'gpt-4o', matchedBy: 'exact' });
  });

  it('a snapshot with its own catalog price keeps it: gpt-4o-2024-05-13 is $5/$15, not gpt-4o', () => {
    // 1000×5 + 500×15 = 12500 µ$ (stripping to gpt-4o would give 7500)
    const result = book.price({ provider: 'openai', model: 'gpt-4o-2024-05-13', usage });
    expect(result).toMatchObject({ priced: true, costUsd: 0.0125 });
    expect(entryOf(result)).toMatchObject({ model: 'gpt-4o-2024-05-13', matchedBy: 'exact' });
  });

  it('claude-3-5-sonnet-20241022 prices as claude-3-5-sonnet ($3/$15)', () => {
    // 1000×3 + 500×15 = 10500 µ$
    const result = book.price({ provider: 'anthropic', model: 'claude-3-5-sonnet-20241022', usage });
    expect(result.priced && result.costUsd).toBeCloseTo(0.0105, 15);
    expect(entryOf(result)).toMatchObject({ provider: 'anthropic', model: 'claude-3-5-sonnet' });
  });

  it('a snapshot the catalog does not list resolves by stripping the date (matchedBy snapshot)', () => {
    const result = book.price({ provider: 'openai', model: 'gpt-4o-2025-01-15', usage });
    expect(result).toMatchObject({ priced: true, costUsd: 0.0075 });
    expect(entryOf(result)).toMatchObject({ model: 'gpt-4o', matchedBy: 'snapshot' });
  });

  it('Vertex @YYYYMMDD stamps are stripped', () => {
    // gemini-2.5-flash: 1000×0.3 + 500×2.5 = 300 + 1250 = 1550 µ$
    const result = book.price({ provider: 'gcp.vertex_ai', model: 'gemini-2.5-flash@20250617', usage });
    expect(result.priced && result.costUsd).toBeCloseTo(0.00155, 15);
    expect(entryOf(result)).toMatchObject({ model: 'gemini-2.5-flash', matchedBy: 'snapshot' });
  });
});

describe('provider resource names', () => {
  it('Bedrock inference-profile ids and ARNs price as the Claude model', () => {
    // Bedrock claude-3-5-sonnet v2: $3/$15 → 10500 µ$
    for (const model of [
      'us.anthropic.claude-3-5-sonnet-20241022-v2:0',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0',
    ]) {
      const result = book.price({ provider: 'aws.bedrock', model, usage });
      expect(result.priced && result.costUsd).toBeCloseTo(0.0105, 15);
      expect(entryOf(result)).toMatchObject({
        provider: 'aws',
        model: 'regional.anthropic.claude-3-5-sonnet-20241022-v2:0',
      });
    }
  });

  it('Google models/ paths resolve by their last segment (matchedBy alias)', () => {
    const result = book.price({ provider: 'gcp.gemini', model: 'models/gemini-2.5-flash', usage });
    expect(entryOf(result)).toMatchObject({
      provider: 'google',
      model: 'gemini-2.5-flash',
      matchedBy: 'alias',
    });
  });

  it('Azure OpenAI model names price through the catalog fallback to OpenAI', () => {
    expect(entryOf(book.price({ provider: 'azure.ai.openai', model: 'gpt-4o', usage }))).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o',
    });
  });
});

describe('unknown models are never priced at $0', () => {
  it('returns priced:false with the closest known names', () => {
    expect(book.price({ provider: 'openai', model: 'gpt-4o-foo', usage })).toEqual({
      priced: false,
      reason: 'unknown-model',
      message:
        'no price for model "gpt-4o-foo" (provider "openai", catalog "openai"); closest known: gpt-4-32k, gpt-4o, gpt-4o-mini. ' +
        'Add a price override (aliasOf, or inputPerMTok/outputPerMTok) to price it.',
      candidates: ['gpt-4-32k', 'gpt-4o', 'gpt-4o-mini'],
    });
  });

  it('does not guess by prefix', () => {
    expect(book.price({ provider: 'openai', model: 'gpt-4o-turbo-ultra', usage }).priced).toBe(false);
  });

  it('names a provider missing from the catalog', () => {
    expect(book.price({ provider: 'acme-llm', model: 'acme-1', usage })).toEqual({
      priced: false,
      reason: 'unknown-model',
      message:
        'provider "acme-llm" is not in the price catalog. Add a price override (aliasOf, or inputPerMTok/outputPerMTok) to price it.',
    });
  });

  it('an application inference profile ARN needs an alias', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3';
    expect(book.price({ provider: 'aws.bedrock', model: arn, usage }).priced).toBe(false);
  });
});

describe('resolution is cached per (provider, model)', () => {
  it('returns the same rate table object and shares result entries', () => {
    const local = new PriceBook();
    const table = local.resolve('openai', 'gpt-4o');
    expect(local.resolve('openai', 'gpt-4o')).toBe(table);
    expect(entryOf(local.price({ provider: 'openai', model: 'gpt-4o', usage }))).toBe(
      entryOf(
        local.price({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1, outputTokens: 1 } }),
      ),
    );
  });

  it('returns the same frozen unpriced result for an unknown model', () => {
    const first = book.price({ provider: 'openai', model: 'nope', usage });
    expect(book.price({ provider: 'openai', model: 'nope', usage })).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });
});
