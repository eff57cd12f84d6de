/**
 * Entry points of the SDK instrumentations: `instrumentClient()` (explicit, per client, ESM-safe)
 * dispatches by the client's shape; `enableInstrumentations()` patches the named SDK modules when
 * they load. Both are idempotent and combine without double counting (see `shared/wrapping.ts`).
 */
import type { InstrumentationName } from '../config/options.js';
import { logger } from '../diag.js';
import { anthropicModulePatch, instrumentAnthropic, isAnthropicClient } from './anthropic/index.js';
import { geminiModulePatch, instrumentGemini, isGeminiClient } from './gemini/index.js';
import { instrumentOpenAI, isOpenAIClient, openaiModulePatch } from './openai/index.js';
import type { CallSink } from './shared/call-sink.js';
import { ownFileURL, registerEsmLoader } from './shared/esm-loader.js';
import { enableModulePatches, patchImportedEsm } from './shared/module-patcher.js';
import { reportFailure } from './shared/safely.js';
import type { SdkModulePatch } from './shared/sdk-patch.js';

export type { CallSink, TelemetrySource } from './shared/call-sink.js';
export type { SdkModulePatch } from './shared/sdk-patch.js';

interface ClientInstrumenter {
  matches(client: unknown): boolean;
  instrument<T>(telemetry: CallSink, client: T): T;
}

const CLIENTS: ClientInstrumenter[] = [
  { matches: isOpenAIClient, instrument: instrumentOpenAI },
  { matches: isAnthropicClient, instrument: instrumentAnthropic },
  { matches: isGeminiClient, instrument: instrumentGemini },
];

export const MODULE_PATCHES: SdkModulePatch[] = [openaiModulePatch, anthropicModulePatch, geminiModulePatch];

/** Measure this client instance (OpenAI, Anthropic, GoogleGenAI); returns the same object. */
export function instrumentClient<T>(telemetry: CallSink, client: T): T {
  try {
    const instrumenter = CLIENTS.find((c) => c.matches(client));
    if (instrumenter) return instrumenter.instrument(telemetry, client);
    logger.warn('instrument(): not a client we know (OpenAI, Anthropic, GoogleGenAI); it is not measured');
  } catch (error) {
    reportFailure('instrument()', error);
  }
  return client;
}

/**
 * Patch the named SDK modules on load; returns a function that restores the originals.
 * `preloaded`: we run before the app's code (`--import`/`--require llm-cost-otel/register`), so no
 * SDK can have been imported yet and there is nothing to look for.
 */
export function enableInstrumentations(
  telemetry: CallSink,
  names: readonly InstrumentationName[],
  options: { preloaded?: boolean } = {},
): { disable: () => void; ready: Promise<void> } {
  const sdks = MODULE_PATCHES.filter((p) => names.includes(p.name));
  if (sdks.length === 0) return { disable: () => {}, ready: Promise.resolve() };
  registerEsmLoader(ownFileURL());
  const source = () => (telemetry.isShutdown ? undefined : telemetry);
  const disable = enableModulePatches(sdks, source);
  const undo: Array<() => void> = [];
  let disabled = false;
  const ready = options.preloaded
    ? Promise.resolve()
    : patchImportedEsm(sdks, source, (step) => (disabled ? step() : undo.push(step))).then((patched) => {
        if (patched.length > 0) logger.debug(`ESM SDK modules checked and patched: ${patched.join(', ')}`);
      });
  return {
    ready,
    disable: () => {
      disabled = true;
      for (const step of undo.splice(0)) step();
      disable();
    },
  };
}
