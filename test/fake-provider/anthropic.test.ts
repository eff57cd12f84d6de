import Anthropic, { type APIError } from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../src/demo/fake-provider/index.js';
import { collect, collectUntilError, promptOf } from './support.js';

let fake: FakeProvider;
let client: Anthropic;

beforeAll(async () => {
  fake = await startFakeProvider({ cacheHitRatio: 0.25, cacheWriteRatio: 0.5 });
  client = new Anthropic({ apiKey: 'sk-ant-dummy', baseURL: fake.anthropicBaseURL, maxRetries: 0 });
});
afterAll(() => fake.stop());

const lastRequest = () => fake.requests.at(-1)!;
const cachedSystem = (ttl?: '1h') => [
  {
    type: 'text' as const,
    text: promptOf(60),
    cache_control: { type: 'ephemeral' as const, ...(ttl ? { ttl } : {}) },
  },
];

describe('Anthropic messages, JSON', () => {
  it('reports input exclusive of cache reads and 5-minute cache writes', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 1024,
      system: cachedSystem(),
      messages: [{ role: 'user', content: promptOf(20) }],
    });
    expect(message.type).toBe('message');
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content).toEqual([{ type: 'text', text: expect.any(String) }]);
    expect(message.usage).toEqual({
      input_tokens: 20,
      cache_read_input_tokens: 20,
      cache_creation_input_tokens: 40,
      cache_creation: { ephemeral_5m_input_tokens: 40, ephemeral_1h_input_tokens: 0 },
      output_tokens: 20,
      service_tier: 'standard',
    });
    expect(message._request_id).toMatch(/^req_/);
    // SDK 1.x sends the API key as a bearer token; either way the value is never recorded.
    expect(lastRequest().headers['authorization']).toBe('[redacted]');
  });

  it('splits 1-hour cache writes apart and takes service_tier from the control header', async () => {
    const message = await client.messages.create(
      {
        model: 'claude-opus-4-1',
        max_tokens: 64,
        system: cachedSystem('1h'),
        messages: [{ role: 'user', content: 'x' }],
      },
      { headers: { 'x-fake-service-tier': 'priority' } },
    );
    expect(message.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: 30,
    });
    expect(message.usage.service_tier).toBe('priority');
  });

  it('no cache writes without a cache_control block', async () => {
    const message = await client.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 64,
      messages: [{ role: 'user', content: promptOf(8) }],
    });
    expect(message.usage).toMatchObject({
      input_tokens: 6,
      cache_read_input_tokens: 2,
      cache_creation_input_tokens: 0,
    });
  });

  it('extended thinking adds a thinking block and counts thinking inside output_tokens', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-6',
      max_tokens: 30,
      thinking: { type: 'enabled', budget_tokens: 16 },
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(message.usage.output_tokens).toBe(30);
    expect(message.usage.output_tokens_details).toEqual({ thinking_tokens: 16 });
    expect(message.stop_reason).toBe('max_tokens');
  });

  it('adaptive thinking reports the configured reasoning tokens', async () => {
    const message = await client.messages.create({
      model: 'claude-opus-4-7',
      max_tokens: 1000,
      thinking: { type: 'adaptive' },
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(message.usage.output_tokens).toBe(84);
    expect(message.usage.output_tokens_details).toEqual({ thinking_tokens: 64 });
  });

  it('rejects a request without max_tokens as the API does', async () => {
    const error = await client.messages
      .create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'x' }] } as never)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as APIError).message).toMatch(/max_tokens: Field required/);
  });
});

/** The smallest streamed request: the scenario headers decide what comes back. */
const STREAM_X: Anthropic.MessageCreateParamsStreaming = {
  model: 'claude-sonnet-4-6',
  max_tokens: 100,
  stream: true,
  messages: [{ role: 'user', content: 'x' }],
};

