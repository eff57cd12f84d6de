/**
 * The simulated multi-agent workload as data: call `seq` of seed `s` is always the same call
 * (agent, operation, API, model, streaming, token usage, fault), whatever the concurrency, so a
 * seeded run is reproducible and its expected cost can be computed.
 *
 * The mix is meant to look like a real team's: many cheap calls (gpt-4o-mini, Gemini Flash,
 * Haiku, embeddings) and fewer expensive ones (Claude Sonnet, gpt-4o, Gemini Pro, o4-mini with
 * reasoning), prompt caching on the long-context agents, and a little of everything that goes
 * wrong: 429s, 500s, streams cut by the network and streams the consumer abandons.
 */
import { hash32, seededRandom } from './fake-provider/deterministic.js';

export type WorkloadApi =
  | 'openai.chat'
  | 'openai.responses'
  | 'openai.embeddings'
  | 'anthropic.messages'
  | 'gemini.generateContent';

export const AGENTS = ['planner', 'researcher', 'coder', 'reviewer', 'summarizer'] as const;
export type AgentName = (typeof AGENTS)[number];

/** A model with no catalog price, sent now and then so `llm_unpriced_requests_total` has data. */
export const UNPRICED_MODEL = 'acme-summarizer-1';

/** Token usage the fake provider is told to report (disjoint buckets). */
export interface PlannedUsage {
  input: number;
  cacheRead: number;
  cacheWrite5m: number;
  output: number;
  reasoning: number;
}

export interface PlannedCall {
  seq: number;
  agent: AgentName;
  operation: string;
  /** Correlation id (spans only). */
  task: string;
  api: WorkloadApi;
  model: string;
  stream: boolean;
  usage: PlannedUsage;
  /** Delay before the response headers, ms. */
  latencyMs: number;
  /** Delay between streamed events, ms. */
  chunkDelayMs: number;
  /** A fault the fake provider is told to act out. */
  fault?: 'error-429' | 'error-500' | 'cut-mid-stream';
  /** The consumer stops reading the stream after this many events (an abandoned stream). */
  abortAfterEvents?: number;
  /** Anthropic extended thinking requested. */
  thinking: boolean;
  /** Anthropic: the system prompt carries a `cache_control` block. */
  cacheControl: boolean;
  /** The task this call does fails its own check (tests, review) even when the call succeeds. */
  taskFails: boolean;
  /** Which of two configurations of the agent ran the task (the `variant` run dimension). */
  variant: 'a' | 'b';
}

type Range = readonly [number, number];

interface CallProfile {
  api: WorkloadApi;
  model: string;
  weight: number;
  /** Probability of streaming. */
  stream: number;
  /** Prompt tokens, all kinds. */
  prompt: Range;
  /** Share of the prompt served from the cache. */
  cacheHit?: Range;
  /** Share of the prompt written to the cache (Anthropic with cache_control). */
  cacheWrite?: Range;
  output: Range;
  reasoning?: Range;
  thinking?: boolean;
}

interface OperationProfile {
  operation: string;
  weight: number;
  calls: CallProfile[];
}

interface AgentProfile {
  agent: AgentName;
  weight: number;
  operations: OperationProfile[];
}

const SONNET = 'claude-sonnet-4-20250514';
const HAIKU = 'claude-3-5-haiku-20241022';

type Extras = Pick<CallProfile, 'cacheHit' | 'cacheWrite' | 'reasoning' | 'thinking'>;
const agent = (name: AgentName, weight: number, operations: OperationProfile[]): AgentProfile => ({
  agent: name,
  weight,
  operations,
});
const op = (operation: string, weight: number, calls: CallProfile[]): OperationProfile => ({
  operation,
  weight,
  calls,
});
/** One kind of call: which API and model, how often, how often streamed, token ranges. */
const call = (
  api: WorkloadApi,
  model: string,
  weight: number,
  stream: number,
  prompt: Range,
  output: Range,
  extras: Extras = {},
): CallProfile => ({ api, model, weight, stream, prompt, output, ...extras });

// Order matters: pick() walks each list with the seeded random numbers.
const PROFILES: readonly AgentProfile[] = [
  agent('planner', 1, [
    op('plan', 3, [
      call('openai.chat', 'o4-mini', 3, 0, [1500, 4000], [150, 400], {
        cacheHit: [0, 0.5],
        reasoning: [300, 2000],
      }),
      call('anthropic.messages', SONNET, 1, 0.3, [2000, 6000], [200, 600], {
        reasoning: [500, 2000],
        thinking: true,
      }),
    ]),
    op('replan', 1, [
      call('openai.responses', 'gpt-4o', 1, 0.3, [2000, 5000], [200, 500], { cacheHit: [0.2, 0.6] }),
    ]),
  ]),
  agent('researcher', 1.6, [
    op('search', 3, [
      call('gemini.generateContent', 'gemini-2.5-flash', 1, 0.5, [2000, 8000], [200, 600], {
        cacheHit: [0, 0.3],
        reasoning: [0, 400],
      }),
    ]),
    op('embed', 2, [call('openai.embeddings', 'text-embedding-3-small', 1, 0, [500, 4000], [0, 0])]),
    op('read', 1, [
      call('gemini.generateContent', 'gemini-2.5-pro', 1, 0.3, [8000, 30000], [400, 1200], {
        cacheHit: [0, 0.5],
        reasoning: [200, 1500],
      }),
    ]),
  ]),
  agent('coder', 1.2, [
    op('write_code', 3, [
      call('anthropic.messages', SONNET, 2, 0.8, [6000, 20000], [500, 2000], {
        cacheHit: [0.3, 0.8],
        cacheWrite: [0, 0.15],
      }),
      call('openai.chat', 'gpt-4o', 1, 0.7, [3000, 12000], [300, 1500], { cacheHit: [0, 0.6] }),
    ]),
    op('fix_tests', 1, [
      call('openai.chat', 'o4-mini', 1, 0.3, [3000, 9000], [200, 800], {
        cacheHit: [0.2, 0.7],
        reasoning: [500, 3000],
      }),
    ]),
  ]),
  agent('reviewer', 1, [
    op('review', 1, [
      call('anthropic.messages', HAIKU, 2, 0.3, [2000, 8000], [200, 800], {
        cacheHit: [0, 0.5],
        cacheWrite: [0, 0.2],
      }),
      call('openai.responses', 'gpt-4o-mini', 1, 0.4, [2000, 6000], [150, 500], { cacheHit: [0, 0.5] }),
    ]),
  ]),
  agent('summarizer', 1.4, [
    op('summarize', 1, [
      call('openai.chat', 'gpt-4o-mini', 3, 0.6, [3000, 10000], [150, 500]),
      call('gemini.generateContent', 'gemini-2.5-flash', 2, 0.5, [3000, 10000], [150, 500], {
        reasoning: [0, 200],
      }),
    ]),
  ]),
];

