/**
 * The real cost of a call lies inside the range `estimateCost` gave for its request body: the real
 * `openai` client against the fake provider (which counts prompt tokens from the text and plans
 * output, cache hits and reasoning itself), measured by this library.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCost } from '../../src/advice/estimate.js';
import { type FakeProvider, startFakeProvider } from '../../src/fake-provider/index.js';
import { instrumentAnthropic } from '../../src/instrumentations/anthropic/index.js';
import type { RecordedCall } from '../../src/record/recorder.js';
import { type Harness as AnthropicHarness, createHarness } from '../instrumentations/anthropic/harness.js';
import { type Harness, startHarness } from '../instrumentations/openai/harness.js';

let h: Harness;
beforeAll(async () => {
  // A third of every prompt served from the cache, so the low end of the range is exercised.
  h = await startHarness(OpenAI as never, { fake: { cacheHitRatio: 0.33 } });
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
    // cost more than input ($1), so the estimate's upper bound must use the write rate.
    fake = await startFakeProvider({ cacheHitRatio: 0, cacheWriteRatio: 1 });
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
