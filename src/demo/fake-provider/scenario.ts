/**
 * Per-request control: the `x-fake-*` headers a test sends to force a behaviour, and the seeded
 * fault draws a demo workload gets instead when it sends none.
 *
 * `no-usage` per provider: OpenAI chat/embeddings leave out `usage` (a stream sends no usage chunk
 * even when asked), Responses send `usage: null`, Anthropic leaves `usage` out of the JSON body and
 * out of `message_delta` (its `message_start` keeps the input counts, as a real stream always has
 * them), Gemini leaves out `usageMetadata`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { BILLING_BUCKETS } from '../../pricing/buckets.js';
import type { UsageBuckets } from '../../types.js';
import { seededRandom } from './deterministic.js';
import type { ResolvedOptions } from './options.js';
import type { FakeScenario } from './types.js';

export const CONTROL_HEADER = {
  /** Comma-separated `FakeScenario` names. */
  scenario: 'x-fake-scenario',
  /**
   * JSON object of `UsageBuckets` fields (missing ones are 0); the usage reported and the words
   * streamed follow it exactly, whatever the request and options say.
   */
  usage: 'x-fake-usage',
  /** Events sent before `cut-mid-stream` / `error-mid-stream` act (≥ the stream's length: they never do). */
  cutAfter: 'x-fake-cut-after',
  /** Overrides `latencyMs` for this request. */
  latencyMs: 'x-fake-latency-ms',
  /** Overrides `chunkDelayMs` for this request. */
  chunkDelayMs: 'x-fake-chunk-delay-ms',
  /** Service tier reported: OpenAI `service_tier`, Anthropic `usage.service_tier`. */
  serviceTier: 'x-fake-service-tier',
} as const;

export const SCENARIOS: readonly FakeScenario[] = [
  'error-400',
  'error-401',
  'error-429',
  'error-500',
  'error-503',
  'cut-mid-stream',
  'error-mid-stream',
  'no-usage',
  'slow',
];

const USAGE_FIELDS: readonly (keyof UsageBuckets)[] = BILLING_BUCKETS;

/** A control header the server cannot follow; answered with a provider-shaped 400. */
export class ControlHeaderError extends Error {
  override name = 'ControlHeaderError';
}

export interface RequestControl {
  scenarios: Set<FakeScenario>;
  usage: Partial<UsageBuckets> | undefined;
  cutAfter: number;
  latencyMs: number;
  chunkDelayMs: number;
  serviceTier: string | undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function integerHeader(headers: IncomingHttpHeaders, name: string, fallback: number): number {
  const raw = header(headers, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new ControlHeaderError(`Invalid ${name} header: ${raw} — use an integer ≥ 0`);
  }
  return value;
}

export function parseScenarios(raw: string): Set<FakeScenario> {
  const scenarios = new Set<FakeScenario>();
  for (const name of raw.split(',').map((s) => s.trim())) {
    if (name === '') continue;
    if (!(SCENARIOS as readonly string[]).includes(name)) {
      throw new ControlHeaderError(
        `Invalid ${CONTROL_HEADER.scenario} header: unknown scenario ${name} — use one of ${SCENARIOS.join(', ')}`,
      );
    }
    scenarios.add(name as FakeScenario);
  }
  return scenarios;
}

export function parseUsage(raw: string): Partial<UsageBuckets> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ControlHeaderError(`Invalid ${CONTROL_HEADER.usage} header: not JSON: ${raw}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ControlHeaderError(
      `Invalid ${CONTROL_HEADER.usage} header: expected a JSON object, got ${raw}`,
    );
  }
  const usage: Partial<UsageBuckets> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(USAGE_FIELDS as readonly string[]).includes(key)) {
      throw new ControlHeaderError(
        `Invalid ${CONTROL_HEADER.usage} header: unknown field ${key} — use ${USAGE_FIELDS.join(', ')}`,
      );
    }
    if (!Number.isInteger(value) || (value as number) < 0) {
      throw new ControlHeaderError(`Invalid ${CONTROL_HEADER.usage} header: ${key} must be an integer ≥ 0`);
    }
    usage[key as keyof UsageBuckets] = value as number;
  }
  return usage;
}

/** Reads the control headers; with no `x-fake-scenario`, draws the configured faults for request `seq`. */
export function readControl(
  headers: IncomingHttpHeaders,
  options: ResolvedOptions,
  seq: number,
  stream: boolean,
): RequestControl {
  const rawScenario = header(headers, CONTROL_HEADER.scenario);
  const rawUsage = header(headers, CONTROL_HEADER.usage);
  const scenarios =
    rawScenario === undefined ? drawFaults(options, seq, stream) : parseScenarios(rawScenario);
  return {
    scenarios,
    usage: rawUsage === undefined ? undefined : parseUsage(rawUsage),
    cutAfter: integerHeader(headers, CONTROL_HEADER.cutAfter, options.cutAfterEvents),
    latencyMs: integerHeader(headers, CONTROL_HEADER.latencyMs, options.latencyMs),
    chunkDelayMs: integerHeader(headers, CONTROL_HEADER.chunkDelayMs, options.chunkDelayMs),
    serviceTier: header(headers, CONTROL_HEADER.serviceTier),
  };
}

function drawFaults(options: ResolvedOptions, seq: number, stream: boolean): Set<FakeScenario> {
  const { rateLimit, serverError, cutMidStream } = options.faults;
  const scenarios = new Set<FakeScenario>();
  if (rateLimit + serverError + cutMidStream === 0) return scenarios;
  const random = seededRandom(options.seed * 2_654_435_761 + seq);
  const roll = random();
  if (roll < rateLimit) scenarios.add('error-429');
  else if (roll < rateLimit + serverError) scenarios.add('error-500');
  else if (stream && random() < cutMidStream) scenarios.add('cut-mid-stream');
  return scenarios;
}

/** The first error scenario of a request, if any, as its HTTP status family. */
export function errorScenario(scenarios: Set<FakeScenario>): 400 | 401 | 429 | 500 | 503 | undefined {
  if (scenarios.has('error-400')) return 400;
  if (scenarios.has('error-401')) return 401;
  if (scenarios.has('error-429')) return 429;
  if (scenarios.has('error-500')) return 500;
  if (scenarios.has('error-503')) return 503;
  return undefined;
}
