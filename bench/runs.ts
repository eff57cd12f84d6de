/**
 * What an agent run adds around an LLM call: the same instrumented OpenAI chat call (in-memory
 * `fetch`, no network) bare, inside `withLLMContext`, and inside `withAgentRun` (a run: async
 * context, abandonment timer, totals, an `invoke_agent` span on a recording tracer provider, run
 * metrics at its end). Also `record()` alone vs `record()` inside a run, where the run is a larger
 * share. All cases in one process; ratios, not absolute times, are the result.
 *
 * Run: `npx tsx bench/runs.ts`. Target: a run around a call adds ≤ 10 % to the instrumented call.
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import OpenAI from 'openai';
import { resolveOptions } from '../src/config/resolve.js';
import { withLLMContext } from '../src/context.js';
import { LLMTelemetry } from '../src/telemetry.js';
import { measureAsync, report } from './harness.js';
import { BASIC_USAGE, BENCH_BASE_URL, chatCompletionJson, jsonFetch } from './openai-fixture.js';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new BasicTracerProvider();
const telemetry = new LLMTelemetry(
  resolveOptions({ prometheus: false, meterProvider: false, tracerProvider }, {}),
);

const fetch = jsonFetch(chatCompletionJson('Hi', BASIC_USAGE));
const openai = telemetry.instrument(new OpenAI({ apiKey: 'sk-bench', baseURL: BENCH_BASE_URL, fetch }));
const body = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'Hello' }] };
const call = () => openai.chat.completions.create(body);

const sdk = [
  await measureAsync('instrumented call', call),
  await measureAsync('withLLMContext + call', () => withLLMContext({ agent: 'coder' }, call)),
  await measureAsync('withAgentRun + call', () => telemetry.withAgentRun({ agent: 'coder' }, call)),
];
report('A run around an instrumented OpenAI call', sdk, 'instrumented call');

const usage = { inputTokens: 120, outputTokens: 12 };
const rec = async () => telemetry.record({ provider: 'openai', model: 'gpt-4o', usage });
const opts = { iterations: 20_000, rounds: 9, warmup: 20_000 };
const bare = [
  await measureAsync('record()', rec, opts),
  await measureAsync('withAgentRun + record()', () => telemetry.withAgentRun({ agent: 'coder' }, rec), opts),
];
report('A run around record() alone', bare, 'record()');
await telemetry.shutdown();
