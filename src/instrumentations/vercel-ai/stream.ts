/**
 * The `doStream` side of `llmCostMiddleware`: the same parts, in the same order, read on demand,
 * watched for `response-metadata` (response model), `finish` (usage, service tier) and `error`
 * parts; the call ends once when the stream closes, errors or is cancelled.
 */
import { logger } from '../../diag.js';
import { errorMessage } from '../../util/error-message.js';
import { isAbortError, isConnectionCut } from '../shared/call-tracker.js';
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
 * The same parts, in the same order, read on demand (high-water mark 0: we never read ahead of the
 * caller). Reads run inside the call's scope so an inner recorder is seen (see `call.ts`).
 */
export function observeStream(
  call: MiddlewareCall,
  source: ReadableStream<unknown>,
  signal: AbortSignal | undefined,
): ReadableStream<unknown> {
  const reader = source.getReader();
  const provider = call.provider;
  const facts: StreamFacts = { finished: false, errored: false };

  const endWith = (outcome: 'success' | 'error' | 'aborted', reason: string, error?: unknown) => {
    if (call.isEnded) return;
    const usage = facts.usage?.usage;
    call.end({
      outcome,
      usage,
      costUsd: facts.usage?.costUsd,
      // For a stream cut short the reason always applies (usage may be partial or absent).
      usageMissingReason: outcome === 'success' ? (usage ? undefined : reason) : reason,
      responseModel: facts.responseModel,
      serviceTier: facts.serviceTier,
      error,
    });
  };

  return new ReadableStream<unknown>(
    {
      async pull(controller) {
        let next: Awaited<ReturnType<typeof reader.read>>;
        try {
          next = await call.run(() => reader.read());
        } catch (error) {
          if (isAbortError(error) || signal?.aborted === true || isConnectionCut(error)) {
            endWith('aborted', 'stream_aborted');
          } else {
            endWith('error', 'stream_error', error);
          }
          controller.error(error);
          return;
        }
        if (next.done) {
          if (facts.errored) endWith('error', 'stream_error', facts.error);
          else endWith('success', 'stream_no_usage');
          controller.close();
          return;
        }
        inspectPart(next.value, facts, provider);
        controller.enqueue(next.value);
      },
      async cancel(reason) {
        if (facts.finished && !facts.errored) endWith('success', 'stream_no_usage');
        else endWith('aborted', 'stream_aborted');
        await reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
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
    reportInternal(error);
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

function reportInternal(error: unknown): void {
  logger.error(`llmCostMiddleware failed: ${errorMessage(error)}`);
}
