import OpenAI6, { AzureOpenAI as AzureOpenAI6 } from 'openai';
import OpenAI4, { AzureOpenAI as AzureOpenAI4 } from 'openai4';
import OpenAI5, { AzureOpenAI as AzureOpenAI5 } from 'openai5';
import type { RegisterOptions } from '../../../src/config/options.js';
import { startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import type { FakeProvider, FakeProviderOptions } from '../../../src/demo/fake-provider/types.js';
import type { UsageBuckets } from '../../../src/types.js';
import { usageHeaders as fakeUsageHeaders } from '../support/capture.js';
import { type Traced, tracedTelemetry } from '../support/traced.js';

export { until } from '../support/capture.js';

// The three majors share the API we use; type them all as the 6.x client.
type OpenAIClass = typeof OpenAI6;
export const VERSIONS: Array<{ major: string; OpenAI: OpenAIClass; AzureOpenAI: typeof AzureOpenAI6 }> = [
  {
    major: '4.x',
    OpenAI: OpenAI4 as unknown as OpenAIClass,
    AzureOpenAI: AzureOpenAI4 as unknown as typeof AzureOpenAI6,
  },
  {
    major: '5.x',
    OpenAI: OpenAI5 as unknown as OpenAIClass,
    AzureOpenAI: AzureOpenAI5 as unknown as typeof AzureOpenAI6,
  },
  { major: '6.x', OpenAI: OpenAI6, AzureOpenAI: AzureOpenAI6 },
];

export const API_KEY = 'sk-test-SECRET-0123456789';

export interface Harness extends Traced {
  fake: FakeProvider;
  /** A fresh client on the fake provider, instrumented. */
  client(options?: ConstructorParameters<OpenAIClass>[0]): InstanceType<OpenAIClass>;
  /** A fresh client on the fake provider, not instrumented. */
  bare(options?: ConstructorParameters<OpenAIClass>[0]): InstanceType<OpenAIClass>;
  stop(): Promise<void>;
}

export async function startHarness(
  OpenAI: OpenAIClass,
  options: { fake?: FakeProviderOptions; telemetry?: RegisterOptions } = {},
): Promise<Harness> {
  const fake = await startFakeProvider(options.fake);
  // The fake provider accepts stream_options; an app opts its own such endpoint in the same way.
  const traced = tracedTelemetry({
    prometheus: false,
    openaiStreamUsageHosts: ['127.0.0.1'],
    ...options.telemetry,
  });
  const { telemetry } = traced;
  const make = (o?: ConstructorParameters<OpenAIClass>[0]) =>
    new OpenAI({ baseURL: fake.openaiBaseURL, apiKey: API_KEY, maxRetries: 0, ...o });
  return {
    ...traced,
    fake,
    client: (o) => telemetry.instrument(make(o)),
    bare: make,
    async stop() {
      await telemetry.shutdown();
      await fake.stop();
    },
  };
}

/** Request options that make the fake provider report exactly this usage. */
export function usageHeaders(usage: Partial<UsageBuckets>, extra: Record<string, string> = {}) {
  return { headers: fakeUsageHeaders(usage, extra) };
}

export function scenario(name: string, extra: Record<string, string> = {}) {
  return { headers: { 'x-fake-scenario': name, ...extra } };
}

/** Every item of an async iterable, as JSON (so later mutation cannot hide a difference). */
export async function collect(iterable: AsyncIterable<unknown>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of iterable) out.push(JSON.stringify(item));
  return out;
}

/** Chunks compared across two servers: `created` is wall-clock seconds, everything else is seeded. */
export function stable(chunks: string[]): string[] {
  return chunks.map((c) => c.replace(/"created(_at)?":\d+/g, '"created":0'));
}

export const CHAT = {
  model: 'gpt-4o',
  messages: [{ role: 'user' as const, content: 'Say hello to the test suite' }],
};
