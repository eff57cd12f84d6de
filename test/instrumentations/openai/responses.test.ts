/** `responses.create` (JSON and streamed events) and `embeddings.create`, on openai 4.x, 5.x and 6.x. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collect, type Harness, scenario, startHarness, usageHeaders, VERSIONS } from './harness.js';

const REQUEST = { model: 'gpt-4o', input: 'Describe the weather in one line' };
const USAGE = { input: 200, cacheRead: 100, output: 20, reasoning: 0 };
const INCLUSIVE = {
  inputTokens: 300,
  outputTokens: 20,
  cacheReadTokens: 100,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 0,
};
// gpt-4o: $2.50 input, $1.25 cached input, $10 output per million tokens.
const COST = (200 * 2.5 + 100 * 1.25 + 20 * 10) / 1e6;

describe.each(VERSIONS)('openai $major responses.create', ({ OpenAI }) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(OpenAI);
  });
  afterEach(() => h.stop());

  it('JSON: records usage, cost and a "chat gpt-4o" span', async () => {
    const response = await h.client().responses.create(REQUEST, usageHeaders(USAGE));
    expect(response.usage?.input_tokens).toBe(300);
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({
      provider: 'openai',
      apiOperation: 'chat',
      outcome: 'success',
      usage: INCLUSIVE,
    });
    expect(h.recorded[0]?.costUsd).toBeCloseTo(COST, 12);
    expect(h.spans().map((s) => s.name)).toEqual(['chat gpt-4o']);
  });

  it('stream: usage from response.completed; events passed through unchanged', async () => {
    const stream = await h.client().responses.create({ ...REQUEST, stream: true }, usageHeaders(USAGE));
    const events = (await collect(stream)).map((e) => JSON.parse(e) as { type: string });
    expect(events.at(-1)?.type).toBe('response.completed');
    expect(events[0]?.type).toBe('response.created');
    expect(h.calls).toHaveLength(1);
    expect(h.calls[0]).toMatchObject({ outcome: 'success', usage: INCLUSIVE, responseModel: 'gpt-4o' });
  });

  it('stream: a consumer break is aborted without invented usage', async () => {
    const stream = await h.client().responses.create({ ...REQUEST, stream: true });
    let n = 0;
    for await (const _ of stream) if (++n === 3) break;
    expect(h.calls[0]).toMatchObject({ outcome: 'aborted', usageMissingReason: 'stream_aborted' });
    expect(h.calls[0]?.usage).toBeUndefined();
  });

  it('stream: a connection cut mid-stream is aborted', async () => {
    const stream = await h
      .client()
      .responses.create({ ...REQUEST, stream: true }, scenario('cut-mid-stream'));
    await expect(collect(stream)).rejects.toBeInstanceOf(Error);
    await vi.waitFor(() => expect(h.calls).toHaveLength(1));
    expect(h.calls[0]).toMatchObject({ outcome: 'aborted', usageMissingReason: 'stream_aborted' });
  });

  it('stream: usage: null on the final response is stream_no_usage', async () => {
    await collect(await h.client().responses.create({ ...REQUEST, stream: true }, scenario('no-usage')));
    expect(h.calls[0]).toMatchObject({ outcome: 'success', usageMissingReason: 'stream_no_usage' });
    expect(h.calls[0]?.usage).toBeUndefined();
  });

  it('the responses.stream() helper records once', async () => {
    const final = await h.client().responses.stream(REQUEST, usageHeaders(USAGE)).finalResponse();
    expect(final.usage?.output_tokens).toBe(20);
    await vi.waitFor(() => expect(h.calls).toHaveLength(1));
    expect(h.calls[0]?.usage).toEqual(INCLUSIVE);
  });

  it('errors: the SDK error class as error_type', async () => {
    const error = await h
      .client()
      .responses.create(REQUEST, scenario('error-400'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    await vi.waitFor(() => expect(h.calls).toHaveLength(1));
    expect(h.calls[0]).toMatchObject({ outcome: 'error', errorType: 'BadRequestError' });
  });
});

describe.each(VERSIONS)('openai $major embeddings.create', ({ OpenAI }) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(OpenAI);
  });
  afterEach(() => h.stop());

  it('records input tokens, cost and an "embeddings <model>" span', async () => {
    const result = await h
      .client()
      .embeddings.create(
        { model: 'text-embedding-3-small', input: ['alpha', 'beta'] },
        usageHeaders({ input: 1000 }),
      );
    expect(result.data).toHaveLength(2);
    expect(h.calls[0]).toMatchObject({
      apiOperation: 'embeddings',
      outcome: 'success',
      usage: { inputTokens: 1000, outputTokens: 0 },
    });
    // text-embedding-3-small: $0.02 per million input tokens.
    expect(h.recorded[0]?.costUsd).toBeCloseTo(1000 * 0.02e-6, 12);
    expect(h.spans().map((s) => s.name)).toEqual(['embeddings text-embedding-3-small']);
  });
});
