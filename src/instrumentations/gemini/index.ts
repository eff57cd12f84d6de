/**
 * Google GenAI (`@google/genai`) instrumentation. Supported range: `GOOGLE_GENAI_SDK_RANGE`
 * (tested with 2.32.0). For the dispatcher and the auto-patcher (src/instrumentations/index.ts):
 *
 * - `isGeminiClient(obj)` — duck-typed: `obj.models` has `generateContent`,
 *   `generateContentStream` and `embedContent` (a `GoogleGenAI` instance, Gemini API or Vertex AI).
 * - `instrumentGemini(telemetry, client)` — instance level, ESM-safe: wraps this client's
 *   `models` methods as own properties. Idempotent (Symbol mark); returns the same client.
 *   `uninstrumentGemini(client)` undoes it.
 * - `patchGeminiModule(telemetry, moduleExports) → unpatch()`, and the same as
 *   `geminiModulePatch: SdkModulePatch` for module-patcher.ts — prototype level, for
 *   `register({ instrumentations: ['google-genai'] })`: wraps `Models.prototype` methods, `Models`
 *   found on the module's exports (ESM namespace or CJS exports, or their `default`).
 *   `unpatch()` restores the originals. Never double counts with `instrumentGemini`: a wrapper
 *   always wraps the SDK's original function, never another of our wrappers.
 *
 * What is wrapped: `Models#generateContentInternal`, `#generateContentStreamInternal` and
 * `#embedContentInternal` — one HTTP request each — because the public `generateContent` /
 * `generateContentStream` may send several billed requests for one call (automatic continuation,
 * automatic function calling), and `generateContent`/`generateContentStream`/`embedContent` are
 * per-instance arrow functions that no prototype patch can reach. `chats.*` goes through the same
 * `Models`. On an SDK without those internals, `instrumentGemini` falls back to the public methods
 * (one record per public call) and `patchGeminiModule` measures nothing (reported via diag).
 *
 * Provider: `gcp.vertex_ai` for a Vertex AI client, else `gcp.gemini`. Operations:
 * `generate_content`, `embeddings`.
 */
import { logger } from '../../diag.js';
import type { CallSink, TelemetrySource } from '../shared/call-sink.js';
import { reportFailure } from '../shared/safely.js';
import { type MeasuredMethod, measuredMethod } from '../shared/sdk-call.js';
import { instrumentOnce, prototypePatch, type SdkModulePatch, uninstrument } from '../shared/sdk-patch.js';
import { undoAll, wrapMethod } from '../shared/wrapping.js';
import { EMBED_CONTENT } from './embed-content.js';
import type { GeminiCall } from './gemini-call.js';
import { GENERATE_CONTENT } from './generate-content.js';
import { GENERATE_CONTENT_STREAM } from './generate-content-stream.js';

/** `@google/genai` versions this instrumentation supports (semver range). */
export const GOOGLE_GENAI_SDK_RANGE = '>=1.0.0 <3';

const INSTRUMENTED = Symbol.for('llm-cost-otel.gemini.instrumented');

/** Method names per surface: the per-request internal first, the public method as fallback. */
const SURFACES: ReadonlyArray<{ internal: string; public: string; method: MeasuredMethod<GeminiCall> }> = [
  { internal: 'generateContentInternal', public: 'generateContent', method: GENERATE_CONTENT },
  {
    internal: 'generateContentStreamInternal',
    public: 'generateContentStream',
    method: GENERATE_CONTENT_STREAM,
  },
  { internal: 'embedContentInternal', public: 'embedContent', method: EMBED_CONTENT },
];

interface GeminiClientLike {
  models: Record<string, unknown>;
}

export function isGeminiClient(obj: unknown): obj is GeminiClientLike {
  if (typeof obj !== 'object' || obj === null) return false;
  try {
    const models = (obj as { models?: Record<string, unknown> }).models;
    return (
      typeof models?.['generateContent'] === 'function' &&
      typeof models['generateContentStream'] === 'function' &&
      typeof models['embedContent'] === 'function'
    );
  } catch {
    return false;
  }
}

/** Measure this GoogleGenAI client's `models` calls. Returns the same client. */
export function instrumentGemini<T>(telemetry: CallSink, client: T): T {
  try {
    if (!isGeminiClient(client)) {
      logger.warn('instrumentGemini: not a GoogleGenAI client (no models.generateContent); left as it is');
      return client;
    }
    const models = client.models;
    const source = () => telemetry;
    return instrumentOnce(client, INSTRUMENTED, () =>
      undoAll(
        SURFACES.map(({ internal, public: name, method }) => {
          const slot = typeof models[internal] === 'function' ? internal : name;
          return wrapMethod(models, slot, (original, isActive) =>
            measuredMethod(source, original, isActive, method),
          );
        }),
      ),
    );
  } catch (error) {
    reportFailure('instrumentGemini', error);
    return client;
  }
}

/** Undo `instrumentGemini(client)`. */
export function uninstrumentGemini(client: unknown): void {
  uninstrument(client, INSTRUMENTED);
}

function modelsPrototypeOf(moduleExports: unknown): Record<string, unknown> | undefined {
  if (moduleExports === null || (typeof moduleExports !== 'object' && typeof moduleExports !== 'function')) {
    return undefined;
  }
  const m = moduleExports as {
    Models?: { prototype?: unknown };
    default?: { Models?: { prototype?: unknown } };
  };
  const proto = (m.Models ?? m.default?.Models)?.prototype;
  return typeof proto === 'object' && proto !== null ? (proto as Record<string, unknown>) : undefined;
}

function patchPrototype(source: TelemetrySource, moduleExports: unknown): () => void {
  try {
    const proto = modelsPrototypeOf(moduleExports);
    if (proto === undefined || SURFACES.some(({ internal }) => typeof proto[internal] !== 'function')) {
      logger.warn(
        '@google/genai: Models request methods not found in this version; use telemetry.instrument(client)',
      );
      if (proto === undefined) return () => {};
    }
    return undoAll(
      SURFACES.map(({ internal, method }) =>
        wrapMethod(proto, internal, (original, isActive) =>
          measuredMethod(source, original, isActive, method),
        ),
      ),
    );
  } catch (error) {
    reportFailure('patching @google/genai', error);
    return () => {};
  }
}

/** Patch `Models.prototype` (auto-instrumentation). Returns `unpatch()`. */
export function patchGeminiModule(telemetry: CallSink, moduleExports: unknown): () => void {
  return patchPrototype(() => telemetry, moduleExports);
}

/** The same prototype patch in the shape `module-patcher.ts` takes (telemetry looked up per call). */
export const geminiModulePatch: SdkModulePatch = prototypePatch(
  { name: 'google-genai', moduleName: '@google/genai', supportedVersions: [GOOGLE_GENAI_SDK_RANGE] },
  modelsPrototypeOf,
  patchPrototype,
);
