/**
 * 20,000 streams broken off after 3 chunks: every call ends (aborted, one record each), no span is
 * left open, and the heap settles back near where it started. The SSE body is recorded once from
 * the fake provider and replayed through the SDK's `fetch` option, so the run measures our wrapper
 * and the SDK, not 20,000 TCP connections.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../../src/demo/fake-provider/types.js';
import type { LLMTelemetry } from '../../../src/telemetry.js';
import { makeTelemetry } from '../../support/telemetry.js';
import { OpenSpans } from '../support/capture.js';

const STREAMS = 20_000;
const CONCURRENCY = 32;

// A real collection before each reading (vitest's worker is not started with --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage().heapUsed;
}

describe('leak', () => {
  let fake: FakeProvider;
  let telemetry: LLMTelemetry;
  let sse: string;
  const spans = new OpenSpans();
  beforeAll(async () => {
    fake = await startFakeProvider({ outputTokens: 10, maxRecordedRequests: 10 });
    const recorded = await fetch(`${fake.openaiBaseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer k' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'count' }], stream: true }),
    });
    sse = await recorded.text();
    telemetry = makeTelemetry({
      prometheus: false,
      tracerProvider: new BasicTracerProvider({ spanProcessors: [spans] }),
    });
  });
  afterAll(async () => {
    await telemetry.shutdown();
    await fake.stop();
  });

  it(`${STREAMS} streams broken off after 3 chunks leave no open span and a settled heap`, async () => {
    const replay = async () => new Response(sse, { headers: { 'content-type': 'text/event-stream' } });
    const client = telemetry.instrument(
      new OpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'k', maxRetries: 0, fetch: replay }),
    );
    expect(sse.split('data: ').length - 1).toBeGreaterThan(5);
    const body = {
      model: 'gpt-4o',
      messages: [{ role: 'user' as const, content: 'count to ten' }],
      stream: true as const,
    };
    const one = async () => {
      const stream = await client.chat.completions.create(body);
      let n = 0;
      for await (const _ of stream) if (++n === 3) break;
    };
    const batch = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < count) {
            next++;
            await one();
          }
        }),
      );
    };
    await batch(1000); // warm-up: connection pool, JIT, metric series
    const before = await settledHeap();
    await batch(STREAMS - 1000);
    const after = await settledHeap();

    expect(spans.open).toBe(0);
    expect(spans.ended).toBe(STREAMS);
    const total = telemetry.summary().total;
    expect(total).toMatchObject({ requests: STREAMS, aborted: STREAMS });
    // Bounded: a leak of even ~1 KiB per stream would be ~19 MiB.
    console.log(
      `heap: ${((after - before) / 1024 / 1024).toFixed(2)} MiB after ${STREAMS - 1000} more streams`,
    );
    expect(after - before).toBeLessThan(8 * 1024 * 1024);
  }, 60_000);

  it('a stream dropped without being read ends as aborted (stream_abandoned) once collected', async () => {
    const replay = async () => new Response(sse, { headers: { 'content-type': 'text/event-stream' } });
    const client = telemetry.instrument(
      new OpenAI({ baseURL: fake.openaiBaseURL, apiKey: 'k', fetch: replay }),
    );
    const reasons: Array<string | undefined> = [];
    const record = telemetry.record.bind(telemetry);
    telemetry.record = (call) => {
      reasons.push(call.usageMissingReason);
      return record(call);
    };
    const openBefore = spans.open;
    for (let i = 0; i < 50; i++) {
      await client.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
      });
    }
    expect(spans.open).toBe(openBefore + 50);
    for (let i = 0; i < 50 && reasons.length < 50; i++) await settledHeap();
    expect(reasons).toEqual(Array(50).fill('stream_abandoned'));
    expect(spans.open).toBe(openBefore);
  });
});
