/**
 * Entry points of the SDK instrumentations. (Stub: the SDK-instrumentation work fills these in.)
 */
import type { InstrumentationName } from '../config/options.js';
import type { LLMTelemetry } from '../telemetry.js';

/** Measure this client instance (OpenAI, Anthropic, GoogleGenAI); returns the same object. */
export function instrumentClient<T>(_telemetry: LLMTelemetry, client: T): T {
  return client;
}

/** Patch the named SDK modules on load; returns a function that restores the originals. */
export function enableInstrumentations(_telemetry: LLMTelemetry, _names: readonly InstrumentationName[]): () => void {
  return () => {};
}
