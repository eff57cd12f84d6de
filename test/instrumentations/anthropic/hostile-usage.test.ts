/**
 * A provider whose usage object is malformed (negative counts) is counted as `invalid` — not as
 * merely `missing` — through the real Anthropic SDK, JSON and streaming alike.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentAnthropic } from '../../../src/instrumentations/anthropic/index.js';
import { METRIC } from '../../../src/metrics/names.js';
import { nonZeroSamples } from '../../support/telemetry.js';
import { type ScriptedServer, startScriptedServer } from '../support/scripted-server.js';
import { createHarness } from '../support/sdk-harness.js';

const BAD_USAGE = { input_tokens: -5, output_tokens: 10 };
const MESSAGE = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-haiku-4-5',
  content: [{ type: 'text', text: 'ok' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: BAD_USAGE,
};

let server: ScriptedServer;
const h = createHarness();
beforeAll(async () => {
  server = await startScriptedServer((body, res) => {
    if (body.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const event = (type: string, data: object) =>
        `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
      res.end(
        event('message_start', { message: { ...MESSAGE, content: [], usage: BAD_USAGE } }) +
          event('message_delta', { delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 10 } }) +
          event('message_stop', {}),
      );
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(MESSAGE));
    }
  });
});
afterAll(async () => {
  await h.shutdown();
  await server.close();
});

describe('negative usage from Anthropic', () => {
  it.each([false, true])(
    'stream %s: llm_usage_missing_total{reason="invalid"}, no tokens or cost',
    async (stream) => {
      const client = instrumentAnthropic(
        h.telemetry,
        new Anthropic({ apiKey: 'k', baseURL: server.url, maxRetries: 0 }),
      );
      const body = {
        model: 'claude-haiku-4-5',
        max_tokens: 64,
        messages: [{ role: 'user' as const, content: 'hi' }],
      };
      if (stream) {
        for await (const _ of await client.messages.create({ ...body, stream: true })) {
          // drain
        }
      } else {
        await client.messages.create(body);
      }
      const text = h.telemetry.metrics();
      expect(nonZeroSamples(text, METRIC.usageMissing)).toEqual([
        `${METRIC.usageMissing}{gen_ai_provider_name="anthropic",gen_ai_request_model="claude-haiku-4-5",reason="invalid"} ${stream ? 2 : 1}`,
      ]);
      expect(nonZeroSamples(text, METRIC.tokens)).toEqual([]);
    },
  );
});
