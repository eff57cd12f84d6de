/**
 * OpenAI instrumentation (`openai` 4.19–6.x, see `SUPPORTED_OPENAI_VERSIONS`): chat completions
 * (JSON, streams, `parse`, `stream()`), responses (JSON, streams) and embeddings, for `OpenAI` and
 * `AzureOpenAI` clients. Two ways in, one record per call whichever is used (or both):
 * `instrumentOpenAI(telemetry, client)` wraps one client's resource objects; `openaiModulePatch`
 * wraps the resource classes' prototypes when the module loads.
 */
import type { CallSink, TelemetrySource } from '../shared/call-sink.js';
import { prototypePatch, type SdkModulePatch } from '../shared/sdk-patch.js';
import { type AnyFunction, undoAll, wrapMethod } from '../shared/wrapping.js';
import { instrumentedCreate } from './call.js';
import { chatSurface } from './chat.js';
import { embeddingsSurface } from './embeddings.js';
import { responsesSurface } from './responses.js';
import { type OpenAISurface, SUPPORTED_OPENAI_VERSIONS } from './types.js';

export { SUPPORTED_OPENAI_VERSIONS } from './types.js';

interface OpenAIClientLike {
  chat?: { completions?: object };
  responses?: object;
  embeddings?: object;
  withOptions?: AnyFunction;
}

/** True when `client` looks like an `OpenAI` / `AzureOpenAI` instance. */
export function isOpenAIClient(client: unknown): boolean {
  const c = client as OpenAIClientLike | null;
  return (
    !!c &&
    typeof c === 'object' &&
    typeof (c.chat?.completions as { create?: unknown } | undefined)?.create === 'function' &&
    typeof (c.embeddings as { create?: unknown } | undefined)?.create === 'function'
  );
}

function wrapCreate(
  target: object | undefined,
  surface: OpenAISurface,
  source: TelemetrySource,
): (() => void) | undefined {
  if (!target) return undefined;
  return wrapMethod(target, 'create', (original, isActive) =>
    instrumentedCreate(surface, original, source, isActive),
  );
}

/** Measure this client's calls (idempotent: a second call changes nothing). Returns the client. */
export function instrumentOpenAI<T>(telemetry: CallSink, client: T): T {
  const c = client as OpenAIClientLike;
  const source: TelemetrySource = () => telemetry;
  wrapCreate(c.chat?.completions, chatSurface, source);
  wrapCreate(c.responses, responsesSurface, source);
  wrapCreate(c.embeddings, embeddingsSurface, source);
  // `client.withOptions({...})` (openai 5+) returns a new client: measure it too.
  if (typeof c.withOptions === 'function') {
    wrapMethod(
      c,
      'withOptions',
      (original) =>
        function withOptions(this: unknown, ...args: unknown[]) {
          const derived = original.apply(this, args);
          return isOpenAIClient(derived) ? instrumentOpenAI(telemetry, derived) : derived;
        },
    );
  }
  return client;
}

interface OpenAIClassLike {
  Chat?: { Completions?: { prototype: object } };
  Responses?: { prototype: object };
  Embeddings?: { prototype: object };
}

/** The `OpenAI` class from CommonJS exports or an ESM namespace. */
function openAIClass(exports: unknown): OpenAIClassLike | undefined {
  const e = exports as { OpenAI?: unknown; default?: { OpenAI?: unknown } } | undefined;
  const cls = e?.OpenAI ?? e?.default?.OpenAI ?? e?.default;
  return typeof cls === 'function' ? (cls as OpenAIClassLike) : undefined;
}

function resourcePrototypes(exports: unknown): Array<[object | undefined, OpenAISurface]> {
  const cls = openAIClass(exports);
  return [
    [cls?.Chat?.Completions?.prototype, chatSurface],
    [cls?.Responses?.prototype, responsesSurface],
    [cls?.Embeddings?.prototype, embeddingsSurface],
  ];
}

export const openaiModulePatch: SdkModulePatch = prototypePatch(
  { name: 'openai', moduleName: 'openai', supportedVersions: [SUPPORTED_OPENAI_VERSIONS] },
  (exports) => resourcePrototypes(exports).find(([proto]) => proto !== undefined)?.[0],
  (source, exports) =>
    undoAll(resourcePrototypes(exports).map(([proto, surface]) => wrapCreate(proto, surface, source))),
);
