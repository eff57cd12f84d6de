/**
 * Streamed chat completions on openai 4.x, 5.x and 6.x: usage injected and its chunk hidden, the
 * caller's chunk sequence identical to an uninstrumented client's, Stream helpers intact, and the
 * outcome of every way a stream can end.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import {
  API_KEY,
  CHAT,
  collect,
  type Harness,
  scenario,
  stable,
  startHarness,
  usageHeaders,
  VERSIONS,
} from './harness.js';

const STREAM = { ...CHAT, stream: true as const };
const USAGE = { input: 12, output: 5 };
const INCLUSIVE = {
  inputTokens: 12,
  outputTokens: 5,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 0,
};

describe.each(VERSIONS)('openai $major chat.completions.create({ stream: true })', ({ OpenAI }) => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(OpenAI);
  });
  afterEach(() => h.stop());

  /** The chunks an uninstrumented client sees for the same request (its own server: same ids). */
  async function bareChunks(body: object, headers: Record<string, string>): Promise<string[]> {
    const fake = await startFakeProvider();
    try {
      const bare = new OpenAI({ baseURL: fake.openaiBaseURL, apiKey: API_KEY, maxRetries: 0 });
      return await collect(await bare.chat.completions.create(body as typeof STREAM, { headers }));
    } finally {
      await fake.stop();
    }
  }

  describe('usage injection', () => {
    it('asks for usage, hides the usage-only chunk and the usage: null fields', async () => {
      const { headers } = usageHeaders(USAGE);
      const chunks = await collect(await h.client().chat.completions.create(STREAM, { headers }));
      expect(h.fake.requests[0]?.stream).toBe(true);
      expect(stable(chunks)).toEqual(stable(await bareChunks(STREAM, headers)));
      expect(chunks.some((c) => c.includes('"usage"'))).toBe(false);
      expect(chunks).toHaveLength(5 + 2);
      expect(h.calls).toHaveLength(1);
      expect(h.calls[0]).toMatchObject({ outcome: 'success', usage: INCLUSIVE, responseModel: 'gpt-4o' });
      expect(h.calls[0]?.usageMissingReason).toBeUndefined();
    });

    it('leaves a caller’s own include_usage alone and shows the usage chunk', async () => {
      const body = { ...STREAM, stream_options: { include_usage: true } };
      const { headers } = usageHeaders(USAGE);
      const chunks = await collect(await h.client().chat.completions.create(body, { headers }));
      expect(stable(chunks)).toEqual(stable(await bareChunks(body, headers)));
      expect(JSON.parse(chunks.at(-1) as string).usage.prompt_tokens).toBe(12);
      expect(h.calls[0]?.usage).toEqual(INCLUSIVE);
    });

    it('respects include_usage: false (stream_no_usage, no fake zeros)', async () => {
      const body = { ...STREAM, stream_options: { include_usage: false } };
      await collect(await h.client().chat.completions.create(body));
      expect(h.calls[0]).toMatchObject({ outcome: 'success', usageMissingReason: 'stream_no_usage' });
      expect(h.calls[0]?.usage).toBeUndefined();
    });

    it('does not inject with injectStreamUsage: false', async () => {
      const off = await startHarness(OpenAI, { telemetry: { injectStreamUsage: false } });
      try {
        const chunks = await collect(await off.client().chat.completions.create(STREAM));
        expect(stable(chunks)).toEqual(stable(await bareChunks(STREAM, {})));
        expect(off.calls[0]).toMatchObject({ outcome: 'success', usageMissingReason: 'stream_no_usage' });
      } finally {
        await off.stop();
      }
    });

    it('records stream_no_usage when the server sends no usage chunk', async () => {
      await collect(await h.client().chat.completions.create(STREAM, scenario('no-usage')));
      expect(h.calls[0]).toMatchObject({ outcome: 'success', usageMissingReason: 'stream_no_usage' });
      expect(h.calls[0]?.usage).toBeUndefined();
    });
  });

  describe('Stream object', () => {
    it('stays the SDK’s Stream; tee() gives both branches the same hidden-usage sequence', async () => {
      const stream = await h.client().chat.completions.create(STREAM, usageHeaders(USAGE));
      expect(stream.constructor.name).toBe('Stream');
      expect(stream.controller).toBeInstanceOf(AbortController);
      const [left, right] = stream.tee();
      const [a, b] = await Promise.all([collect(left), collect(right)]);
      expect(a).toEqual(b);
      expect(a).toHaveLength(7);
      expect(a.some((c) => c.includes('"usage"'))).toBe(false);
      await vi.waitFor(() => expect(h.calls).toHaveLength(1));
      expect(h.calls[0]?.usage).toEqual(INCLUSIVE);
    });

    it('toReadableStream() carries the same chunks and records the usage', async () => {
      const stream = await h.client().chat.completions.create(STREAM, usageHeaders(USAGE));
      const reader = stream.toReadableStream().getReader();
      const decoder = new TextDecoder();
      const lines: string[] = [];
      for (let r = await reader.read(); !r.done; r = await reader.read())
        lines.push(decoder.decode(r.value).trim());
      expect(lines).toHaveLength(7);
      expect(lines.some((l) => l.includes('"usage"'))).toBe(false);
      await vi.waitFor(() => expect(h.calls).toHaveLength(1));
      expect(h.calls[0]?.usage).toEqual(INCLUSIVE);
    });

    it('the stream() helper goes through create once; finalChatCompletion works', async () => {
      const client = h.client();
      const helper = (
        'stream' in client.chat.completions
          ? client.chat.completions
          : (client as never as { beta: { chat: { completions: typeof client.chat.completions } } }).beta.chat
              .completions
      ) as typeof client.chat.completions;
      const runner = helper.stream(CHAT, usageHeaders(USAGE));
      const final = await runner.finalChatCompletion();
      expect(final.choices[0]?.message.content).toBeTruthy();
      await vi.waitFor(() => expect(h.calls).toHaveLength(1));
      expect(h.calls[0]).toMatchObject({ outcome: 'success', usage: INCLUSIVE });
    });
  });

  describe('outcomes', () => {
    it('a consumer break is aborted, with reason stream_aborted and no invented usage', async () => {
      const stream = await h.client().chat.completions.create(STREAM, usageHeaders(USAGE));
      let n = 0;
      for await (const _ of stream) if (++n === 3) break;
      expect(h.calls).toHaveLength(1);
      expect(h.calls[0]).toMatchObject({ outcome: 'aborted', usageMissingReason: 'stream_aborted' });
      expect(h.calls[0]?.usage).toBeUndefined();
    });

    it('an AbortSignal fired mid-stream is aborted', async () => {
      const controller = new AbortController();
      const stream = await h.client().chat.completions.create(STREAM, {
        signal: controller.signal,
        headers: { 'x-fake-chunk-delay-ms': '20' },
      });
      let n = 0;
      const seen = await (async () => {
        for await (const _ of stream) if (++n === 2) controller.abort();
        return n;
      })().catch((e: unknown) => e);
      expect(seen === 2 || seen instanceof Error).toBe(true);
      await vi.waitFor(() => expect(h.calls).toHaveLength(1));
      expect(h.calls[0]).toMatchObject({ outcome: 'aborted', usageMissingReason: 'stream_aborted' });
    });

    it('stream.controller.abort() is aborted', async () => {
      const stream = await h
        .client()
        .chat.completions.create(STREAM, { headers: { 'x-fake-chunk-delay-ms': '20' } });
      let n = 0;
      await (async () => {
        for await (const _ of stream) if (++n === 2) stream.controller.abort();
      })().catch(() => undefined);
      await vi.waitFor(() => expect(h.calls).toHaveLength(1));
      expect(h.calls[0]?.outcome).toBe('aborted');
    });

    it('a connection cut mid-stream is aborted (as the issue defines it); the same error reaches the caller', async () => {
      const stream = await h.client().chat.completions.create(STREAM, scenario('cut-mid-stream'));
      const error = await collect(stream).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      await vi.waitFor(() => expect(h.calls).toHaveLength(1));
      expect(error).not.toBeInstanceOf(OpenAI.APIError);
      expect(h.calls[0]).toMatchObject({ outcome: 'aborted', usageMissingReason: 'stream_aborted' });
      expect(h.calls[0]?.errorType).toBeUndefined();
    });

    it('an in-stream error event is an error with the SDK’s error class', async () => {
      const stream = await h.client().chat.completions.create(STREAM, scenario('error-mid-stream'));
      const error = await collect(stream).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      await vi.waitFor(() => expect(h.calls).toHaveLength(1));
      expect(h.calls[0]).toMatchObject({ outcome: 'error', errorType: 'APIError' });
    });

    it('keeps streaming when recording throws', async () => {
      vi.mocked(h.telemetry.record).mockImplementation(() => {
        throw new Error('boom');
      });
      const chunks = await collect(await h.client().chat.completions.create(STREAM));
      expect(chunks.length).toBeGreaterThan(2);
    });
  });
});
