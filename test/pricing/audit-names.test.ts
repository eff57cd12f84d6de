/**
 * Every model name from the 2026-12-01 price audit (issue 13) that the other files do not already
 * pin: how it resolves today — priced exactly, priced approximately (and so counted), or unpriced
 * with the reason. The unpriced ones are the moving `gemini-*-latest` aliases; an override
 * (aliasOf the model they point at) prices them.
 */
import { describe, expect, it } from 'vitest';
import { PriceBook } from '../../src/pricing/index.js';

const book = new PriceBook();
const usage = { inputTokens: 1_000, outputTokens: 500 };

describe('audit names priced by the catalog as it stands', () => {
  it('mistral-large-latest: corrected to its target Mistral Large 3 ($0.50/$1.50), not Large 2 ($2/$6)', () => {
    // 1000×0.50 + 500×1.50 = 1250 µ$ (the catalog's Large 2 match would be 1000×2 + 500×6 = 5000 µ$)
    const r = book.price({ provider: 'mistral_ai', model: 'mistral-large-latest', usage });
    expect(r.priced && r.costUsd).toBeCloseTo(0.00125, 15);
    expect(r.priced && r.entry).toMatchObject({ model: 'mistral-large-latest', matchedBy: 'exact' });
  });

  it('grok-4-fast: exact, at grok-4-fast-reasoning $0.20/$0.50 (no long-context tier: not confirmed)', () => {
    // 1000×0.2 + 500×0.5 = 450 µ$
    const r = book.price({ provider: 'x_ai', model: 'grok-4-fast', usage });
    expect(r.priced && r.costUsd).toBeCloseTo(0.00045, 15);
    expect(r.priced && r.entry.matchedBy).toBe('exact');
  });
});

describe('audit names the corrections price (hand-computed in corrections.test.ts too)', () => {
  const cases: ReadonlyArray<[string, string, number, string]> = [
    // 1000×0.10 + 500×0.30 = 250 µ$
    ['mistral_ai', 'mistral-small-2503', 0.00025, 'exact'],
    ['mistral_ai', 'mistral-small-2506', 0.00025, 'exact'],
    // fine-tuned GPT-4.1: 1000×3 + 500×12 = 9000 µ$
    ['openai', 'ft:gpt-4.1-2025-04-14:acme::abc123', 0.009, 'alias'],
    // fine-tuned o4-mini: 1000×4 + 500×16 = 12000 µ$
    ['openai', 'ft:o4-mini-2025-04-16:acme::abc123', 0.012, 'alias'],
  ];
  for (const [provider, model, expected, matchedBy] of cases) {
    it(`${provider} ${model}: ${expected * 1e6} µ$ (${matchedBy})`, () => {
      const r = book.price({ provider, model, usage });
      expect(r.priced && r.costUsd).toBeCloseTo(expected, 15);
      expect(r.priced && r.entry.matchedBy).toBe(matchedBy);
    });
  }
});

describe('audit names that stay unpriced, with the reason', () => {
  const cases: ReadonlyArray<[string, string]> = [
    ['gcp.gemini', 'gemini-flash-latest'],
    ['gcp.gemini', 'gemini-flash-lite-latest'],
    ['gcp.gemini', 'gemini-pro-latest'],
  ];
  for (const [provider, model] of cases) {
    it(`${provider} ${model}`, () => {
      const r = book.price({ provider, model, usage });
      expect(r.priced).toBe(false);
      if (r.priced) return;
      expect(r.reason).toBe('unknown-model');
      expect(r.message).toContain(`no price for model "${model}"`);
      expect(r.message).toContain('Add a price override');
      expect(r.message).toContain('moving alias');
    });
  }
});
