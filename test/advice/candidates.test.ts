/**
 * Default candidates (same provider, same kind, current, cheaper on the observed mix) and
 * `--to` name lookup. Prices as in reprice.test.ts; embeddings: text-embedding-3-large 0.13,
 * text-embedding-3-small 0.02, text-embedding-ada-002 0.10 USD per million tokens.
 */
import { describe, expect, it } from 'vitest';
import { defaultCandidates, parseModelRef } from '../../src/advice/candidates.js';
import { repriceWorkload } from '../../src/advice/reprice.js';
import { mix } from './support.js';

describe('default candidates', () => {
  const chat = mix({ input: 1_000_000, cache_read: 400_000, output: 200_000 });
  const all = defaultCandidates({ provider: 'openai', model: 'gpt-4o' }, chat, { limit: 100 });
  const ids = all.map((c) => c.model);

  it('are the same provider’s cheaper chat models, cheapest first', () => {
    expect(ids).toContain('gpt-4o-mini');
    expect(all.every((c) => c.provider === 'openai')).toBe(true);
    const costs = repriceWorkload(chat, { to: all }).results.map((r) => (r.priced ? r.costUsd : Number.NaN));
    // gpt-4o on this mix: $5.00 (reprice.test.ts)
    for (const cost of costs) expect(cost).toBeLessThan(5);
    expect([...costs].sort((a, b) => a - b)).toEqual(costs);
  });

  it('leave out other kinds, open-weight, smaller-context and deprecated models', () => {
    for (const id of [
      'text-embedding-3-small',
      'gpt-4o-mini-tts',
      'gpt-4o-mini-audio-preview',
      'gpt-oss-20b',
    ]) {
      expect(ids).not.toContain(id);
    }
    expect(ids).not.toContain('gpt-3.5-turbo'); // 16,385-token context < gpt-4o's 128,000
    expect(ids).not.toContain('gpt-4o');
  });

  it('for a workload that reasons, are reasoning models', () => {
    const reasoning = defaultCandidates(
      { provider: 'openai', model: 'o3' },
      mix({ input: 1_000_000, output: 100_000, reasoning: 300_000 }),
      { limit: 100 },
    ).map((c) => c.model);
    expect(reasoning).toContain('o4-mini');
    expect(reasoning).not.toContain('gpt-4o-mini');
    expect(reasoning).not.toContain('gpt-4.1-nano');
  });

  it('for embeddings, are embedding models', () => {
    // 1,000,000 tokens: large $0.13, small $0.02, ada-002 $0.10 → small, then ada-002
    expect(
      defaultCandidates({ provider: 'openai', model: 'text-embedding-3-large' }, mix({ input: 1_000_000 })),
    ).toEqual([
      { provider: 'openai', model: 'text-embedding-3-small' },
      { provider: 'openai', model: 'text-embedding-ada-002' },
    ]);
  });

  it('default to three, and to none for an unpriced model', () => {
    expect(defaultCandidates({ provider: 'openai', model: 'gpt-4o' }, chat)).toHaveLength(3);
    expect(defaultCandidates({ provider: 'openai', model: 'acme-summarizer-1' }, chat)).toEqual([]);
  });
});

describe('--to model names', () => {
  it('finds the provider of a bare name, Anthropic before Vertex', () => {
    expect(parseModelRef('gpt-4o-mini')).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(parseModelRef('claude-3-5-haiku')).toEqual({ provider: 'anthropic', model: 'claude-3-5-haiku' });
    expect(parseModelRef('gemini-2.0-flash')).toEqual({ provider: 'gcp.gemini', model: 'gemini-2.0-flash' });
  });

  it('takes provider:model and provider/model', () => {
    expect(parseModelRef('gcp.vertex_ai:claude-3-5-haiku')).toEqual({
      provider: 'gcp.vertex_ai',
      model: 'claude-3-5-haiku',
    });
    expect(parseModelRef('openai/gpt-4o')).toEqual({ provider: 'openai', model: 'gpt-4o' });
  });

  it('null for a name no provider prices', () => {
    expect(parseModelRef('acme-summarizer-1')).toBeNull();
    expect(parseModelRef('openai:claude-3-5-haiku')).toBeNull();
  });
});
