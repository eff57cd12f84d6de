/**
 * What every Google GenAI wrapper shares: which provider a `Models` module talks to (Gemini API or
 * Vertex AI), the model name as priced, opening the call's tracker, and a request's failure.
 */
import type { TokenUsage } from '../../types.js';
import { normalizeUsage } from '../../usage/index.js';
import type { CallSink } from '../shared/call-sink.js';
import { CallTracker } from '../shared/call-tracker.js';
import { isAbortError } from '../shared/sdk-errors.js';
import { USAGE_MISSING } from '../shared/usage-missing.js';

export const GEMINI_PROVIDER = 'gcp.gemini';
export const VERTEX_PROVIDER = 'gcp.vertex_ai';

interface ModelsLike {
  apiClient?: { isVertexAI?: () => boolean; getBaseUrl?: () => string };
}

/** `gcp.vertex_ai` when the `Models` module's API client is a Vertex AI client, else `gcp.gemini`. */
export function providerOf(models: unknown): string {
  try {
    return (models as ModelsLike | undefined)?.apiClient?.isVertexAI?.() === true
      ? VERTEX_PROVIDER
      : GEMINI_PROVIDER;
  } catch {
    return GEMINI_PROVIDER;
  }
}

function serverAddressOf(models: unknown): string | undefined {
  try {
    const url = (models as ModelsLike | undefined)?.apiClient?.getBaseUrl?.();
    return typeof url === 'string' ? new URL(url).hostname : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The model id as priced: `models/gemini-2.5-flash`, `publishers/google/models/gemini-2.5-flash`
 * and `projects/p/locations/l/publishers/google/models/gemini-2.5-flash` all name `gemini-2.5-flash`.
 */
export function modelIdOf(model: unknown): string {
  if (typeof model !== 'string' || model === '') return 'unknown';
  const i = model.lastIndexOf('models/');
  return i >= 0 ? model.slice(i + 'models/'.length) : model;
}

/** Inclusive usage from a `usageMetadata` object. */
export function geminiUsage(provider: string, usageMetadata: unknown): TokenUsage | undefined {
  return normalizeUsage(provider, usageMetadata, 'gemini');
}

/** One Google GenAI request being measured (`OpenedCall` of ../shared/sdk-call.ts). */
export interface GeminiCall {
  tracker: CallTracker;
  provider: string;
}

export function startGeminiCall(
  sink: CallSink,
  models: unknown,
  params: unknown,
  apiOperation: 'generate_content' | 'embeddings',
  streaming: boolean,
): GeminiCall {
  const provider = providerOf(models);
  const tracker = new CallTracker(sink, {
    provider,
    model: modelIdOf((params as { model?: unknown } | undefined)?.model),
    apiOperation,
    serverAddress: serverAddressOf(models),
    streaming,
    ...(sink.budgets.guarding ? { body: params } : {}),
  });
  return { tracker, provider };
}

/** A request that failed before any response: aborted by the caller's signal, or the SDK's error. */
export function endWithRequestError(tracker: CallTracker, error: unknown): void {
  if (isAbortError(error)) tracker.end({ outcome: 'aborted', usageMissingReason: USAGE_MISSING.aborted });
  else tracker.end({ outcome: 'error', error });
}
