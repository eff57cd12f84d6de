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

const PROFILES: readonly AgentProfile[] = [
  {
    agent: 'planner',
    weight: 1,
    operations: [
      {
        operation: 'plan',
        weight: 3,
        calls: [
          {
            api: 'openai.chat',
            model: 'o4-mini',
            weight: 3,
            stream: 0,
            prompt: [1500, 4000],
            cacheHit: [0, 0.5],
            output: [150, 400],
            reasoning: [300, 2000],
          },
          {
            api: 'anthropic.messages',
            model: SONNET,
            weight: 1,
            stream: 0.3,
            prompt: [2000, 6000],
            output: [200, 600],
            reasoning: [500, 2000],
            thinking: true,
          },
        ],
      },
      {
        operation: 'replan',
        weight: 1,
        calls: [
          {
            api: 'openai.responses',
            model: 'gpt-4o',
            weight: 1,
            stream: 0.3,
            prompt: [2000, 5000],
            cacheHit: [0.2, 0.6],
            output: [200, 500],
          },
        ],
      },
    ],
  },
  {
    agent: 'researcher',
    weight: 1.6,
    operations: [
      {
        operation: 'search',
        weight: 3,
        calls: [
          {
            api: 'gemini.generateContent',
            model: 'gemini-2.5-flash',
            weight: 1,
            stream: 0.5,
            prompt: [2000, 8000],
            cacheHit: [0, 0.3],
            output: [200, 600],
            reasoning: [0, 400],
          },
        ],
      },
      {
        operation: 'embed',
        weight: 2,
        calls: [
          {
            api: 'openai.embeddings',
            model: 'text-embedding-3-small',
            weight: 1,
            stream: 0,
            prompt: [500, 4000],
            output: [0, 0],
          },
        ],
      },
      {
        operation: 'read',
        weight: 1,
        calls: [
          {
            api: 'gemini.generateContent',
            model: 'gemini-2.5-pro',
            weight: 1,
            stream: 0.3,
            prompt: [8000, 30000],
            cacheHit: [0, 0.5],
            output: [400, 1200],
            reasoning: [200, 1500],
          },
        ],
      },
    ],
  },
  {
    agent: 'coder',
    weight: 1.2,
    operations: [
      {
        operation: 'write_code',
        weight: 3,
        calls: [
          {
            api: 'anthropic.messages',
            model: SONNET,
            weight: 2,
            stream: 0.8,
            prompt: [6000, 20000],
            cacheHit: [0.3, 0.8],
            cacheWrite: [0, 0.15],
            output: [500, 2000],
          },
          {
            api: 'openai.chat',
            model: 'gpt-4o',
            weight: 1,
            stream: 0.7,
            prompt: [3000, 12000],
            cacheHit: [0, 0.6],
            output: [300, 1500],
          },
        ],
      },
      {
        operation: 'fix_tests',
        weight: 1,
        calls: [
          {
            api: 'openai.chat',
            model: 'o4-mini',
            weight: 1,
            stream: 0.3,
            prompt: [3000, 9000],
            cacheHit: [0.2, 0.7],
            output: [200, 800],
            reasoning: [500, 3000],
          },
        ],
      },
    ],
  },
  {
    agent: 'reviewer',
    weight: 1,
    operations: [
      {
        operation: 'review',
        weight: 1,
        calls: [
          {
            api: 'anthropic.messages',
            model: HAIKU,
            weight: 2,
            stream: 0.3,
            prompt: [2000, 8000],
            cacheHit: [0, 0.5],
            cacheWrite: [0, 0.2],
            output: [200, 800],
          },
          {
            api: 'openai.responses',
            model: 'gpt-4o-mini',
            weight: 1,
            stream: 0.4,
            prompt: [2000, 6000],
            cacheHit: [0, 0.5],
            output: [150, 500],
          },
        ],
      },
    ],
  },
  {
    agent: 'summarizer',
    weight: 1.4,
    operations: [
      {
        operation: 'summarize',
        weight: 1,
        calls: [
          {
            api: 'openai.chat',
            model: 'gpt-4o-mini',
            weight: 3,
            stream: 0.6,
            prompt: [3000, 10000],
            output: [150, 500],
          },
          {
            api: 'gemini.generateContent',
            model: 'gemini-2.5-flash',
            weight: 2,
            stream: 0.5,
            prompt: [3000, 10000],
            output: [150, 500],
            reasoning: [0, 200],
          },
        ],
      },
    ],
  },
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
