/**
 * Runs the simulated multi-agent workload (workload-plan.ts) against the fake provider through
 * the real OpenAI, Anthropic and Google GenAI clients, each measured by `telemetry.instrument()`
 * — the same path an application takes. Reused by `llm-cost demo` and by tests that need a
 * Prometheus full of realistic data.
 */
import { setMaxListeners } from 'node:events';
import { CliError } from '../cli/errors.js';
import type { LLMTelemetry } from '../index.js';
import { type PlannedCall, planCall } from './workload-plan.js';

/** Base URLs of an OpenAI-, Anthropic- and Gemini-shaped server (see `FakeProvider`). */
export interface ProviderUrls {
  /** For `new OpenAI({ baseURL })`, e.g. `http://127.0.0.1:1234/v1`. */
  openai: string;
  /** For `new Anthropic({ baseURL })`. */
  anthropic: string;
  /** For `new GoogleGenAI({ httpOptions: { baseUrl } })`. */
  gemini: string;
}

export type CallOutcome = 'success' | 'error' | 'aborted';

export interface WorkloadStats {
  started: number;
  succeeded: number;
  failed: number;
  aborted: number;
  inFlight: number;
  /** The last unexpected failure (not one the plan asked for), for the demo's status line. */
  lastUnexpectedError?: string;
}

export interface WorkloadOptions {
  telemetry: LLMTelemetry;
  providerUrls: ProviderUrls;
  /** Seed of the call plan. Default 1. */
  seed?: number;
  /** Calls started per second (open loop). Default 2. */
  rate?: number;
  /** Stop starting calls after this long. */
  durationMs?: number;
  /** Stop after this many calls. With neither limit, run until `signal` aborts. */
  calls?: number;
  /** Stop starting calls; calls in flight get `abortDrainMs` to finish, then are aborted. */
  signal?: AbortSignal;
  /** Calls in flight at most. Default 32. */
  maxInFlight?: number;
  /** How long calls in flight may finish after a limit was reached. Default 15 000 ms. */
  drainMs?: number;
  /** The same after `signal` aborted. Default 500 ms. */
  abortDrainMs?: number;
  /** Filled in as calls start and end (for live progress); a new object when omitted. */
  stats?: WorkloadStats;
  /** Called as each call ends. */
  onCall?: (call: PlannedCall, outcome: CallOutcome, error?: unknown) => void;
}

// Type-only: the SDKs are loaded with import() so that only `demo` needs them installed.
interface Clients {
  openai: import('openai').default;
  anthropic: import('@anthropic-ai/sdk').default;
  gemini: import('@google/genai').GoogleGenAI;
}

const SDK_HINT =
  'llm-cost demo drives the real SDK clients: install them with `npm i openai @anthropic-ai/sdk @google/genai`';

async function createClients(telemetry: LLMTelemetry, urls: ProviderUrls): Promise<Clients> {
  let sdks: [typeof import('openai'), typeof import('@anthropic-ai/sdk'), typeof import('@google/genai')];
  try {
    sdks = await Promise.all([import('openai'), import('@anthropic-ai/sdk'), import('@google/genai')]);
  } catch (error) {
    throw new CliError(`${SDK_HINT} (${(error as Error).message.split('\n')[0]})`);
  }
  const [{ default: OpenAI }, { default: Anthropic }, { GoogleGenAI }] = sdks;
  return {
    openai: telemetry.instrument(
      new OpenAI({ baseURL: urls.openai, apiKey: 'demo', maxRetries: 0, timeout: 30_000 }),
    ),
    anthropic: telemetry.instrument(
      new Anthropic({ baseURL: urls.anthropic, apiKey: 'demo', maxRetries: 0, timeout: 30_000 }),
    ),
    gemini: telemetry.instrument(
      new GoogleGenAI({
        apiKey: 'demo',
        httpOptions: { baseUrl: urls.gemini, timeout: 30_000, retryOptions: { attempts: 1 } },
      }),
    ),
  };
}

