/**
 * A strict OpenAI-compatible server (older vLLM, some gateways) answers an unknown request field
 * with `400 Unrecognized request argument supplied: stream_options`. The bare client works there;
 * the instrumented one must too: usage is only requested from endpoints known to accept it
 * (or listed by the user), and a stream without it is counted, with one warning per endpoint.
 */
import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acceptsStreamUsage, hostMatches } from '../../../src/instrumentations/openai/stream-usage-hosts.js';
import { type ScriptedServer, startScriptedServer } from '../support/scripted-server.js';
import { API_KEY, CHAT, collect, type Harness, startHarness, until, VERSIONS } from './harness.js';

const ALLOWED = new Set(['model', 'messages', 'stream', 'max_tokens', 'temperature']);

/** Bodies the strict server received, in order. */
const received: Array<Record<string, unknown>> = [];
let server: ScriptedServer;
let baseURL: string;

function chunk(delta: object, finish: string | null): string {
  const body = {
    id: 'chatcmpl-strict',
    object: 'chat.completion.chunk',
    created: 0,
    model: 'llama-3-8b',
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

beforeAll(async () => {
  server = await startScriptedServer((body, res) => {
    received.push(body);
    const unknown = Object.keys(body).find((k) => !ALLOWED.has(k));
    if (unknown !== undefined) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: `Unrecognized request argument supplied: ${unknown}`,
            type: 'invalid_request_error',
            param: null,
            code: null,
          },
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(`${chunk({ role: 'assistant', content: 'Hi' }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`);
  });
  baseURL = `${server.url}/v1`;
});

afterAll(() => server.close());

const warnings: string[] = [];
beforeEach(() => {
  received.length = 0;
  warnings.length = 0;
  const capture = (...args: unknown[]) => warnings.push(args.join(' '));
  const logger: DiagLogger = { error: capture, warn: capture, info() {}, debug() {}, verbose() {} };
  diag.setLogger(logger, DiagLogLevel.WARN);
});
afterEach(() => diag.disable());

const STREAM = { ...CHAT, stream: true as const };

describe.each(VERSIONS)(
  'openai $major against a strict server that rejects stream_options',
  ({ OpenAI, AzureOpenAI }) => {
    let h: Harness;
    afterEach(() => h.stop());

    it('bare and instrumented clients both succeed; the request is unchanged', async () => {
      h = await startHarness(OpenAI, { telemetry: { openaiStreamUsageHosts: [] } });
      const bare = new OpenAI({ baseURL, apiKey: API_KEY, maxRetries: 0 });
      const bareChunks = await collect(await bare.chat.completions.create(STREAM));
      const client = h.telemetry.instrument(new OpenAI({ baseURL, apiKey: API_KEY, maxRetries: 0 }));
      const chunks = await collect(await client.chat.completions.create(STREAM));

      expect(chunks).toEqual(bareChunks);
      expect(received).toHaveLength(2);
      expect(received[1]).toEqual(received[0]);
      expect(received[1]).not.toHaveProperty('stream_options');
      await until(() => h.calls.length === 1);
      expect(h.calls[0]).toMatchObject({
        outcome: 'success',
        usageMissingReason: 'stream_usage_not_requested',
      });
      expect(h.calls[0]?.usage).toBeUndefined();
    });

    it('says once per endpoint why usage is missing', async () => {
      h = await startHarness(OpenAI, { telemetry: { openaiStreamUsageHosts: [] } });
      const client = h.telemetry.instrument(new OpenAI({ baseURL, apiKey: API_KEY, maxRetries: 0 }));
      for (let i = 0; i < 3; i++) await collect(await client.chat.completions.create(STREAM));
      await until(() => h.calls.length === 3);
      const port = new URL(baseURL).port;
      const mine = warnings.filter((w) => w.includes(`127.0.0.1:${port} carry no usage`));
      expect(mine).toHaveLength(1);
      expect(mine[0]).toContain('openaiStreamUsageHosts');
      expect(h.calls.every((c) => c.usageMissingReason === 'stream_usage_not_requested')).toBe(true);
    });

    it('with the host opted in, the request carries stream_options (the user chose it)', async () => {
      h = await startHarness(OpenAI, { telemetry: { openaiStreamUsageHosts: ['127.0.0.1'] } });
      const client = h.telemetry.instrument(new OpenAI({ baseURL, apiKey: API_KEY, maxRetries: 0 }));
      await expect(client.chat.completions.create(STREAM)).rejects.toThrow(
        /Unrecognized request argument supplied: stream_options/,
      );
      expect(received[0]?.stream_options).toEqual({ include_usage: true });
    });

    it('an AzureOpenAI client on an api-version before 2024-08-01 is not changed either', async () => {
      h = await startHarness(OpenAI, { telemetry: { openaiStreamUsageHosts: [] } });
      const endpoint = baseURL.replace(/\/v1$/, '');
      const azure = new AzureOpenAI({
        endpoint,
        apiKey: API_KEY,
        apiVersion: '2024-06-01',
        deployment: 'gpt-4o',
        maxRetries: 0,
      });
      await collect(await h.telemetry.instrument(azure).chat.completions.create(STREAM));
      expect(received[0]).not.toHaveProperty('stream_options');
      await until(() => h.calls.length === 1);
      expect(h.calls[0]).toMatchObject({
        outcome: 'success',
        usageMissingReason: 'stream_usage_not_requested',
      });
    });

    it('a caller’s own stream_options is sent as written, whatever the host', async () => {
      h = await startHarness(OpenAI, { telemetry: { openaiStreamUsageHosts: [] } });
      const client = h.telemetry.instrument(new OpenAI({ baseURL, apiKey: API_KEY, maxRetries: 0 }));
      await expect(
        client.chat.completions.create({ ...STREAM, stream_options: { include_usage: true } }),
      ).rejects.toThrow(/stream_options/);
      expect(received[0]?.stream_options).toEqual({ include_usage: true });
    });
  },
);

describe('which endpoints are asked for streamed usage', () => {
  const at = (host: string, port = '443', azure = false) => ({
    serverAddress: host,
    serverPort: port,
    azure,
  });

  it.each([
    ['api.openai.com', true],
    ['API.OPENAI.COM', true],
    ['myres.openai.azure.com', true],
    ['openrouter.ai', true],
    ['eu.openrouter.ai', true],
    ['api.deepseek.com', true],
    ['generativelanguage.googleapis.com', true],
    ['localhost', false],
    ['127.0.0.1', false],
    ['api.openai.com.evil.example', false],
    ['evilopenrouter.ai', false],
    ['vllm.internal', false],
  ])('%s → %s with no user list', (host, expected) => {
    expect(acceptsStreamUsage(at(host), [])).toBe(expected);
  });

  it('an AzureOpenAI client is judged by its api-version, whatever its host', () => {
    const azure = (apiVersion: string | undefined) => ({
      ...at('gateway.corp', '8443', true),
      azureApiVersion: apiVersion,
    });
    expect(acceptsStreamUsage(azure('2024-10-21'), [])).toBe(true);
    expect(acceptsStreamUsage(azure('2024-08-01-preview'), [])).toBe(true);
    expect(acceptsStreamUsage(azure('2025-04-01-preview'), [])).toBe(true);
    expect(acceptsStreamUsage(azure('preview'), [])).toBe(true);
    // Versions that answer 400 Unrecognized request argument supplied: stream_options.
    expect(acceptsStreamUsage(azure('2024-06-01'), [])).toBe(false);
    expect(acceptsStreamUsage(azure('2024-05-01-preview'), [])).toBe(false);
    expect(acceptsStreamUsage(azure('2023-05-15'), [])).toBe(false);
    // Also on an Azure host name: the version decides for an AzureOpenAI client.
    expect(
      acceptsStreamUsage({ ...at('res.openai.azure.com', '443', true), azureApiVersion: '2024-02-01' }, []),
    ).toBe(false);
    // The user's list wins.
    expect(acceptsStreamUsage(azure('2024-02-01'), ['gateway.corp'])).toBe(true);
  });

  it('user patterns: host, host:port, *.domain, *', () => {
    expect(acceptsStreamUsage(at('llm.internal', '8000'), ['llm.internal'])).toBe(true);
    expect(acceptsStreamUsage(at('llm.internal', '8000'), ['llm.internal:8000'])).toBe(true);
    expect(acceptsStreamUsage(at('llm.internal', '8001'), ['llm.internal:8000'])).toBe(false);
    expect(acceptsStreamUsage(at('a.llm.corp'), ['*.llm.corp'])).toBe(true);
    expect(acceptsStreamUsage(at('llm.corp'), ['*.llm.corp'])).toBe(false);
    expect(acceptsStreamUsage(at('anything.example'), ['*'])).toBe(true);
    expect(hostMatches('[::1]:8000', '[::1]', '8000')).toBe(true);
  });
});
