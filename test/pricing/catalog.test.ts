import { findProvider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { catalogProviderId, findCatalogModel, PROVIDER_TO_CATALOG } from '../../src/pricing/catalog.js';

describe('provider names map to catalog providers', () => {
  it.each([
    ['openai', 'openai'],
    ['anthropic', 'anthropic'],
    ['gcp.gemini', 'google'],
    ['gcp.vertex_ai', 'google'],
    ['gcp.gen_ai', 'google'],
    ['aws.bedrock', 'aws'],
    ['azure.ai.openai', 'azure'],
    ['azure.ai.inference', 'azure'],
    ['deepseek', 'deepseek'],
    ['x_ai', 'x-ai'],
    ['openrouter', 'openrouter'],
    ['mistral_ai', 'mistral'],
    ['groq', 'groq'],
    ['cohere', 'cohere'],
    ['perplexity', 'perplexity'],
    ['together', 'together'], // an exact catalog id is accepted as is
    ['AWS.Bedrock', 'aws'],
  ])('%s → %s', (provider, id) => {
    expect(catalogProviderId(provider)).toBe(id);
  });

  it('maps only to providers that exist in the bundled catalog', () => {
    for (const id of new Set(Object.values(PROVIDER_TO_CATALOG))) {
      expect(findProvider({ providerId: id })?.id).toBe(id);
    }
  });

  it('does not use the catalog substring matching (ibm.watsonx.ai, my-openai-proxy are not priced)', () => {
    expect(catalogProviderId('ibm.watsonx.ai')).toBeNull();
    expect(catalogProviderId('my-openai-proxy')).toBeNull();
  });
});

describe('findCatalogModel applies the catalog match rules and fallback providers', () => {
  it('finds a model by one of its listed snapshot names', () => {
    expect(findCatalogModel('openai', 'gpt-4o-2024-08-06')?.model.id).toBe('gpt-4o');
  });

  it('finds OpenAI models through Azure via fallback_model_providers', () => {
    const match = findCatalogModel('azure', 'gpt-4o');
    expect({ provider: match?.providerId, model: match?.model.id }).toEqual({
      provider: 'openai',
      model: 'gpt-4o',
    });
  });

  it('returns null for names no rule matches', () => {
    expect(findCatalogModel('openai', 'gpt-4o-foo')).toBeNull();
  });
});
