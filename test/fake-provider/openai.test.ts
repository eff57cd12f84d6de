import OpenAI, { type APIError, AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../src/demo/fake-provider/index.js';
import { collect, collectUntilError, promptOf } from './support.js';

let fake: FakeProvider;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeProvider({ cacheHitRatio: 0.5, responseModels: { 'gpt-4o': 'gpt-4o-2024-08-06' } });
  client = new OpenAI({ apiKey: 'sk-test-dummy', baseURL: fake.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => fake.stop());

const lastRequest = () => fake.requests.at(-1)!;

describe('OpenAI chat completions, JSON', () => {
  it('returns a chat.completion with inclusive usage (cached within prompt)', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: promptOf(40) }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-4o-2024-08-06');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.content?.split(' ')).toHaveLength(20);
    expect(completion.usage).toEqual({
      prompt_tokens: 40,
      completion_tokens: 20,
      total_tokens: 60,
      prompt_tokens_details: { cached_tokens: 20, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    });
    expect(completion._request_id).toMatch(/^req_/);
  });

  it('counts reasoning tokens inside completion_tokens for reasoning models, capped by max_completion_tokens', async () => {
    const completion = await client.chat.completions.create({
      model: 'o4-mini',
      messages: [{ role: 'user', content: promptOf(8) }],
      max_completion_tokens: 70,
    });
    expect(completion.usage?.completion_tokens).toBe(70);
    expect(completion.usage?.completion_tokens_details?.reasoning_tokens).toBe(64);
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.choices[0]?.message.content?.split(' ')).toHaveLength(6);
  });

  it('reports exactly the usage forced by x-fake-usage', async () => {
    const completion = await client.chat.completions.create(
      { model: 'gpt-5', messages: [{ role: 'user', content: 'hi' }] },
      {
        headers: { 'x-fake-usage': JSON.stringify({ input: 100, cacheRead: 900, output: 3, reasoning: 7 }) },
      },
    );
    expect(completion.usage).toMatchObject({
      prompt_tokens: 1000,
      completion_tokens: 10,
      total_tokens: 1010,
      prompt_tokens_details: { cached_tokens: 900 },
      completion_tokens_details: { reasoning_tokens: 7 },
    });
    expect(completion.choices[0]?.message.content?.split(' ')).toHaveLength(3);
  });

  it('leaves usage out under no-usage', async () => {
    const completion = await client.chat.completions.create(
      { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-fake-scenario': 'no-usage' } },
    );
    expect(completion.usage).toBeUndefined();
    expect(lastRequest().usage?.output).toBe(20);
  });
});

describe('OpenAI chat completions, streaming', () => {
  const forced = { 'x-fake-usage': JSON.stringify({ input: 10, output: 3 }) };

  it('without include_usage sends role, content and finish chunks, no usage anywhere', async () => {
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] },
      { headers: forced },
    );
    const chunks = await collect(stream);
    expect(chunks.map((c) => c.object)).toEqual(Array(5).fill('chat.completion.chunk'));
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '', refusal: null },
      { content: expect.any(String) },
      { content: expect.stringMatching(/^ /) },
      { content: expect.stringMatching(/^ /) },
      {},
    ]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason)).toEqual([null, null, null, null, 'stop']);
    expect(chunks.every((c) => !('usage' in c))).toBe(true);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  /** A streamed chat call asking for usage; the headers pick the fake provider's scenario. */
  const streamWithUsage = async (model: string, headers: Record<string, string>) =>
    collect(
      await client.chat.completions.create(
        {
          model,
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'x' }],
        },
        { headers },
      ),
    );

  it('with include_usage adds a final usage-only chunk (choices: []) and usage: null on the others', async () => {
    const chunks = await streamWithUsage('gpt-4o-mini', forced);
    expect(chunks).toHaveLength(6);
    expect(chunks.slice(0, 5).every((c) => c.usage === null && c.choices.length === 1)).toBe(true);
    expect(chunks[5]?.choices).toEqual([]);
    expect(chunks[5]?.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 3, total_tokens: 13 });
  });

  it('no-usage drops the usage chunk even when asked for', async () => {
    const chunks = await streamWithUsage('gpt-4o', { 'x-fake-scenario': 'no-usage' });
    expect(chunks.some((c) => c.choices.length === 0)).toBe(false);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('works with the chat.completions.stream helper and its finalChatCompletion()', async () => {
    const stream = client.chat.completions.stream(
      {
        model: 'gpt-4o',
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: promptOf(12) }],
      },
      { headers: forced },
    );
    const deltas: string[] = [];
    stream.on('content', (delta) => deltas.push(delta));
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe(deltas.join(''));
    expect(final.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 3 });
  });

  it('a cut mid-stream surfaces an error from the iterator after the chunks before the cut', async () => {
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-fake-scenario': 'cut-mid-stream', 'x-fake-cut-after': '2' } },
    );
    const { items, error } = await collectUntilError(stream);
    expect(items).toHaveLength(2);
    // undici's own error (cause UND_ERR_SOCKET), not an SDK error class
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
    expect(lastRequest().outcome).toBe('cut');
  });

  it('an in-stream error event is thrown as an APIError', async () => {
    const stream = await client.chat.completions.create(
      { model: 'gpt-4o', stream: true, messages: [{ role: 'user', content: 'hi' }] },
      { headers: { 'x-fake-scenario': 'error-mid-stream' } },
    );
    const { items, error } = await collectUntilError(stream);
    expect(items).toHaveLength(3);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as APIError).message).toMatch(/server had an error/);
  });
});