/**
 * Share of tasks whose result fails its check, by agent (from their own hash, so adding them left
 * every planned call as it was). Variant `b` of the coder fails less and is compared side by side.
 */
const TASK_FAILURE_RATE: Record<AgentName, number> = {
  planner: 0.05,
  researcher: 0.1,
  coder: 0.2,
  reviewer: 0.08,
  summarizer: 0.03,
};

/** Share of calls answered 429 / 500, and of streams cut by the network / abandoned by the consumer. */
export const FAULT_RATES = { rateLimit: 0.03, serverError: 0.01, cutMidStream: 0.03, consumerAbort: 0.03 };

function pick<T extends { weight: number }>(items: readonly T[], random: () => number): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let roll = random() * total;
  for (const item of items) {
    roll -= item.weight;
    if (roll < 0) return item;
  }
  return items[items.length - 1]!;
}

const between = ([lo, hi]: Range, random: () => number) => lo + (hi - lo) * random();
const int = (range: Range, random: () => number) => Math.round(between(range, random));

function paceMs(targetMs: number, events: number): number {
  const pace = Math.floor(targetMs / events);
  return pace >= 4 ? pace : 0;
}

/** Call `seq` (0-based) of the workload seeded with `seed`. */
export function planCall(seed: number, seq: number): PlannedCall {
  const random = seededRandom(hash32(`workload:${seq}`, seed));
  // The first calls visit every agent once and never fail, so even a few seconds of demo show
  // cost for each of them.
  const warmup = seq < AGENTS.length;
  // Call 7 and every 50th after it: the summarizer tries a model no catalog knows.
  const unpriced = seq % 50 === 7;
  const agent = warmup ? PROFILES[seq]! : unpriced ? PROFILES[PROFILES.length - 1]! : pick(PROFILES, random);
  const operation = pick(agent.operations, random);
  let call = pick(operation.calls, random);
  if (unpriced) call = { ...call, api: 'openai.chat', model: UNPRICED_MODEL };
  const stream = random() < call.stream;

  const prompt = int(call.prompt, random);
  const cacheRead = Math.floor(prompt * (call.cacheHit ? between(call.cacheHit, random) : 0));
  const cacheWrite5m = Math.floor(
    (prompt - cacheRead) * (call.cacheWrite ? between(call.cacheWrite, random) : 0),
  );
  const output = int(call.output, random);
  const usage: PlannedUsage = {
    input: prompt - cacheRead - cacheWrite5m,
    cacheRead,
    cacheWrite5m,
    output,
    reasoning: call.reasoning ? int(call.reasoning, random) : 0,
  };

  let fault: PlannedCall['fault'];
  let abortAfterEvents: number | undefined;
  const roll = random();
  if (!warmup) {
    if (roll < FAULT_RATES.rateLimit) fault = 'error-429';
    else if (roll < FAULT_RATES.rateLimit + FAULT_RATES.serverError) fault = 'error-500';
    else if (stream) {
      const streamRoll = random();
      if (streamRoll < FAULT_RATES.cutMidStream) fault = 'cut-mid-stream';
      else if (streamRoll < FAULT_RATES.cutMidStream + FAULT_RATES.consumerAbort)
        abortAfterEvents = 2 + Math.floor(random() * 5);
    }
  }
  const streamEvents = Math.max(1, output);
  return {
    seq,
    agent: agent.agent,
    operation: operation.operation,
    task: `T-${seed}-${seq}`,
    api: call.api,
    model: call.model,
    stream,
    usage,
    latencyMs: Math.round(between([80, 700], random)),
    // Streams last roughly 0.5–2.5 s; long ones stream at full speed (timer resolution would
    // stretch a 1 ms pace far beyond that).
    chunkDelayMs: stream ? paceMs(between([500, 2500], random), streamEvents) : 0,
    ...(fault ? { fault } : {}),
    ...(abortAfterEvents !== undefined ? { abortAfterEvents } : {}),
    thinking: call.thinking === true,
    cacheControl: call.cacheWrite !== undefined,
    ...taskOf(seed, seq, agent.agent, warmup),
  };
}

function taskOf(seed: number, seq: number, agent: AgentName, warmup: boolean) {
  const variant = hash32(`variant:${seq}`, seed) % 2 === 0 ? 'a' : 'b';
  const rate = TASK_FAILURE_RATE[agent] * (variant === 'b' && agent === 'coder' ? 0.5 : 1);
  const taskFails = !warmup && (hash32(`task:${seq}`, seed) % 10_000) / 10_000 < rate;
  return { taskFails, variant } as const;
}
