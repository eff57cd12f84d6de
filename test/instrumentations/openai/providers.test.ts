/** Who a client talks to decides `gen_ai.provider.name` and pricing: Azure deployments, OpenRouter costs. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  API_KEY,
  CHAT,
  collect,
  type Harness,
  stable,
  startHarness,
  usageHeaders,
  VERSIONS,
} from './harness.js';

const USAGE = { input: 1000, output: 100 };
const INCLUSIVE = {
  inputTokens: 1000,
  outputTokens: 100,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 0,
};

describe.each(VERSIONS)('openai $major AzureOpenAI', ({ AzureOpenAI }) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(VERSIONS[2]!.OpenAI, {
      telemetry: {
        prices: {
          overrides: [{ provider: 'azure.ai.openai', model: 'prod-gpt4o', aliasOf: { model: 'gpt-4o' } }],
        },
      },
    });
  });
  afterEach(() => h.stop());

  const azure = (fake: Harness['fake']) =>
    new AzureOpenAI({
      endpoint: fake.azureEndpoint,
      apiKey: API_KEY,
      apiVersion: '2024-10-21',
      deployment: 'prod-gpt4o',
      maxRetries: 0,
    });

  it('prices the deployment through the override map, as provider azure.ai.openai', async () => {
    const client = h.telemetry.instrument(azure(h.fake));
    await client.chat.completions.create({ ...CHAT, model: '' }, usageHeaders(USAGE));
    expect(h.calls[0]).toMatchObject({ provider: 'azure.ai.openai', model: 'prod-gpt4o', usage: INCLUSIVE });
    // Priced as its alias gpt-4o ($2.50 input, $10 output per MTok): 1000×2.50 + 100×10 = 3500 → $0.0035.
    expect(h.recorded[0]?.costUsd).toBeCloseTo(0.0035, 12);
    expect(h.spans()[0]?.name).toBe('chat prod-gpt4o');
  });

  it('streams: the prompt-filter chunk is kept, the injected usage chunk hidden', async () => {
    const client = h.telemetry.instrument(azure(h.fake));
    const chunks = await collect(
      await client.chat.completions.create({ ...CHAT, model: '', stream: true }, usageHeaders(USAGE)),
    );
    const bareHarness = await startHarness(VERSIONS[2]!.OpenAI);
    try {
      const bare = await collect(
        await azure(bareHarness.fake).chat.completions.create(
          { ...CHAT, model: '', stream: true },
          usageHeaders(USAGE),
        ),
      );
      expect(stable(chunks)).toEqual(stable(bare));
    } finally {
      await bareHarness.stop();
    }
    expect(JSON.parse(chunks[0] as string).prompt_filter_results).toBeDefined();
    expect(h.calls[0]).toMatchObject({ provider: 'azure.ai.openai', outcome: 'success', usage: INCLUSIVE });
  });
});

describe.each(VERSIONS)('openai $major on OpenRouter', ({ OpenAI }) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(OpenAI);
  });
  afterEach(() => h.stop());

  it('is provider openrouter and the reported usage.cost wins', async () => {
    const body = {
      id: 'gen-1',
      object: 'chat.completion',
      created: 1,
      model: 'openai/gpt-4o',
      choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, cost: 0.0123 },
    };
    const client = h.telemetry.instrument(
      new OpenAI({
        baseURL: 'https://openrouter.ai/api/v1',
        apiKey: API_KEY,
        fetch: async () =>
          new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }),
      }),
    );
    await client.chat.completions.create({ ...CHAT, model: 'openai/gpt-4o' });
    expect(h.calls[0]).toMatchObject({ provider: 'openrouter', costUsd: 0.0123, usage: { inputTokens: 10 } });
    expect(h.recorded[0]).toMatchObject({ costUsd: 0.0123, costSource: 'provider' });
    expect(h.spans()[0]?.attributes['server.address']).toBe('openrouter.ai');
  });
});
