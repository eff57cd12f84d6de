import { describe, expect, it } from 'vitest';
import { estimateInputTokens, requestedMaxOutputTokens } from '../../src/budgets/request-estimate.js';

describe('estimateInputTokens: characters / 4 over the prompt text of a request body', () => {
  it.each([
    [
      'OpenAI chat (role strings count too, like the per-message overhead)',
      {
        model: 'gpt-4o',
        max_tokens: 100,
        messages: [
          { role: 'system', content: 'Be brief.' }, // 6 + 9
          { role: 'user', content: [{ type: 'text', text: 'Hello there!' }] }, // 4 + 4 + 12
        ],
      },
      Math.ceil(35 / 4),
    ],
    [
      'OpenAI Responses, string input + instructions',
      { model: 'o3', input: 'x'.repeat(40), instructions: 'abcd' },
      11,
    ],
    [
      'Anthropic: system + messages; base64 image data is skipped',
      {
        model: 'claude',
        system: 'abcdefgh',
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'image',
                source: { type: 'base64', media_type: 'image/png', data: 'A'.repeat(100_000) },
              },
            ],
          },
        ],
      },
      // "abcdefgh" + "user" + "image" + "base64" + "image/png"
      Math.ceil(32 / 4),
    ],
    [
      'Gemini: contents + config.systemInstruction; inline data skipped',
      {
        model: 'gemini-2.5-flash',
        contents: [
          {
            role: 'user',
            parts: [{ text: 'abcd' }, { inlineData: { mimeType: 'image/png', data: 'B'.repeat(5000) } }],
          },
        ],
        config: { systemInstruction: 'abcdefgh', maxOutputTokens: 10 },
      },
      Math.ceil((4 + 4 + 9 + 8) / 4),
    ],
    ['a data: URL string is skipped', { messages: [{ content: 'data:image/png;base64,AAAA' }] }, 0],
    ['fields outside the prompt do not count', { model: 'x'.repeat(400), user: 'y'.repeat(400) }, 0],
  ])('%s', (_name, body, expected) => {
    expect(estimateInputTokens(body)).toBe(expected);
  });

  it('never throws and stays bounded on hostile bodies', () => {
    const cyclic: Record<string, unknown> = { content: 'abcd' };
    cyclic.self = cyclic;
    expect(estimateInputTokens({ messages: [cyclic] })).toBe(31); // one "abcd" per level, 31 levels deep
    const throwing = {
      get messages(): unknown {
        throw new Error('no');
      },
    };
    expect(estimateInputTokens(throwing)).toBe(0);
    const huge = { messages: Array.from({ length: 1_000_000 }, () => 'abcd') };
    expect(estimateInputTokens(huge)).toBe(9_999); // the first 9,999 strings, after the array node
    expect([null, undefined, 42, 'abcdefgh'].map(estimateInputTokens)).toEqual([0, 0, 0, 2]);
  });
});

describe('requestedMaxOutputTokens: the output cap of each provider’s request', () => {
  it.each([
    [{ max_completion_tokens: 50, max_tokens: 10 }, 50],
    [{ max_tokens: 10 }, 10],
    [{ max_output_tokens: 300 }, 300],
    [{ config: { maxOutputTokens: 64 } }, 64],
    [{ generationConfig: { maxOutputTokens: 32 } }, 32],
    [{ max_tokens: -1 }, undefined],
    [{ max_tokens: '10' }, undefined],
    [{}, undefined],
    [null, undefined],
  ])('%j → %s', (body, expected) => {
    expect(requestedMaxOutputTokens(body)).toBe(expected);
  });
});
