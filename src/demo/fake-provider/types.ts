/**
 * Public shapes of the fake provider: its options, the handle `startFakeProvider()` returns and
 * what it records per request. Token counts use the library's disjoint `UsageBuckets`, so a test
 * can pin the numbers once and check every provider's rendering of them.
 */
import type { UsageBuckets } from '../../types.js';

/** The API surfaces the fake provider serves. */
export type FakeEndpoint =
  | 'openai.chat'
  | 'openai.responses'
  | 'openai.embeddings'
  | 'anthropic.messages'
  | 'gemini.generateContent'
  | 'gemini.embedContent';

/** The provider family an endpoint belongs to; it decides the error and header shapes. */
export type FakeProviderFamily = 'openai' | 'anthropic' | 'gemini';

/**
 * Behaviours a request can force with the `x-fake-scenario` header (comma-separated), or the
 * server can draw at random through `faults`.
 */
export type FakeScenario =
  /** Provider-shaped 400 (invalid request). */
  | 'error-400'
  /** Provider-shaped 401 (bad API key). */
  | 'error-401'
  /** Provider-shaped 429 with `retry-after`. */
  | 'error-429'
  /** Provider-shaped 500. */
  | 'error-500'
  /** Overloaded: 529 `overloaded_error` for Anthropic, 503 for OpenAI and Gemini. */
  | 'error-503'
  /** Stream: destroy the socket after `x-fake-cut-after` events. JSON: destroy it before replying. */
  | 'cut-mid-stream'
  /** Stream: after `x-fake-cut-after` events send the provider's in-stream error event and end. */
  | 'error-mid-stream'
  /** Leave usage out of the response (what that means per provider: see scenario.ts). */
  | 'no-usage'
  /** Wait `slowMs` more before the response headers. */
  | 'slow';

/** Probabilities (0–1) of faults drawn per request from the seeded generator; headers win. */
export interface FakeFaultRates {
  /** Share of requests answered with 429. Default 0. */
  rateLimit?: number;
  /** Share of requests answered with 500. Default 0. */
  serverError?: number;
  /** Share of streaming requests cut mid-stream. Default 0. */
  cutMidStream?: number;
}

/** What the server knows about a request when it plans the response (passed to `outputTokens`). */
export interface FakeRequestInfo {
  endpoint: FakeEndpoint;
  /** Model as requested (Azure: the deployment name). */
  model: string;
  stream: boolean;
  /** Estimated prompt tokens: ⌈characters of prompt text / 4⌉, at least 1. */
  promptTokens: number;
}

export interface FakeProviderOptions {
  /** Interface to bind. Only `127.0.0.1` is accepted: the fake provider never leaves loopback. */
  host?: string;
  /** Port to listen on. Default 0 (an ephemeral port). */
  port?: number;
  /** Delay before response headers, ms. Default 0. */
  latencyMs?: number;
  /** Delay between streamed events (one content event per output token), ms. Default 0. */
  chunkDelayMs?: number;
  /** Extra delay added by the `slow` scenario, ms. Default 1500. */
  slowMs?: number;
  /**
   * Visible output tokens per response (one lorem word each) before `max_tokens` caps apply.
   * Default 20.
   */
  outputTokens?: number | ((request: FakeRequestInfo) => number);
  /**
   * Prompt tokens reported for a request, from its body — e.g. `realisticPromptTokens` (a real
   * tokenizer, realistic-tokens.ts). Default: ⌈characters of prompt text / 4⌉, at least 1.
   */
  promptTokens?: (request: {
    endpoint: FakeEndpoint;
    model: string;
    body: Record<string, unknown>;
  }) => number;
  /**
   * How far a response may pass the request's output cap (`max_tokens` and friends): 1 honours
   * it (default), 3 returns up to 3× the cap, `Infinity` ignores it — a misbehaving provider.
   */
  outputCapFactor?: number;
  /** Reasoning tokens reported by reasoning models (o-series, gpt-5, Gemini 2.5+, Claude with `thinking`). Default 64. */
  reasoningTokens?: number;
  /** Share (0–1) of the prompt reported as cache reads. Default 0. */
  cacheHitRatio?: number;
  /**
   * Share (0–1) of the prompt reported as cache writes, Anthropic only and only when the request
   * carries a `cache_control` block (1-hour writes when one asks for `ttl: '1h'`). Default 0.
   */
  cacheWriteRatio?: number;
  /** Seed for lorem words, embedding vectors, ids and fault draws. Default 1. */
  seed?: number;
  /** Random faults for demo workloads; the `x-fake-scenario` header always wins. Default none. */
  faults?: FakeFaultRates;
  /** Requested model (or Azure deployment) → model reported in responses, e.g. a dated snapshot. */
  responseModels?: Record<string, string>;
  /** Events sent before `cut-mid-stream` / `error-mid-stream` act, unless `x-fake-cut-after` says. Default 3. */
  cutAfterEvents?: number;
  /** `retry-after` seconds on 429 responses. Default 1. */
  retryAfterSeconds?: number;
  /** Largest accepted request body, bytes; larger ones get a provider-shaped 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Open TCP connections at most (further ones are dropped). Default 64. */
  maxConnections?: number;
  /** Requests in flight at most; further ones get a provider-shaped 503. Default 64. */
  maxConcurrentRequests?: number;
  /** Recorded requests kept (oldest dropped first). Default 1000. */
  maxRecordedRequests?: number;
  /** Unref the server and its timers so they never keep the process alive. Default false. */
  unref?: boolean;
}

/** How a request ended, as the server saw it. */
export type FakeRequestOutcome = 'pending' | 'completed' | 'error' | 'cut' | 'aborted';

/** One request as the server saw it. No prompt text, no credential values. */
export interface RecordedRequest {
  /** 1-based sequence number. */
  seq: number;
  method: string;
  /** Path and query; credential query parameters (`key`) are redacted. */
  path: string;
  endpoint: FakeEndpoint | undefined;
  model: string | undefined;
  stream: boolean;
  /** Lower-cased request headers; credential headers keep their name with the value `[redacted]`. */
  headers: Record<string, string>;
  /** Scenarios applied (from headers or drawn faults). */
  scenarios: FakeScenario[];
  /** HTTP status sent, 0 when none was. */
  status: number;
  outcome: FakeRequestOutcome;
  /** Usage the server planned for the response (also when `no-usage` left it out), if any. */
  usage: UsageBuckets | undefined;
}

export interface FakeProvider {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** For `new OpenAI({ baseURL })` and `createOpenAI({ baseURL })`: `<url>/v1`. */
  openaiBaseURL: string;
  /** For `new AzureOpenAI({ endpoint })`: `<url>` (the SDK appends `/openai`). */
  azureEndpoint: string;
  /** For `new Anthropic({ baseURL })`: `<url>` (the SDK appends `/v1/messages`). */
  anthropicBaseURL: string;
  /** For `new GoogleGenAI({ httpOptions: { baseUrl } })`: `<url>` (the SDK appends `/v1beta/...`). */
  geminiBaseURL: string;
  /** Requests seen so far, oldest first (bounded by `maxRecordedRequests`). */
  requests: RecordedRequest[];
  /** Close the server and every open connection, SSE streams included. Idempotent. */
  stop(): Promise<void>;
}
