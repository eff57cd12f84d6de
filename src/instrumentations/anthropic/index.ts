/**
 * Anthropic (`@anthropic-ai/sdk`) instrumentation. Supported range: `ANTHROPIC_SDK_RANGE`
 * (tested with 1.12.0). For the dispatcher and the auto-patcher (src/instrumentations/index.ts):
 *
 * - `isAnthropicClient(obj)` — duck-typed: an object with `messages.create`/`messages.stream` and
 *   a string `baseURL` (the `Anthropic` client; Bedrock/Vertex variants too, priced under the
 *   provider name the client reports in `_genAIProviderName`).
 * - `instrumentAnthropic(telemetry, client)` — instance level, ESM-safe: wraps this client's
 *   `messages.create` and `beta.messages.create` as own properties. Idempotent (Symbol mark);
 *   returns the same client. `uninstrumentAnthropic(client)` undoes it.
 * - `patchAnthropicModule(telemetry, moduleExports) → unpatch()`, and the same as
 *   `anthropicModulePatch: SdkModulePatch` for module-patcher.ts — prototype level, for
 *   `register({ instrumentations: ['anthropic'] })`: wraps `Messages.prototype.create` and
 *   `Beta.Messages.prototype.create`, found as `Anthropic.Messages` / `Anthropic.Beta.Messages` on
 *   the module's exports (ESM namespace or CJS `module.exports`, `default` or named `Anthropic`).
 *   `unpatch()` restores the originals (or, when someone wrapped after us, makes ours a
 *   pass-through). Works with either order of instance + prototype patching and never counts a call
 *   twice: a wrapper always wraps the SDK's original function, never another of our wrappers.
 *
 * Only `create()` is wrapped: `messages.stream()` (MessageStream, `finalMessage()`),
 * `messages.parse()` and the beta tool runner all call `create()` on the same resource, so each
 * call is recorded once. The SDK's own OTel spans (1.x: `anthropic.messages.create`, and the
 * helper's span for `messages.stream()`) are never read by us. For a GenAI span processor to skip
 * them: `create()`'s SDK span is a child of our CLIENT span (given a context manager), and a
 * helper's SDK span is the parent of ours and carries `llm.cost.recorded = true`.
 */
import { logger } from '../../diag.js';
import type { CallSink, TelemetrySource } from '../shared/call-sink.js';
import { reportFailure } from '../shared/safely.js';
import { instrumentOnce, prototypePatch, type SdkModulePatch, uninstrument } from '../shared/sdk-patch.js';
import { undoAll, wrapMethod } from '../shared/wrapping.js';
import { wrapMessagesCreate } from './messages.js';

/** `@anthropic-ai/sdk` versions this instrumentation supports (semver range). */
export const ANTHROPIC_SDK_RANGE = '>=0.30.0 <2';

const INSTRUMENTED = Symbol.for('llm-cost-otel.anthropic.instrumented');

interface ResourceLike {
  create?: unknown;
  stream?: unknown;
}

interface AnthropicClientLike {
  baseURL: string;
  messages: ResourceLike;
  beta?: { messages?: ResourceLike };
}

export function isAnthropicClient(obj: unknown): obj is AnthropicClientLike {
  if (typeof obj !== 'object' || obj === null) return false;
  try {
    const c = obj as Partial<AnthropicClientLike>;
    return (
      typeof c.baseURL === 'string' &&
      typeof c.messages?.create === 'function' &&
      typeof c.messages?.stream === 'function'
    );
  } catch {
    return false;
  }
}

function wrapCreate(source: TelemetrySource, target: unknown): (() => void) | undefined {
  if (typeof target !== 'object' || target === null) return undefined;
  return wrapMethod(target, 'create', (original, isActive) => wrapMessagesCreate(source, original, isActive));
}

/** Measure this Anthropic client's messages calls. Returns the same client. */
export function instrumentAnthropic<T>(telemetry: CallSink, client: T): T {
  try {
    if (!isAnthropicClient(client)) {
      logger.warn('instrumentAnthropic: not an Anthropic client (no messages.create); left as it is');
      return client;
    }
    const source = () => telemetry;
    return instrumentOnce(client, INSTRUMENTED, () =>
      undoAll([wrapCreate(source, client.messages), wrapCreate(source, client.beta?.messages)]),
    );
  } catch (error) {
    reportFailure('instrumentAnthropic', error);
    return client;
  }
}

/** Undo `instrumentAnthropic(client)`. */
export function uninstrumentAnthropic(client: unknown): void {
  uninstrument(client, INSTRUMENTED);
}

interface AnthropicModuleLike {
  Messages?: { prototype?: object };
  Beta?: { Messages?: { prototype?: object } };
}

function clientClassOf(moduleExports: unknown): AnthropicModuleLike | undefined {
  if (moduleExports === null || (typeof moduleExports !== 'object' && typeof moduleExports !== 'function')) {
    return undefined;
  }
  const m = moduleExports as { Anthropic?: unknown; default?: unknown };
  for (const candidate of [
    m.Anthropic,
    m.default,
    (m.default as { Anthropic?: unknown } | undefined)?.Anthropic,
    m,
  ]) {
    if (
      typeof candidate === 'function' &&
      typeof (candidate as AnthropicModuleLike).Messages === 'function'
    ) {
      return candidate as AnthropicModuleLike;
    }
  }
  return undefined;
}

/** The resource prototypes a module's exports lead to. */
function resourcePrototypes(moduleExports: unknown): object[] {
  const Client = clientClassOf(moduleExports);
  return [Client?.Messages?.prototype, Client?.Beta?.Messages?.prototype].filter(
    (p): p is object => typeof p === 'object' && p !== null,
  );
}

function patchPrototypes(source: TelemetrySource, moduleExports: unknown): () => void {
  try {
    const prototypes = resourcePrototypes(moduleExports);
    if (prototypes.length === 0) {
      logger.warn('@anthropic-ai/sdk: no Anthropic.Messages class in this version; calls are not measured');
      return () => {};
    }
    return undoAll(prototypes.map((proto) => wrapCreate(source, proto)));
  } catch (error) {
    reportFailure('patching @anthropic-ai/sdk', error);
    return () => {};
  }
}

/** Patch the SDK's resource prototypes (auto-instrumentation). Returns `unpatch()`. */
export function patchAnthropicModule(telemetry: CallSink, moduleExports: unknown): () => void {
  return patchPrototypes(() => telemetry, moduleExports);
}

/** The same prototype patch in the shape `module-patcher.ts` takes (telemetry looked up per call). */
export const anthropicModulePatch: SdkModulePatch = prototypePatch(
  { name: 'anthropic', moduleName: '@anthropic-ai/sdk', supportedVersions: [ANTHROPIC_SDK_RANGE] },
  (moduleExports) => resourcePrototypes(moduleExports)[0],
  patchPrototypes,
);
