/**
 * Prototype patching (the auto-instrumentation path), its combination with instance patching, and
 * the SDK's own OpenTelemetry spans: one request, one record, whatever is patched how.
 */
import Anthropic, * as sdk from '@anthropic-ai/sdk';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import {
  anthropicModulePatch,
  instrumentAnthropic,
  patchAnthropicModule,
  uninstrumentAnthropic,
} from '../../../src/instrumentations/anthropic/index.js';
import { TRACER_NAME } from '../../../src/telemetry.js';
import { collect, createHarness, type Harness } from './harness.js';

const MODEL = 'claude-haiku-4-5';
const params = { model: MODEL, max_tokens: 16, messages: [{ role: 'user' as const, content: 'hi' }] };
const originalCreate = Anthropic.Messages.prototype.create;
const originalBetaCreate = Anthropic.Beta.Messages.prototype.create;

let fake: FakeProvider;
let h: Harness;
const newClient = (options: ConstructorParameters<typeof Anthropic>[0] = {}) =>
  new Anthropic({ apiKey: 'sk-ant-dummy', baseURL: fake.anthropicBaseURL, maxRetries: 0, ...options });

beforeAll(async () => {
  fake = await startFakeProvider();
  h = createHarness();
});
afterEach(() => h.reset());
afterAll(async () => {
  await h.shutdown();
  await fake.stop();
});

describe('patchAnthropicModule()', () => {
  it('measures clients created from the patched module, and unpatch() restores the prototypes', async () => {
    const unpatch = patchAnthropicModule(h.telemetry, sdk);
    expect(Anthropic.Messages.prototype.create).not.toBe(originalCreate);
    expect(Anthropic.Beta.Messages.prototype.create).not.toBe(originalBetaCreate);
    await newClient().messages.create(params);
    await newClient().beta.messages.create(params);
    expect(h.telemetry.summary().total.requests).toBe(2);
    unpatch();
    unpatch();
    expect(Anthropic.Messages.prototype.create).toBe(originalCreate);
    expect(Anthropic.Beta.Messages.prototype.create).toBe(originalBetaCreate);
    await newClient().messages.create(params);
    expect(h.telemetry.summary().total.requests).toBe(2);
  });

  it('accepts the CommonJS shape (the client class with static resources) and the default export', () => {
    const unpatchClass = patchAnthropicModule(h.telemetry, Anthropic);
    expect(Anthropic.Messages.prototype.create).not.toBe(originalCreate);
    unpatchClass();
    const unpatchDefault = patchAnthropicModule(h.telemetry, { default: Anthropic });
    expect(Anthropic.Messages.prototype.create).not.toBe(originalCreate);
    unpatchDefault();
    expect(Anthropic.Messages.prototype.create).toBe(originalCreate);
    expect(patchAnthropicModule(h.telemetry, {})).toBeTypeOf('function');
  });

  it('patching twice does not wrap our own wrapper: still one record per call', async () => {
    const first = patchAnthropicModule(h.telemetry, sdk);
    const second = patchAnthropicModule(h.telemetry, sdk);
    await newClient().messages.create(params);
    expect(h.telemetry.summary().total.requests).toBe(1);
    second();
    first();
    expect(Anthropic.Messages.prototype.create).toBe(originalCreate);
  });

  it('prototype then instance patching: one record per call, and the instance survives unpatch()', async () => {
    const unpatch = patchAnthropicModule(h.telemetry, sdk);
    const client = instrumentAnthropic(h.telemetry, newClient());
    await client.messages.create(params);
    expect(h.telemetry.summary().total.requests).toBe(1);
    unpatch();
    await client.messages.create(params);
    expect(h.telemetry.summary().total.requests).toBe(2);
    uninstrumentAnthropic(client);
  });

  it('instance then prototype patching: one record per call (stream helper included)', async () => {
    const client = instrumentAnthropic(h.telemetry, newClient());
    const unpatch = patchAnthropicModule(h.telemetry, sdk);
    await client.messages.create(params);
    await client.messages.stream(params).finalMessage();
    await collect(await client.messages.create({ ...params, stream: true }));
    expect(h.telemetry.summary().total.requests).toBe(3);
    expect(h.ourSpans()).toHaveLength(3);
    unpatch();
  });
});

describe('anthropicModulePatch (the module-patcher contract)', () => {
  it('patches once per module with a per-call telemetry source, and unpatches', async () => {
    expect(anthropicModulePatch).toMatchObject({ name: 'anthropic', moduleName: '@anthropic-ai/sdk' });
    let current: typeof h.telemetry | undefined = h.telemetry;
    anthropicModulePatch.patch(sdk, () => current);
    anthropicModulePatch.patch(sdk, () => current);
    await newClient().messages.create(params);
    current = undefined;
    await newClient().messages.create(params);
    expect(h.telemetry.summary().total.requests).toBe(1);
    anthropicModulePatch.unpatch(sdk);
    expect(Anthropic.Messages.prototype.create).toBe(originalCreate);
    expect(Anthropic.Beta.Messages.prototype.create).toBe(originalBetaCreate);
  });
});

describe("the SDK's own OpenTelemetry spans", () => {
  const contextManager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(contextManager.enable()));
  afterAll(() => {
    context.disable();
  });

  it('create(): the SDK span is a child of our CLIENT span, and the call is recorded once', async () => {
    const client = instrumentAnthropic(
      h.telemetry,
      newClient({ openTelemetry: { tracerProvider: h.tracerProvider } }),
    );
    await client.messages.create(params);
    const spans = h.exporter.getFinishedSpans();
    const ours = spans.filter((s) => s.instrumentationScope.name === TRACER_NAME);
    const theirs = spans.filter((s) => s.instrumentationScope.name.startsWith('com.anthropic.sdk'));
    expect(ours).toHaveLength(1);
    expect(theirs.map((s) => s.name)).toEqual(['anthropic.messages.create']);
    expect(theirs[0]?.parentSpanContext?.spanId).toBe(ours[0]?.spanContext().spanId);
    expect(theirs[0]?.attributes['gen_ai.usage.output_tokens']).toBe(16);
    expect(h.telemetry.summary().total.requests).toBe(1);
  });

  it('messages.stream(): the helper span is the parent of ours and is marked counted; still one record', async () => {
    const client = instrumentAnthropic(
      h.telemetry,
      newClient({ openTelemetry: { tracerProvider: h.tracerProvider } }),
    );
    await client.messages.stream(params).finalMessage();
    const spans = h.exporter.getFinishedSpans();
    const ours = spans.filter((s) => s.instrumentationScope.name === TRACER_NAME);
    const theirs = spans.filter((s) => s.instrumentationScope.name.startsWith('com.anthropic.sdk'));
    expect(ours).toHaveLength(1);
    expect(theirs).toHaveLength(1);
    expect(ours[0]?.parentSpanContext?.spanId).toBe(theirs[0]?.spanContext().spanId);
    expect(theirs[0]?.attributes['llm.cost.recorded']).toBe(true);
    expect(h.telemetry.summary().total.requests).toBe(1);
  });
});
