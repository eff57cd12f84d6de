import { describe, expect, it } from 'vitest';
import { MAX_CACHED_UNKNOWN, MAX_MODEL_NAME_LENGTH, PriceBook } from '../../src/pricing/price-book.js';

const usage = { inputTokens: 1_000_000, outputTokens: 0 };

describe('the price cache stays bounded whatever model names arrive', () => {
  it('refuses an absurdly long name without a lookup', () => {
    const result = new PriceBook().price({
      provider: 'openai',
      model: 'x'.repeat(MAX_MODEL_NAME_LENGTH + 1),
      usage,
    });
    expect(result).toEqual({
      priced: false,
      reason: 'unknown-model',
      message: `model name longer than ${MAX_MODEL_NAME_LENGTH} characters`,
    });
  });

  it('past the unknown-name cap, known models still price and unknown ones stay unpriced', () => {
    const book = new PriceBook();
    for (let i = 0; i <= MAX_CACHED_UNKNOWN + 50; i++) {
      expect(book.price({ provider: 'openai', model: `no-such-model-${i}`, usage }).priced).toBe(false);
    }
    // gpt-4o input is $2.50 per million tokens.
    const known = book.price({ provider: 'openai', model: 'gpt-4o', usage });
    expect(known.priced && known.costUsd).toBe(2.5);
    const late = book.price({ provider: 'openai', model: 'still-no-such-model', usage });
    expect(late).toMatchObject({ priced: false, reason: 'unknown-model' });
  });
});

describe('provider and model names that are Object.prototype keys', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    '%s is an unknown provider, never a crash',
    (name) => {
      const book = new PriceBook();
      expect(book.price({ provider: name, model: 'gpt-4o', usage })).toMatchObject({
        priced: false,
        reason: 'unknown-model',
      });
      expect(book.price({ provider: 'openai', model: name, usage })).toMatchObject({
        priced: false,
        reason: 'unknown-model',
      });
    },
  );
});
