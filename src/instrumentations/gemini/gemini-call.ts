/**
 * What every Google GenAI wrapper shares: which provider a `Models` module talks to (Gemini API or
 * Vertex AI), the model name as priced, and opening the call's tracker without ever failing the call.
 */
import { BudgetExceededError } from '../../budgets/errors.js';
import { logger } from '../../diag.js';
import type { LLMTelemetry } from '../../telemetry.js';
import type { TokenUsage } from '../../types.js';
import { normalizeUsage } from '../../usage/index.js';
import { errorMessage } from '../../util/error-message.js';
import { USAGE_MISSING } from '../anthropic/wrapping.js';
import { CallTracker, isAbortError } from '../shared/call-tracker.js';

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

export function startGeminiCall(
  telemetry: LLMTelemetry,
  models: unknown,
  params: unknown,
  apiOperation: 'generate_content' | 'embeddings',
  streaming: boolean,
): { tracker: CallTracker; provider: string } | undefined {
  try {
    const provider = providerOf(models);
    const tracker = new CallTracker(telemetry, {
      provider,
      model: modelIdOf((params as { model?: unknown } | undefined)?.model),
      apiOperation,
      serverAddress: serverAddressOf(models),
      streaming,
      ...(telemetry.budgets.guarding ? { body: params } : {}),
    });
    return { tracker, provider };
  } catch (error) {
    // The budget guard's refusal is meant for the caller, before any request is sent.
    if (error instanceof BudgetExceededError) throw error;
    logger.error(`starting a Google GenAI call failed: ${errorMessage(error)}`);
    return undefined;
  }
}

/**
 * Calls `fn` (the SDK method) inside the call's span — once the shared budget store admitted the
 * call, when the guard's answer is a round trip. A synchronous throw ends the call as an error.
 */
export function callInSpan<T>(tracker: CallTracker, fn: () => T): T {
  try {
    const admission = tracker.admission;
    if (admission !== undefined) return tracker.withSpan(() => admission.then(fn)) as T;
    return tracker.withSpan(fn);
  } catch (error) {
    tracker.end({ outcome: 'error', error });
    throw error;
  }
}

/** Runs one step of ours; what it throws goes to diag, never to the caller. */
export function safely(what: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    logger.error(`${what} failed: ${errorMessage(error)}`);
  }
}

/** A request that failed before any response: aborted by the caller's signal, or the SDK's error. */
export function endWithRequestError(tracker: CallTracker, error: unknown): void {
  if (isAbortError(error)) tracker.end({ outcome: 'aborted', usageMissingReason: USAGE_MISSING.aborted });
  else tracker.end({ outcome: 'error', error });
}
