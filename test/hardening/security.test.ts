/**
 * No prompt or completion content and no secrets in anything we emit: real OpenAI SDK calls
 * (JSON, stream, and a 401 error) against the fake provider carry marker strings in the prompt,
 * the API key and an auth header; none may appear in spans, in diag logs (every level), or on
 * /metrics. Identifying values passed as non-allow-listed dimensions or as the task id never
 * become labels.
 */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { eventually } from '../support/processes.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';

const PROMPT_MARKER = 'PROMPT-MARKER-7f3a9c';
const KEY_MARKER = 'sk-KEY-MARKER-51d2e8';
const HEADER_MARKER = 'HEADER-MARKER-c0ffee';
const EMAIL = 'alice.marker@example.com';
const TASK_MARKER = 'TASK-MARKER-42';

let fake: FakeProvider;
let telemetry: LLMTelemetry;
const exporter = new InMemorySpanExporter();
const logs: string[] = [];
const completions: string[] = [];

function spanText(spans: ReadableSpan[]): string {
  return JSON.stringify(
    spans.map((s) => ({
      name: s.name,
      attributes: s.attributes,
      events: s.events,
      status: s.status,
      links: s.links,
      resource: s.resource.attributes,
    })),
  );
}

beforeAll(async () => {
  const log =
    (level: string) =>
    (...args: unknown[]) =>
      logs.push(
        `${level} ${args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' ')}`,
      );
  diag.setLogger(
    {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      verbose: log('verbose'),
    },
    DiagLogLevel.ALL,
  );
  fake = await startFakeProvider({ outputTokens: 12 });
  telemetry = makeTelemetry({
    prometheus: { port: 0 },
    tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    prices: ACME_PRICES,
    dimensions: ['team'],
  });
  const client = telemetry.instrument(
    new OpenAI({
      baseURL: fake.openaiBaseURL,
      apiKey: KEY_MARKER,
      maxRetries: 0,
      defaultHeaders: { 'x-upstream-auth': `Bearer ${HEADER_MARKER}` },
    }),
  );
  const messages = [
    { role: 'system' as const, content: `You are a test. ${PROMPT_MARKER}` },
    { role: 'user' as const, content: `Repeat ${PROMPT_MARKER} and ${KEY_MARKER}` },
  ];
  const json = await client.chat.completions.create({ model: 'gpt-4o', messages, user: EMAIL });
  completions.push(json.choices[0]?.message.content ?? '');
  const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
  let streamed = '';
  for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
  completions.push(streamed);
  await client.embeddings.create({ model: 'text-embedding-3-small', input: PROMPT_MARKER });
  await expect(
    client.chat.completions.create(
      { model: 'gpt-4o', messages },
      { headers: { 'x-fake-scenario': 'error-401' } },
    ),
  ).rejects.toThrow();
  telemetry.record({
    provider: 'acme',
    model: 'acme-1',
    task: TASK_MARKER,
    dimensions: { team: 'search', user_email: EMAIL } as Record<string, string>,
    usage: { inputTokens: 10, outputTokens: 1 },
  });
  // Everything the workload emits is in before the checks below look for the markers: one span
  // per SDK call (chat, stream, embeddings, the 401) and five records (those four and record()).
  await eventually(
    async () =>
      exporter.getFinishedSpans().length === 4 && telemetry.summary().total.requests === 5 ? true : undefined,
    {
      timeoutMs: 10_000,
      intervalMs: 20,
      what: "the workload's 4 spans and 5 records",
    },
  );
}, 60_000);

afterAll(async () => {
  await telemetry?.shutdown();
  await fake?.stop();
  diag.disable();
});

describe('secrets and content never leave the process through our telemetry', () => {
  it('the workload really ran: spans, records and completions exist', () => {
    expect(exporter.getFinishedSpans().length).toBeGreaterThanOrEqual(4);
    expect(telemetry.summary().total.requests).toBeGreaterThanOrEqual(5);
    expect(completions.join('').length).toBeGreaterThan(20);
  });

  it.each([
    ['prompt text', PROMPT_MARKER],
    ['API key', KEY_MARKER],
    ['auth header', HEADER_MARKER],
    ['user email', EMAIL],
  ])('the %s appears in no span, log line or /metrics', async (_what, marker) => {
    const metrics = await (await fetch((await telemetry.metricsUrl())!)).text();
    expect(spanText(exporter.getFinishedSpans())).not.toContain(marker);
    expect(logs.join('\n')).not.toContain(marker);
    expect(metrics).not.toContain(marker);
  });

  it('completion text appears in no span, log line or /metrics', async () => {
    const metrics = await (await fetch((await telemetry.metricsUrl())!)).text();
    const spans = spanText(exporter.getFinishedSpans());
    for (const text of completions) {
      expect(text.length).toBeGreaterThan(0);
      expect(spans).not.toContain(text);
      expect(logs.join('\n')).not.toContain(text);
      expect(metrics).not.toContain(text);
    }
  });

  it('task ids and non-allow-listed dimensions are not labels (the task stays on spans only)', async () => {
    const metrics = await (await fetch((await telemetry.metricsUrl())!)).text();
    expect(metrics).not.toContain(TASK_MARKER);
    expect(metrics).not.toContain('user_email');
    expect(metrics).toContain('team="search"');
  });
});