describe('Anthropic messages, streaming', () => {
  const forced = {
    'x-fake-usage': JSON.stringify({ input: 11, cacheRead: 5, cacheWrite5m: 3, cacheWrite1h: 2, output: 3 }),
  };

  it('sends message_start, content blocks, cumulative message_delta usage, message_stop', async () => {
    const stream = await client.messages.create(STREAM_X, { headers: forced });
    const events = await collect(stream);
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const start = events[0] as Anthropic.RawMessageStartEvent;
    expect(start.message.usage).toEqual({
      input_tokens: 11,
      cache_read_input_tokens: 5,
      cache_creation_input_tokens: 5,
      cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 2 },
      output_tokens: 1,
      service_tier: 'standard',
    });
    const delta = events[6] as Anthropic.RawMessageDeltaEvent;
    expect(delta.usage).toEqual({
      input_tokens: 11,
      cache_read_input_tokens: 5,
      cache_creation_input_tokens: 5,
      output_tokens: 3,
    });
    expect(delta.delta.stop_reason).toBe('end_turn');
  });

  it('sends a ping after the first content_block_start (the SDK iterator hides pings)', async () => {
    const response = await client.messages.create(STREAM_X).asResponse();
    const names = [...(await response.text()).matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names.slice(0, 4)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
    ]);
  });

  it('messages.stream().finalMessage() merges message_start and message_delta usage', async () => {
    const stream = client.messages.stream(
      { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] },
      { headers: forced },
    );
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: texts.join('') }]);
    expect(message.usage).toEqual({
      input_tokens: 11,
      cache_read_input_tokens: 5,
      cache_creation_input_tokens: 5,
      cache_creation: { ephemeral_5m_input_tokens: 3, ephemeral_1h_input_tokens: 2 },
      output_tokens: 3,
      service_tier: 'standard',
    });
  });

  it('streams thinking deltas and a signature before the text block', async () => {
    const message = await client.messages
      .stream({
        model: 'claude-sonnet-4-6',
        max_tokens: 200,
        thinking: { type: 'enabled', budget_tokens: 100 },
        messages: [{ role: 'user', content: 'x' }],
      })
      .finalMessage();
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(message.content[0]).toMatchObject({ signature: expect.stringMatching(/^sig/) });
    expect(message.usage.output_tokens).toBe(84);
    expect(message.usage.output_tokens_details).toEqual({ thinking_tokens: 64 });
  });

  it('no-usage keeps message_start usage and drops usage from message_delta', async () => {
    const stream = await client.messages.create(STREAM_X, { headers: { 'x-fake-scenario': 'no-usage' } });
    const events = await collect(stream);
    const start = events[0] as Anthropic.RawMessageStartEvent;
    const delta = events.find((e) => e.type === 'message_delta');
    expect(start.message.usage.input_tokens).toBeGreaterThan(0);
    expect(delta).not.toHaveProperty('usage');
  });

  it('a cut mid-stream rejects finalMessage() and the raw iterator', async () => {
    const headers = { 'x-fake-scenario': 'cut-mid-stream', 'x-fake-cut-after': '3' };
    const stream = await client.messages.create(STREAM_X, { headers });
    const { items, error } = await collectUntilError(stream);
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
    // the third event sent was a ping, which the SDK does not yield
    expect(items.map((e) => e.type)).toEqual(['message_start', 'content_block_start']);
    const helper = client.messages.stream(
      { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'x' }] },
      { headers },
    );
    await expect(helper.finalMessage()).rejects.toBeInstanceOf(Error);
  });

  it('an in-stream overloaded error is thrown as an APIError', async () => {
    const stream = await client.messages.create(STREAM_X, {
      headers: { 'x-fake-scenario': 'error-mid-stream' },
    });
    const { items, error } = await collectUntilError(stream);
    expect(items).toHaveLength(2);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as APIError).message).toMatch(/overloaded_error/);
  });
});

describe('Anthropic errors', () => {
  const call = (scenario: string) =>
    client.messages
      .create(
        { model: 'claude-sonnet-4-6', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] },
        { headers: { 'x-fake-scenario': scenario } },
      )
      .catch((e: unknown) => e);

  it('429 is a RateLimitError with retry-after and the error body', async () => {
    const error = (await call('error-429')) as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('1');
    expect(error.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });

  it('500 and 529 (overloaded) are InternalServerErrors', async () => {
    const e500 = (await call('error-500')) as APIError;
    const e529 = (await call('error-503')) as APIError;
    expect(e500).toBeInstanceOf(Anthropic.InternalServerError);
    expect(e529).toBeInstanceOf(Anthropic.InternalServerError);
    expect([e500.status, e529.status]).toEqual([500, 529]);
    expect(e529.error).toMatchObject({ error: { type: 'overloaded_error' } });
  });

  it('401 is an AuthenticationError', async () => {
    expect(await call('error-401')).toBeInstanceOf(Anthropic.AuthenticationError);
  });
});