const SYSTEM: Record<string, string> = {
  planner: 'You plan multi-step work for a team of agents. Answer with a numbered plan.',
  researcher: 'You research facts and cite sources briefly.',
  coder: 'You write small, tested TypeScript changes. Answer with a unified diff.',
  reviewer: 'You review diffs for bugs and risky changes. Answer with findings.',
  summarizer: 'You summarize long threads for a busy reader in five bullets.',
};

/** The fake provider's control headers that make it act out the planned call. */
function controlHeaders(call: PlannedCall): Record<string, string> {
  const u = call.usage;
  const headers: Record<string, string> = {
    'x-fake-usage': JSON.stringify({
      input: u.input,
      cacheRead: u.cacheRead,
      cacheWrite5m: u.cacheWrite5m,
      output: u.output,
      reasoning: u.reasoning,
    }),
    'x-fake-latency-ms': String(call.latencyMs),
    'x-fake-chunk-delay-ms': String(call.chunkDelayMs),
  };
  if (call.fault) headers['x-fake-scenario'] = call.fault;
  return headers;
}

/** Read a stream to its end, or stop after `abortAfter` events (the consumer walks away). */
async function consume(stream: AsyncIterable<unknown>, abortAfter: number | undefined): Promise<CallOutcome> {
  let events = 0;
  for await (const _ of stream) {
    events++;
    if (abortAfter !== undefined && events >= abortAfter) return 'aborted';
  }
  return 'success';
}

async function execute(clients: Clients, call: PlannedCall, signal: AbortSignal): Promise<CallOutcome> {
  const headers = controlHeaders(call);
  const prompt = `${call.operation} for task ${call.task}: step ${call.seq}`;
  const system = SYSTEM[call.agent] ?? '';
  const options = { headers, signal };
  switch (call.api) {
    case 'openai.chat': {
      const body = {
        model: call.model,
        messages: [
          { role: 'system' as const, content: system },
          { role: 'user' as const, content: prompt },
        ],
      };
      if (!call.stream) {
        await clients.openai.chat.completions.create(body, options);
        return 'success';
      }
      const stream = await clients.openai.chat.completions.create({ ...body, stream: true }, options);
      return consume(stream, call.abortAfterEvents);
    }
    case 'openai.responses': {
      const body = { model: call.model, instructions: system, input: prompt };
      if (!call.stream) {
        await clients.openai.responses.create(body, options);
        return 'success';
      }
      const stream = await clients.openai.responses.create({ ...body, stream: true }, options);
      return consume(stream, call.abortAfterEvents);
    }
    case 'openai.embeddings':
      await clients.openai.embeddings.create({ model: call.model, input: [prompt, system] }, options);
      return 'success';
    case 'anthropic.messages': {
      const body: import('@anthropic-ai/sdk').default.MessageCreateParamsNonStreaming = {
        model: call.model,
        max_tokens: 8192,
        system: call.cacheControl
          ? [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }]
          : system,
        messages: [{ role: 'user', content: prompt }],
        ...(call.thinking ? { thinking: { type: 'enabled', budget_tokens: 4096 } } : {}),
      };
      if (!call.stream) {
        await clients.anthropic.messages.create(body, options);
        return 'success';
      }
      const stream = await clients.anthropic.messages.create({ ...body, stream: true }, options);
      return consume(stream, call.abortAfterEvents);
    }
    case 'gemini.generateContent': {
      const request = {
        model: call.model,
        contents: prompt,
        config: { systemInstruction: system, httpOptions: { headers }, abortSignal: signal },
      };
      if (!call.stream) {
        await clients.gemini.models.generateContent(request);
        return 'success';
      }
      const stream = await clients.gemini.models.generateContentStream(request);
      return consume(stream, call.abortAfterEvents);
    }
  }
}

/**
 * One call as one agent task (`withAgentRun`): a rate-limited call is retried once inside the same
 * run, as agents do; a call that still fails fails the run; a task whose result fails its check
 * (`taskFails`) or whose stream was abandoned fails it too.
 */