describe('OpenAI errors', () => {
  it('429 is a RateLimitError carrying retry-after and the error body', async () => {
    const error = await client.chat.completions
      .create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-fake-scenario': 'error-429' } },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.headers.get('retry-after')).toBe('1');
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.type).toBe('requests');
  });

  it('500 is an InternalServerError', async () => {
    const error = await client.responses
      .create({ model: 'gpt-4o', input: 'hi' }, { headers: { 'x-fake-scenario': 'error-500' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as APIError).status).toBe(500);
  });

  it('400 and 401 map to BadRequestError and AuthenticationError', async () => {
    const call = (scenario: string) =>
      client.embeddings
        .create({ model: 'text-embedding-3-small', input: 'x' }, { headers: { 'x-fake-scenario': scenario } })
        .catch((e: unknown) => e);
    expect(await call('error-400')).toBeInstanceOf(OpenAI.BadRequestError);
    expect(await call('error-401')).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('the SDK retries a 429 once per attempt and every attempt is recorded', async () => {
    const retrying = new OpenAI({ apiKey: 'sk-test-dummy', baseURL: fake.openaiBaseURL, maxRetries: 1 });
    const before = fake.requests.length;
    const error = await retrying.chat.completions
      .create(
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] },
        { headers: { 'x-fake-scenario': 'error-429' } },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(fake.requests.slice(before).map((r) => r.status)).toEqual([429, 429]);
  });
});

describe('OpenAI responses', () => {
  it('JSON: output message, usage with cached and reasoning details', async () => {
    const response = await client.responses.create({
      model: 'gpt-5-mini',
      input: [{ role: 'user', content: promptOf(30) }],
      instructions: promptOf(10),
    });
    expect(response.object).toBe('response');
    expect(response.status).toBe('completed');
    expect(response.output.map((o) => o.type)).toEqual(['reasoning', 'message']);
    expect(response.output_text.split(' ')).toHaveLength(20);
    expect(response.usage).toEqual({
      input_tokens: 40,
      input_tokens_details: { cached_tokens: 20 },
      output_tokens: 84,
      output_tokens_details: { reasoning_tokens: 64 },
      total_tokens: 124,
    });
  });

  it('SSE: response.created … output_text.delta … response.completed with usage', async () => {
    const stream = await client.responses.create(
      { model: 'gpt-4o', input: 'hi', stream: true },
      { headers: { 'x-fake-usage': JSON.stringify({ input: 5, cacheRead: 2, output: 2 }) } },
    );
    const events = await collect(stream);
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response.usage).toEqual({
      input_tokens: 7,
      input_tokens_details: { cached_tokens: 2 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 9,
    });
    const created = events[0] as OpenAI.Responses.ResponseCreatedEvent;
    expect(created.response.usage).toBeNull();
  });

  it('the responses.stream helper accumulates the final response', async () => {
    const stream = client.responses.stream({ model: 'o3', input: promptOf(4), max_output_tokens: 66 });
    const final = await stream.finalResponse();
    expect(final.status).toBe('incomplete');
    expect(final.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(final.output_text.split(' ')).toHaveLength(2);
    expect(final.usage?.output_tokens_details.reasoning_tokens).toBe(64);
    expect(final.usage?.output_tokens).toBe(66);
  });

  it('a mid-stream failure arrives as a response.failed event', async () => {
    const stream = await client.responses.create(
      { model: 'gpt-4o', input: 'hi', stream: true },
      { headers: { 'x-fake-scenario': 'error-mid-stream', 'x-fake-cut-after': '5' } },
    );
    const events = await collect(stream);
    expect(events.map((e) => e.type).slice(-2)).toEqual(['response.output_text.delta', 'response.failed']);
  });
});

describe('OpenAI embeddings', () => {
  it('decodes the default base64 encoding into unit vectors and reports prompt usage', async () => {
    const result = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: [promptOf(3), promptOf(5)],
    });
    expect(lastRequest().headers['content-type']).toBe('application/json');
    expect(result.data).toHaveLength(2);
    const vector = result.data[0]!.embedding;
    expect(vector).toHaveLength(1536);
    expect(Math.hypot(...vector)).toBeCloseTo(1, 4);
    expect(result.usage).toEqual({ prompt_tokens: 8, total_tokens: 8 });
  });

  it('returns float arrays when asked, with the requested dimensions, deterministically', async () => {
    const params = {
      model: 'text-embedding-3-large',
      input: 'same',
      dimensions: 8,
      encoding_format: 'float' as const,
    };
    const a = await client.embeddings.create(params);
    const b = await client.embeddings.create(params);
    expect(a.data[0]?.embedding).toHaveLength(8);
    expect(a.data[0]?.embedding).toEqual(b.data[0]?.embedding);
  });
});

