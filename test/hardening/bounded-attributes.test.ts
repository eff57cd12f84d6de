/**
 * Provider-sent strings are bounded before they reach a span, a label or a log: a response whose
 * `model` is 10 MB used to become a 10 MB `gen_ai.response.model` on every span (40 calls with a
 * collector that never answers: 438 MB of heap). Real SDK clients against a hostile local server.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { boundedText, TEXT_LIMIT } from '../../src/bounded-text.js';
import { errorTypeOf } from '../../src/instrumentations/shared/sdk-errors.js';
import {
  API_KEY,
  CHAT,
  collect,
  type Harness,
  startHarness,
  until,
} from '../instrumentations/openai/harness.js';

const HUGE = `gpt-4o-${'x'.repeat(10 * 1024 * 1024)}`;
/** 1 MB where a call is repeated or streamed (the SDK's SSE parsing of a 10 MB line takes seconds). */
const LARGE = `gpt-4o-${'y'.repeat(1024 * 1024)}`;
const ESCAPES = 'gpt-4o\u001b]0;pwned\u0007\u001b[2J\u202e';

describe('boundedText', () => {
  it('passes ordinary values unchanged (same string)', () => {
    const model = 'gpt-4o-2024-08-06';
    expect(boundedText(model)).toBe(model);
    expect(boundedText('claude-sonnet-4-5@20250929')).toBe('claude-sonnet-4-5@20250929');
  });

  it('cuts at 256 code units, ending in …', () => {
    const text = boundedText('a'.repeat(300)) as string;
    expect(TEXT_LIMIT).toBe(256);
    expect(text).toHaveLength(256);
    expect(text).toBe(`${'a'.repeat(255)}…`);
    expect(boundedText('b'.repeat(256))).toBe('b'.repeat(256));
  });

  it('never splits a surrogate pair', () => {
    // 254 ASCII + an emoji (2 code units) at positions 254–255: the cut at 255 would halve it.
    const text = boundedText(`${'a'.repeat(254)}😀${'z'.repeat(10)}`) as string;
    expect(text).toBe(`${'a'.repeat(254)}…`);
  });

  it('replaces control characters, separators and bidi overrides', () => {
    expect(boundedText(ESCAPES)).toBe('gpt-4o\uFFFD]0;pwned\uFFFD\uFFFD[2J\uFFFD');
    expect(boundedText('a\nb\u2028c\u0085d')).toBe('a\uFFFDb\uFFFDc\uFFFDd');
  });

  it('non-strings and empty strings give undefined', () => {
    expect(boundedText(42)).toBeUndefined();
    expect(boundedText({ toString: () => 'x' })).toBeUndefined();
    expect(boundedText('')).toBeUndefined();
  });

  it('error types from a huge or hostile error name are bounded', () => {
    expect(errorTypeOf({ name: 'E'.repeat(100_000) })).toHaveLength(256);
    expect(errorTypeOf({ name: 'Bad\u001b[31mError' })).toBe('Bad\uFFFD[31mError');
  });
});

/** What the hostile server answers: a chat completion / Anthropic message with `model`. */
let model = HUGE;
let server: Server;
let baseURL: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => {
      text += c;
    });
    req.on('end', () => {
      const body = JSON.parse(text) as { stream?: boolean };
      if (req.url?.includes('/messages')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model,
            content: [{ type: 'text', text: 'hi' }],
            stop_reason: 'end_turn',
            usage: { input_tokens: 10, output_tokens: 2, service_tier: model },
          }),
        );
        return;
      }
      const usage = { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 };
      if (body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = (extra: object) =>
          `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model, ...extra })}\n\n`;
        res.end(
          chunk({ choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }] }) +
            chunk({ choices: [], usage }) +
            'data: [DONE]\n\n',
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'c',
          object: 'chat.completion',
          created: 0,
          model,
          service_tier: model,
          choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
          usage,
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.close();
  await once(server, 'close');
});

describe('a 10 MB model in a response (real SDK clients)', () => {
  let h: Harness;
  beforeEach(async () => {
    model = HUGE;
    h = await startHarness(OpenAI);
  });
  afterEach(() => h.stop());

  const openai = () =>
    h.telemetry.instrument(new OpenAI({ baseURL: `${baseURL}/v1`, apiKey: API_KEY, maxRetries: 0 }));

  function attributeChars(): number {
    let total = 0;
    for (const span of h.spans()) {
      for (const value of Object.values(span.attributes))
        if (typeof value === 'string') total += value.length;
    }
    return total;
  }

  it('OpenAI chat JSON: gen_ai.response.model and the service tier are bounded', async () => {
    const result = await openai().chat.completions.create(CHAT);
    expect(result.model).toBe(HUGE); // the caller's response is untouched
    await until(() => h.calls.length === 1);
    const attributes = h.spans()[0]?.attributes ?? {};
    expect(attributes['gen_ai.response.model']).toBe(`${HUGE.slice(0, 255)}…`);
    expect(String(attributes['gen_ai.openai.response.service_tier'])).toHaveLength(256);
    expect(h.calls[0]?.responseModel).toHaveLength(256);
  });

  it('OpenAI chat stream: bounded the same way', async () => {
    model = LARGE;
    await collect(await openai().chat.completions.create({ ...CHAT, stream: true }));
    await until(() => h.calls.length === 1);
    expect(h.spans()[0]?.attributes['gen_ai.response.model']).toBe(`${LARGE.slice(0, 255)}…`);
  });

  it('Anthropic messages: bounded the same way', async () => {
    const client = h.telemetry.instrument(new Anthropic({ baseURL, apiKey: API_KEY, maxRetries: 0 }));
    await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await until(() => h.calls.length === 1);
    expect(h.spans()[0]?.attributes['gen_ai.response.model']).toBe(`${HUGE.slice(0, 255)}…`);
  });

  it('40 calls keep kilobytes, not 40 MB, of strings on their spans', async () => {
    model = LARGE;
    const client = openai();
    for (let i = 0; i < 40; i++) await client.chat.completions.create(CHAT);
    await until(() => h.spans().length === 40);
    // Per span: a handful of short attributes plus two bounded 256-character ones.
    expect(attributeChars()).toBeLessThan(40 * 1024);
  });

  it('escape sequences in the model become U+FFFD on the span', async () => {
    model = ESCAPES;
    await openai().chat.completions.create(CHAT);
    await until(() => h.calls.length === 1);
    expect(h.spans()[0]?.attributes['gen_ai.response.model']).toBe(
      'gpt-4o\uFFFD]0;pwned\uFFFD\uFFFD[2J\uFFFD',
    );
  });
});
