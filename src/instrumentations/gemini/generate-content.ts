/**
 * `models.generateContent()`: one record per HTTP request. We wrap `Models#generateContentInternal`
 * (one request each), under the public method, because the public method may send several billed
 * requests — automatic continuation hops and automatic function calling turns — and returns only
 * the merged or last response. The caller's promise is returned untouched.
 */
import { safely } from '../shared/safely.js';
import type { MeasuredMethod } from '../shared/sdk-call.js';
import { endWithRequestError, type GeminiCall, geminiUsage, startGeminiCall } from './gemini-call.js';
import { serviceTierOf } from './service-tier.js';

interface GenerateContentResponseLike {
  usageMetadata?: unknown;
  modelVersion?: unknown;
}

/** `Models#generateContentInternal`: one request, its usage from the response. */
export const GENERATE_CONTENT: MeasuredMethod<GeminiCall> = {
  what: 'a Google GenAI call',
  open: (sink, models, args) => startGeminiCall(sink, models, args[0], 'generate_content', false),
  observe(result, { tracker, provider }, args) {
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
};
