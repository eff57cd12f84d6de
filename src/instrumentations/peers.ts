/**
 * Other OpenTelemetry instrumentations of the same SDKs. `@opentelemetry/instrumentation-openai`
 * records `gen_ai.client.token.usage` / `gen_ai.client.operation.duration` for every call through
 * the `openai` SDK; when it is loaded, recording them again under our scope would double every
 * sum over scopes (and repeat the family in one exposition), so we leave them to it.
 */
import { createRequire } from 'node:module';
import { ownFileURL } from './shared/esm-loader.js';

const OFFICIAL_OPENAI = /[\\/]@opentelemetry[\\/]instrumentation-openai[\\/]/;
/** How long a "not loaded" answer is trusted (an app may load it after us). */
const RECHECK_MS = 5000;

let loaded = false;
let checkedAt = Number.NEGATIVE_INFINITY;

/** True when `@opentelemetry/instrumentation-openai` is loaded in this process. */
export function officialOpenAIInstrumentationLoaded(): boolean {
  if (loaded) return true;
  const now = performance.now();
  if (now - checkedAt < RECHECK_MS) return false;
  checkedAt = now;
  const cache = createRequire(ownFileURL()).cache;
  for (const file in cache) {
    if (OFFICIAL_OPENAI.test(file)) {
      loaded = true;
      break;
    }
  }
  return loaded;
}
