import { type AddressInfo, createServer } from 'node:net';
import { context, diag, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getTelemetry, record, register } from '../../src/register.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';

afterEach(async () => {
  await getTelemetry()?.shutdown();
  diag.disable();
});

describe('register()', () => {
  it('is idempotent: a second call returns the same handle and keeps counter values', async () => {
    const a = register({ prometheus: { port: 0 }, prices: ACME_PRICES });
    a.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 1_000_000, outputTokens: 0 } });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const b = register({ prometheus: { port: 1 } });
    const said = stderr.mock.calls.map((c) => String(c[0]));
    stderr.mockRestore();
    expect(b).toBe(a);
    // The ignored configuration is said once, where a person sees it.
    expect(said).toEqual([
      '[llm-cost-otel] register() was called again with options (prometheus); the first configuration stays in force and these options are ignored. Configure llm-cost-otel in one place.\n',
    ]);
    expect(
      record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 1_000_000, outputTokens: 0 } })
        ?.costUsd,
    ).toBe(1);
    expect(b.summary().total.costUsd).toBe(2);
  });

  it('after shutdown() a new register() starts afresh and the port is free again', async () => {
    const a = register({ prometheus: { port: 0 } });
    // The port a bound is the one b must get back once a has shut down.
    const port = Number(new URL((await a.metricsUrl())!).port);
    expect(port).toBeGreaterThan(0);
    await a.shutdown();
    await a.shutdown(); // idempotent
    expect(getTelemetry()).toBeUndefined();
    const b = register({ prometheus: { port } });
    expect(b).not.toBe(a);
    expect(await b.metricsUrl()).toBe(`http://127.0.0.1:${port}/metrics`);
  });

  it('a port already in use is said once on stderr (no diag logger needed); the app keeps running', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as AddressInfo).port;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const t = register({ prometheus: { server: true, port }, prices: ACME_PRICES });
      expect(await t.metricsUrl()).toBeUndefined();
      const lines = stderr.mock.calls.map((c) => String(c[0])).filter((l) => l.includes(`:${port}`));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^\\[llm-cost-otel\\] cannot serve LLM metrics on 127\\.0\\.0\\.1:${port}: .*EADDRINUSE.*port in use`,
        ),
      );
      expect(
        t.record({ provider: 'acme', model: 'acme-1', usage: { inputTokens: 10, outputTokens: 1 } })?.costUsd,
      ).toBeGreaterThan(0);
    } finally {
      stderr.mockRestore();
      blocker.close();
    }
  });

  it('a bad option throws a ConfigError before anything starts', () => {
    expect(() => register({ prometheus: { port: -1 } })).toThrow(/prometheus\.port/);
    expect(getTelemetry()).toBeUndefined();
  });
});

describe('spans', () => {
  it('record() annotates the given span with semconv usage and cost attributes', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const t = makeTelemetry({ prices: ACME_PRICES, tracerProvider: provider });
    const span = t.tracer.startSpan('chat acme-1', { kind: SpanKind.CLIENT });
    t.record({
      provider: 'acme',
      model: 'acme-1',
      responseModel: 'acme-1',
      apiOperation: 'chat',
      agent: 'planner',
      operation: 'plan',
      task: 'T-42',
      usage: {
        inputTokens: 1000,
        cacheReadTokens: 200,
        cacheWriteTokens: 100,
        outputTokens: 300,
        reasoningTokens: 50,
      },
      span,
    });
    span.end();
    const [finished] = exporter.getFinishedSpans();
    // 700×1 + 200×0.1 + 100×1.25 + 250×4 + 50×4 = 700 + 20 + 125 + 1000 + 200 = 2045 µUSD
    expect(finished?.attributes).toEqual({
      'gen_ai.provider.name': 'acme',
      'gen_ai.request.model': 'acme-1',
      'gen_ai.response.model': 'acme-1',
      'gen_ai.operation.name': 'chat',
      'llm.operation.name': 'plan',
      'gen_ai.agent.name': 'planner',
      'llm.task.id': 'T-42',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 200,
      'gen_ai.usage.cache_write.input_tokens': 100,
      'gen_ai.usage.reasoning.output_tokens': 50,
      'gen_ai.usage.cost.amount': expect.closeTo(0.002045, 12),
      'gen_ai.usage.cost.currency': 'USD',
      'gen_ai.usage.cost.source': 'local',
      'llm.price.match': 'override',
      'llm.cost.recorded': true,
    });
  });

  it('by default annotates the active span; span: null annotates none', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const t = makeTelemetry({ prices: ACME_PRICES });
    const tracer = provider.getTracer('app');
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      tracer.startActiveSpan('app work', (span) => {
        t.record({
          provider: 'acme',
          model: 'acme-1',
          usage: { inputTokens: 1, outputTokens: 1 },
          costUsd: 0.25,
        });
        span.end();
      });
      tracer.startActiveSpan('other', (span) => {
        t.record({
          provider: 'acme',
          model: 'acme-1',
          usage: { inputTokens: 1, outputTokens: 1 },
          span: null,
        });
        span.end();
      });
    } finally {
      context.disable();
    }
    const [first, second] = exporter.getFinishedSpans();
    expect(first?.attributes['gen_ai.usage.cost.amount']).toBe(0.25);
    expect(first?.attributes['gen_ai.usage.cost.source']).toBe('provider');
    expect(second?.attributes).toEqual({});
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
