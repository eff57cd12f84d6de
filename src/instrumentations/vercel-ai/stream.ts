/**
 * The `doStream` side of `llmCostMiddleware`: the same parts, in the same order, read on demand,
 * watched for `response-metadata` (response model), `finish` (usage, service tier) and `error`
 * parts; the call ends once when the stream closes, errors or is cancelled.
 */
import { reportFailure } from '../shared/safely.js';
import { streamFailureOutcome } from '../shared/sdk-errors.js';
import { type ChunkObserver, observeReadableStream, type StreamEnd } from '../shared/stream.js';
import { streamMissingReason, USAGE_MISSING, type UsageMissingReason } from '../shared/usage-missing.js';
import type { MiddlewareCall } from './call.js';
import { type AiSdkUsage, readAiSdkUsage } from './usage.js';

/** What the stream told us so far. */
interface StreamFacts {
  usage?: AiSdkUsage;
  responseModel?: string;
  serviceTier?: string;
  finished: boolean;
  error?: unknown;
  errored: boolean;
}

/**
 * The same parts, in the same order, read on demand (../shared/stream.ts). Reads run inside the
 * call's scope so an inner recorder is seen (see `call.ts`).
 */
export function observeStream(
  call: MiddlewareCall,
  source: ReadableStream<unknown>,
  signal: AbortSignal | undefined,
): ReadableStream<unknown> {
  return observeReadableStream(source, new PartObserver(call, signal), (read) => call.run(read));
}

/** Ends the middleware call once, from the parts seen and how the read ended. */
class PartObserver implements ChunkObserver {
  private readonly facts: StreamFacts = { finished: false, errored: false };

  constructor(
    private readonly call: MiddlewareCall,
    private readonly signal: AbortSignal | undefined,
  ) {}

  onChunk(part: unknown): boolean {
    inspectPart(part, this.facts, this.call.provider);
    return true;
  }

  onEnd(how: StreamEnd): void {
    const facts = this.facts;
    if (how === 'abandoned') this.end('aborted', USAGE_MISSING.streamAbandoned);
    else if (how === 'done' && facts.errored) this.end('error', USAGE_MISSING.streamError, facts.error);
    else if (how === 'done' || (facts.finished && !facts.errored))
      this.end('success', USAGE_MISSING.streamNoUsage);
    else this.end('aborted', USAGE_MISSING.streamAborted);
  }

  onError(error: unknown): void {
    const outcome = streamFailureOutcome(error, this.signal?.aborted === true);
    this.end(outcome, streamMissingReason(outcome), outcome === 'error' ? error : undefined);
  }

  private end(outcome: 'success' | 'error' | 'aborted', reason: UsageMissingReason, error?: unknown): void {
    const call = this.call;
    if (call.isEnded) return;
    const usage = this.facts.usage?.usage;
    call.end({
      outcome,
      usage,
      costUsd: this.facts.usage?.costUsd,
      // For a stream cut short the reason always applies (usage may be partial or absent).
      usageMissingReason: outcome === 'success' ? (usage ? undefined : reason) : reason,
      responseModel: this.facts.responseModel,
      serviceTier: this.facts.serviceTier,
      error,
    });
  }
}

function inspectPart(part: unknown, facts: StreamFacts, provider: string): void {
  try {
    if (typeof part !== 'object' || part === null) return;
    const p = part as { type?: unknown; modelId?: unknown; usage?: unknown; error?: unknown };
    switch (p.type) {
      case 'response-metadata':
        if (typeof p.modelId === 'string' && p.modelId !== '') facts.responseModel = p.modelId;
        break;
      case 'finish': {
        facts.finished = true;
        const read = readAiSdkUsage(provider, p.usage);
        if (read.usage) facts.usage = read;
        facts.serviceTier =
          serviceTierOf((part as { providerMetadata?: unknown }).providerMetadata) ?? facts.serviceTier;
        break;
      }
      case 'error':
        facts.errored = true;
        facts.error = streamErrorOf(p.error);
        break;
    }
  } catch (error) {
    reportFailure('llmCostMiddleware', error);
  }
}

/**
 * An in-stream `error` part's error, for `error_type`: an Error as is; the provider's JSON error
 * object (`{ type: 'server_error', message }`) by its `type`; anything else is `_OTHER`.
 */
function streamErrorOf(error: unknown): unknown {
  if (error instanceof Error || typeof error !== 'object' || error === null) return error;
  const type = (error as { type?: unknown; code?: unknown }).type;
  return typeof type === 'string' && type !== '' ? { name: type } : error;
}

/** `providerMetadata.<provider>.serviceTier` (e.g. `openai`), when a provider reports one. */
export function serviceTierOf(metadata: unknown): string | undefined {
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  for (const value of Object.values(metadata as Record<string, unknown>)) {
    if (typeof value === 'object' && value !== null) {
      const tier = (value as { serviceTier?: unknown }).serviceTier;
      if (typeof tier === 'string' && tier !== '') return tier;
    }
  }
  return undefined;
}
