/**
 * The real cost of a call lies inside the range `estimateCost` gave for its request body: the real
 * `openai` and `@anthropic-ai/sdk` clients against the fake provider, measured by this library.
 * The fake counts prompt tokens the way OpenAI does (`realisticPromptTokens`: the o200k_base BPE,
 * 3 tokens per message and 3 per request, 765 per image) and plans output, cache hits and
 * reasoning itself; the estimator never sees those numbers.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCost, preloadTokenizers } from '../../src/advice/estimate.js';
import { type FakeProvider, startFakeProvider } from '../../src/demo/fake-provider/index.js';
import { realisticPromptTokens } from '../../src/demo/fake-provider/realistic-tokens.js';
import { instrumentAnthropic } from '../../src/instrumentations/anthropic/index.js';
import type { RecordedCall } from '../../src/record/recorder.js';
import { type Harness, startHarness } from '../instrumentations/openai/harness.js';
import { type Harness as AnthropicHarness, createHarness } from '../instrumentations/support/sdk-harness.js';
import { pngDataUrl } from '../support/png.js';

let h: Harness;
beforeAll(async () => {
  await preloadTokenizers();
  // A third of every prompt served from the cache, so the low end of the range is exercised; 200
  // output tokens wanted, so a request without a cap costs more than its prompt alone can bound.
  h = await startHarness(OpenAI as never, {
    fake: { cacheHitRatio: 0.33, promptTokens: realisticPromptTokens, outputTokens: 200 },
  });
});
afterAll(() => h?.stop());

const text = (n: number) => 'word '.repeat(n);

const tools = [
  {
    type: 'function' as const,
    function: { name: 'lookup', description: text(40), parameters: { type: 'object', properties: {} } },
  },
];
const BODIES = {
  'JSON, max_tokens': {
    model: 'gpt-4o',
    messages: [{ role: 'user' as const, content: text(300) }],
    max_tokens: 120,
  },
  'JSON, no max_tokens': { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: text(500) }] },
  tools: {
    model: 'gpt-4o',
    messages: [{ role: 'user' as const, content: text(100) }],
    tools,
    max_tokens: 60,
  },
  'image (1024×1024: 765 tokens)': {
    model: 'gpt-4o',
    messages: [
      {
        role: 'user' as const,
        content: [
          { type: 'text' as const, text: text(20) },
          { type: 'image_url' as const, image_url: { url: pngDataUrl(1024, 1024) } },
        ],
      },
    ],
    max_tokens: 50,
  },
  'reasoning model': {
    model: 'o4-mini',
    messages: [{ role: 'user' as const, content: text(200) }],
    max_completion_tokens: 2000,
  },
};

describe('each call costs something inside its estimated range', () => {
  for (const [name, body] of Object.entries(BODIES)) {
    it(name, async () => {
      const estimate = estimateCost({ provider: 'openai', body });
      if (!estimate.priced) throw new Error(estimate.message);
      const before = h.recorded.length;
      await h.client().chat.completions.create(body as never);
      const cost = h.recorded[before]!.costUsd!;
      expect(cost).toBeGreaterThan(0);
      expect(cost).toBeGreaterThanOrEqual(estimate.minUsd);
      expect(cost).toBeLessThanOrEqual(estimate.maxUsd);
    });
  }

  it('streaming', async () => {
    const body = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: text(250) }],
      max_tokens: 80,
      stream: true as const,
    };
    const estimate = estimateCost({ provider: 'openai', body });
    if (!estimate.priced) throw new Error(estimate.message);
    const before = h.recorded.length;
    const stream = await h.client().chat.completions.create(body);
    for await (const _ of stream) {
      // drain
    }
    const cost = h.recorded[before]!.costUsd!;
    expect(cost).toBeGreaterThanOrEqual(estimate.minUsd);
    expect(cost).toBeLessThanOrEqual(estimate.maxUsd);
  });
});

describe('Anthropic, with cache writes and thinking', () => {
  let fake: FakeProvider;
  let a: AnthropicHarness;
  let client: Anthropic;
  const recorded: RecordedCall[] = [];
  beforeAll(async () => {
    // The whole prompt written to the cache when cache_control asks: cache writes ($1.25/MTok)
    // cost more than input ($1). Claude prompts are bounded by their bytes (~5 per token of this
    // text), which leaves room here; estimate.test.ts pins the write rates exactly.
    fake = await startFakeProvider({
      cacheHitRatio: 0,
      cacheWriteRatio: 1,
      promptTokens: realisticPromptTokens,
    });
    a = createHarness();
    a.telemetry.onRecord((r) => recorded.push(r));
    client = instrumentAnthropic(
      a.telemetry,
      new Anthropic({ apiKey: 'sk-ant-dummy', baseURL: fake.anthropicBaseURL, maxRetries: 0 }),
    );
  });
  afterAll(async () => {
    await a?.shutdown();
    await fake?.stop();
  });

  const system = [{ type: 'text' as const, text: text(600), cache_control: { type: 'ephemeral' as const } }];
  const BODIES = {
    'cache_control on the system prompt': {
      model: 'claude-haiku-4-5',
      system,
      max_tokens: 5,
      messages: [{ role: 'user' as const, content: text(50) }],
    },
    'extended thinking': {
      model: 'claude-haiku-4-5',
      max_tokens: 3000,
      thinking: { type: 'enabled' as const, budget_tokens: 1024 },
      messages: [{ role: 'user' as const, content: text(200) }],
    },
  };
  for (const [name, body] of Object.entries(BODIES)) {
    it(name, async () => {
      const estimate = estimateCost({ provider: 'anthropic', body });
      if (!estimate.priced) throw new Error(estimate.message);
      const before = recorded.length;
      await client.messages.create(body as never);
      const cost = recorded[before]!.costUsd!;
      expect(cost).toBeGreaterThan(0);
      expect(cost).toBeGreaterThanOrEqual(estimate.minUsd);
      expect(cost).toBeLessThanOrEqual(estimate.maxUsd);
    });
  }
});