describe('Azure OpenAI', () => {
  it('serves /openai/deployments/{deployment}/chat/completions?api-version with content-filter fields', async () => {
    const azure = new AzureOpenAI({
      endpoint: fake.azureEndpoint,
      apiKey: 'azure-dummy-key',
      apiVersion: '2024-10-21',
      deployment: 'prod-gpt4o',
      maxRetries: 0,
    });
    const completion = await azure.chat.completions.create({
      model: 'ignored',
      messages: [{ role: 'user', content: promptOf(4) }],
    });
    expect(lastRequest().path).toBe('/openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21');
    expect(lastRequest().headers['api-key']).toBe('[redacted]');
    expect(completion.model).toBe('prod-gpt4o');
    expect(completion.usage?.prompt_tokens).toBe(4);
    expect(completion).toHaveProperty('prompt_filter_results');
  });

  it('opens an Azure stream with a choices-less prompt-filter chunk', async () => {
    const azure = new AzureOpenAI({
      endpoint: fake.azureEndpoint,
      apiKey: 'k',
      apiVersion: '2024-10-21',
      maxRetries: 0,
    });
    const stream = await azure.chat.completions.create({
      model: 'my-deployment',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    });
    const chunks = await collect(stream);
    expect(lastRequest().path).toBe(
      '/openai/deployments/my-deployment/chat/completions?api-version=2024-10-21',
    );
    expect(chunks[0]).toMatchObject({ choices: [], id: '', model: '' });
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(20);
  });
});
