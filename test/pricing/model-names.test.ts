import { describe, expect, it } from 'vitest';
import {
  closestNames,
  editDistance,
  resourceBaseName,
  stripSnapshotSuffix,
} from '../../src/pricing/model-names.js';

describe('stripSnapshotSuffix removes one trailing dated-snapshot stamp', () => {
  it.each([
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['claude-3-5-haiku@20241022', 'claude-3-5-haiku'],
    ['gpt-3.5-turbo-0125', 'gpt-3.5-turbo'],
    ['gpt-4-0229', 'gpt-4'],
  ])('%s → %s', (name, base) => {
    expect(stripSnapshotSuffix(name)).toBe(base);
  });

  it.each([
    'gpt-4o', // no stamp
    'mistral-large-2411', // YYMM version, month 24 is not a date
    'codestral-2501',
    'gpt-4o-2024-13-01', // month 13
    'claude-3-5-sonnet-20240231', // 31 February
    'gpt-4-1106-preview', // stamp not at the end
    'anthropic.claude-3-5-sonnet-20241022-v2:0',
    'gemini-2.5-flash-preview-05-20',
    'model-1999-01-01', // years must be 20xx
  ])('leaves %s alone', (name) => {
    expect(stripSnapshotSuffix(name)).toBeNull();
  });
});

describe('resourceBaseName takes the model id out of provider resource paths', () => {
  it.each([
    [
      'aws',
      'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0',
      'us.anthropic.claude-3-5-sonnet-20241022-v2:0',
    ],
    [
      'aws',
      'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      'anthropic.claude-3-haiku-20240307-v1:0',
    ],
    ['google', 'models/gemini-2.5-flash', 'gemini-2.5-flash'],
    ['google', 'projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro', 'gemini-2.5-pro'],
  ])('%s: %s → %s', (provider, name, base) => {
    expect(resourceBaseName(provider, name)).toBe(base);
  });

  it.each([
    ['openrouter', 'openai/gpt-4o'],
    ['aws', 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'],
    ['google', 'gemini-2.5-pro'],
    ['google', 'mymodels/gemini-2.5-pro'],
    ['openai', 'models/gpt-4o'],
  ])('%s: leaves %s alone', (provider, name) => {
    expect(resourceBaseName(provider, name)).toBeNull();
  });
});

describe('closestNames ranks by edit distance, ties alphabetically', () => {
  it('computes Levenshtein distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('returns at most three names, deduplicated', () => {
    expect(closestNames('gpt-4p', ['gpt-4o', 'gpt-4', 'gpt-4o', 'o3', 'gpt-4o-mini', 'gpt-5'])).toEqual([
      'gpt-4',
      'gpt-4o',
      'gpt-5',
    ]);
  });
});