function runTask(telemetry: LLMTelemetry, clients: Clients, call: PlannedCall, signal: AbortSignal) {
  const run = { agent: call.agent, operation: call.operation, task: call.task, variant: call.variant };
  return telemetry.withAgentRun(run, async (agentRun) => {
    let outcome: CallOutcome;
    try {
      outcome = await execute(clients, call, signal);
    } catch (error) {
      if (call.fault !== 'error-429' || signal.aborted) throw error;
      outcome = await execute(clients, { ...call, fault: undefined }, signal);
    }
    if (outcome === 'aborted') agentRun.fail('abandoned_stream');
    else if (call.taskFails) agentRun.fail('check_failed');
    return outcome;
  });
}

/** `ProviderUrls` of a running fake provider. */
export function providerUrlsOf(fake: {
  openaiBaseURL: string;
  anthropicBaseURL: string;
  geminiBaseURL: string;
}): ProviderUrls {
  return { openai: fake.openaiBaseURL, anthropic: fake.anthropicBaseURL, gemini: fake.geminiBaseURL };
}

/**
 * Start calls at `rate` per second until `calls`, `durationMs` or `signal` says stop, then let
 * the calls in flight finish (bounded) and resolve with what happened. Expected failures (the
 * planned 429s, 500s, cut streams) are counted, never thrown.
 */
export async function runWorkload(options: WorkloadOptions): Promise<WorkloadStats> {
  const seed = options.seed ?? 1;
  const rate = options.rate ?? 2;
  if (!(rate > 0) || !Number.isFinite(rate))
    throw new CliError(`rate must be a positive number, got ${rate}`, 2);
  const maxInFlight = options.maxInFlight ?? 32;
  const clients = await createClients(options.telemetry, options.providerUrls);
  const stats: WorkloadStats = options.stats ?? {
    started: 0,
    succeeded: 0,
    failed: 0,
    aborted: 0,
    inFlight: 0,
  };
  const inFlightAbort = new AbortController();
  // Every call in flight listens on it (the SDKs add one listener per request).
  setMaxListeners(0, inFlightAbort.signal);
  const running = new Set<Promise<void>>();
  const signal = options.signal;
  const start = Date.now();
  const deadline = options.durationMs === undefined ? Infinity : start + options.durationMs;
  const limit = options.calls ?? Infinity;

  let wake: (() => void) | undefined;
  let abortedAt: number | undefined = signal?.aborted ? Date.now() : undefined;
  const onAbort = () => {
    abortedAt = Date.now();
    wake?.();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const launch = (call: PlannedCall) => {
    stats.started++;
    stats.inFlight++;
    const task = runTask(options.telemetry, clients, call, inFlightAbort.signal)
      .then(
        (outcome) => {
          if (outcome === 'aborted') stats.aborted++;
          else stats.succeeded++;
          options.onCall?.(call, outcome);
        },
        (error: unknown) => {
          if (inFlightAbort.signal.aborted) stats.aborted++;
          else stats.failed++;
          if (!call.fault && !inFlightAbort.signal.aborted) {
            stats.lastUnexpectedError = `${call.api} ${call.model}: ${(error as Error)?.message ?? String(error)}`;
          }
          options.onCall?.(call, inFlightAbort.signal.aborted ? 'aborted' : 'error', error);
        },
      )
      .finally(() => {
        stats.inFlight--;
        running.delete(task);
        wake?.();
      });
    running.add(task);
  };

  try {
    for (let seq = 0; seq < limit; seq++) {
      const due = start + (seq * 1000) / rate;
      while (!signal?.aborted && Date.now() < due && due < deadline) await sleep(due - Date.now());
      while (!signal?.aborted && running.size >= maxInFlight) await sleep(1000);
      if (signal?.aborted || Date.now() >= deadline || due >= deadline) break;
      launch(planCall(seed, seq));
    }
    const abortDrainMs = options.abortDrainMs ?? 500;
    let drainEnd = Date.now() + (signal?.aborted ? abortDrainMs : (options.drainMs ?? 15_000));
    while (running.size > 0) {
      if (abortedAt !== undefined) drainEnd = Math.min(drainEnd, abortedAt + abortDrainMs);
      const left = drainEnd - Date.now();
      if (left <= 0) break;
      await sleep(left);
    }
    if (running.size > 0) {
      inFlightAbort.abort();
      await Promise.allSettled([...running]);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  return stats;
}
