/**
 * `models.generateContent()`: one record per HTTP request. We wrap `Models#generateContentInternal`
 * (one request each), under the public method, because the public method may send several billed
 * requests — automatic continuation hops and automatic function calling turns — and returns only
 * the merged or last response. The caller's promise is returned untouched.
 */
import type { AnyFunction } from '../anthropic/wrapping.js';
import type { TelemetrySource } from '../shared/sdk-patch.js';
import { callInSpan, endWithRequestError, geminiUsage, safely, startGeminiCall } from './gemini-call.js';
import { serviceTierOf } from './service-tier.js';

interface GenerateContentResponseLike {
  usageMetadata?: unknown;
  modelVersion?: unknown;
}

export function wrapGenerateContent(
  source: TelemetrySource,
  original: AnyFunction,
  isActive: () => boolean,
): AnyFunction {
  return function generateContent(this: unknown, ...args: unknown[]) {
    const telemetry = isActive() ? source() : undefined;
    if (telemetry === undefined || telemetry.isShutdown) return original.apply(this, args);
    let call: ReturnType<typeof startGeminiCall>;
    try {
      call = startGeminiCall(telemetry, this, args[0], 'generate_content', false);
    } catch (error) {
      // Only the guard's refusal gets out of startGeminiCall: a rejected promise, as the SDK fails.
      return Promise.reject(error);
    }
    if (call === undefined) return original.apply(this, args);
    const { tracker, provider } = call;
    const result = callInSpan(tracker, () => original.apply(this, args));
    Promise.resolve(result).then(
      (response: GenerateContentResponseLike | undefined) =>
        safely('observing a generateContent response', () =>
          tracker.end({
            outcome: 'success',
            usage: geminiUsage(provider, response?.usageMetadata),
            responseModel: typeof response?.modelVersion === 'string' ? response.modelVersion : undefined,
            serviceTier: serviceTierOf(response?.usageMetadata, args[0]),
          }),
        ),
      (error: unknown) =>
        safely('observing a generateContent error', () => endWithRequestError(tracker, error)),
    );
    return result;
  };
}
