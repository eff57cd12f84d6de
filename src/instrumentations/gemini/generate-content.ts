/**
 * `models.generateContent()`: one record per HTTP request. We wrap `Models#generateContentInternal`
 * (one request each), under the public method, because the public method may send several billed
 * requests — automatic continuation hops and automatic function calling turns — and returns only
 * the merged or last response. The caller's promise is returned untouched.
 */
import type { TelemetrySource } from '../shared/call-sink.js';
import { safely } from '../shared/safely.js';
import { activeSink, callMeasured } from '../shared/sdk-call.js';
import type { AnyFunction } from '../shared/wrapping.js';
import { endWithRequestError, geminiUsage, startGeminiCall } from './gemini-call.js';
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
    const sink = activeSink(source, isActive);
    if (sink === undefined) return original.apply(this, args);
    return callMeasured(
      'a Google GenAI call',
      this,
      original,
      args,
      () => startGeminiCall(sink, this, args[0], 'generate_content', false),
      (result, { tracker, provider }) => {
        Promise.resolve(result as Promise<GenerateContentResponseLike | undefined>).then(
          (response) =>
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
      },
    );
  };
}
