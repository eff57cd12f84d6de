/**
 * A stream the caller drops without reading ends its call once it is collected — aborted, with
 * `llm_usage_missing_total{reason="stream_abandoned"}` — for every SDK the shared stream
 * observation serves (the OpenAI case, at volume, is in openai/leak.test.ts): no span left open.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { describe, expect, it } from 'vitest';
import { instrumentAnthropic } from '../../src/instrumentations/anthropic/index.js';
import { instrumentGemini } from '../../src/instrumentations/gemini/index.js';
import { captureRecords, until } from './support/capture.js';
import { useSdkSuite } from './support/sdk-harness.js';

// A real collection (vitest's worker is not started with --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const h = useSdkSuite();
const COUNT = 20;

/** Collect until `count` calls were recorded (finalizers run after a collection, in a later task). */
async function collectedInto(calls: readonly unknown[], count: number): Promise<void> {
  await until(() => {
    gc();
    return calls.length >= count;
  }, 10_000);
}

describe('streams dropped unread', () => {
  it('Anthropic messages.create({ stream: true })', async () => {
    const sse = await (
      await fetch(`${h.fake.anthropicBaseURL}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 16, messages: [], stream: true }),
      })
    ).text();
    const replay = async () => new Response(sse, { headers: { 'content-type': 'text/event-stream' } });
    const client = instrumentAnthropic(
      h.telemetry,
      new Anthropic({ apiKey: 'k', baseURL: h.fake.anthropicBaseURL, maxRetries: 0, fetch: replay }),
    );
    const { calls } = captureRecords(h.telemetry);
    for (let i = 0; i < COUNT; i++) {
      await client.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages: [], stream: true });
    }
    await collectedInto(calls, COUNT);
    expect(calls.map((c) => [c.outcome, c.usageMissingReason])).toEqual(
      Array(COUNT).fill(['aborted', 'stream_abandoned']),
    );
    expect(h.ourSpans()).toHaveLength(COUNT);
  });

  it('Google GenAI models.generateContentStream()', async () => {
    const ai = instrumentGemini(
      h.telemetry,
      new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: h.fake.geminiBaseURL } }),
    );
    const { calls } = captureRecords(h.telemetry);
    for (let i = 0; i < COUNT; i++) {
      await ai.models.generateContentStream({ model: 'gemini-2.0-flash', contents: 'hi' });
    }
    await collectedInto(calls, COUNT);
    expect(calls.map((c) => [c.outcome, c.usageMissingReason])).toEqual(
      Array(COUNT).fill(['aborted', 'stream_abandoned']),
    );
    expect(h.ourSpans()).toHaveLength(COUNT);
  });
});
