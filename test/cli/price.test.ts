import { describe, expect, it } from 'vitest';
import { priceCall } from '../../src/entry-pricing.js';
import { runMain } from './support.js';

describe('llm-cost price', () => {
  it('--json equals priceCall() for the same usage, with the entry used', async () => {
    const res = await runMain([
      'price',
      'claude-sonnet-4-20250514',
      '--input',
      '20000',
      '--cache-read',
      '15000',
      '--cache-write',
      '2000',
      '--output',
      '1200',
      '--reasoning',
      '300',
      '--json',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const expected = priceCall({
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      usage: {
        inputTokens: 20000,
        outputTokens: 1200,
        cacheReadTokens: 15000,
        cacheWriteTokens: 2000,
        reasoningTokens: 300,
      },
    });
    expect(expected.priced).toBe(true);
    const out = JSON.parse(res.stdout);
    expect(out).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4-20250514', ...expected });
  });

  it('prints the cost, the catalog entry and the price date as text', async () => {
    const res = await runMain(['price', 'gpt-4o', '--input', '12000', '--output', '800']);
    expect(res.code, res.stderr).toBe(0);
    // gpt-4o at $2.50 / $10 per MTok: 12000 × 2.50 + 800 × 10 = 38,000 µ$
    expect(res.stdout).toMatch(/^\$0\.0380 {2}openai gpt-4o$/m);
    expect(res.stdout).toMatch(/^entry {5}openai\/gpt-4o \(exact match, genai-prices catalog\)$/m);
    expect(res.stdout).toMatch(
      /^price {5}(effective from \d{4}-\d{2}-\d{2}|current catalog price \(undated\))$/m,
    );
  });

  it('answers "unpriced" with the closest names and exit code 3', async () => {
    const res = await runMain(['price', 'gpt-4o-turbo-ultra', '--input', '100']);
    expect(res.code).toBe(3);
    const expected = priceCall({
      provider: 'openai',
      model: 'gpt-4o-turbo-ultra',
      usage: { inputTokens: 100, outputTokens: 0 },
    });
    if (expected.priced) throw new Error('must be unpriced');
    expect(res.stdout).toContain(`unpriced: ${expected.message}`);
    expect(res.stdout).toContain(`closest known models: ${expected.candidates!.join(', ')}`);
  });

  it('needs --provider when the model name does not tell', async () => {
    const res = await runMain(['price', 'mystery-model']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(
      'llm-cost: price: cannot tell the provider of "mystery-model"; pass --provider (e.g. --provider openai)\n',
    );
  });

  it('shows an approximate match, its catalog rule and the catalog date', async () => {
    const res = await runMain(['price', 'claude-sonnet-5-5', '--input', '1000', '--output', '500']);
    expect(res.code, res.stderr).toBe(0);
    // claude-sonnet-5 rates: 1000×$2 + 500×$10 per MTok = $0.0070
    expect(res.stdout).toMatch(/^\$0\.0070 {2}anthropic claude-sonnet-5-5$/m);
    expect(res.stdout).toMatch(
      /^entry {5}anthropic\/claude-sonnet-5 \(approximate match, genai-prices catalog\)$/m,
    );
    expect(res.stdout).toContain('by the catalog rule starts_with "claude-sonnet-5"');
    expect(res.stdout).toMatch(/^catalog {3}bundled genai-prices data of 2026-09-23$/m);
  });

  it('--tier prices a service tier and says so', async () => {
    const res = await runMain([
      'price',
      'gpt-5.5',
      '--input',
      '1000',
      '--output',
      '500',
      '--tier',
      'priority',
    ]);
    expect(res.code, res.stderr).toBe(0);
    // gpt-5.5 priority: 1000×12.5 + 500×75 = 50000 µ$
    expect(res.stdout).toMatch(/^\$0\.0500 {2}openai gpt-5\.5$/m);
    expect(res.stdout).toMatch(/^tier {6}priority service tier rates$/m);
  });

  it('--strict leaves an approximate match unpriced (exit 3)', async () => {
    const res = await runMain(['price', 'claude-sonnet-5-5', '--strict']);
    expect(res.code).toBe(3);
    expect(res.stdout).toContain('strictPricing treats that as unpriced');
  });

  it('names a corrected price as such', async () => {
    const res = await runMain(['price', 'deepseek-flash', '--provider', 'deepseek', '--input', '1000']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(
      /^entry {5}deepseek\/deepseek-flash \(exact match, corrected price \(dated, sourced: PRICE_CORRECTIONS\)\)$/m,
    );
  });
});
