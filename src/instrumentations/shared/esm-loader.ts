/**
 * ESM apps are patched by import-in-the-middle, whose loader hook must be registered (Node ≥ 20.6
 * `module.register`) before the SDK is imported. `llm-cost-otel/register` does it first thing when
 * preloaded with `--import`; `register()` does it too, so SDKs imported (dynamically) afterwards are
 * patched. Only the SDK packages are intercepted (`include`), so other modules load untouched.
 */
import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import { logger } from '../../diag.js';
import { errorMessage } from '../../util/error-message.js';

const KEY = Symbol.for('llm-cost-otel.esm-loader');
type Holder = { [KEY]?: boolean };

/** The packages whose ESM namespaces import-in-the-middle wraps for us. */
export const ESM_PATCHED_MODULES = ['openai', '@anthropic-ai/sdk', '@google/genai'];

/** Register the import-in-the-middle loader once per process. `parentURL`: a file URL of ours. */
export function registerEsmLoader(parentURL: string): boolean {
  const holder = globalThis as Holder;
  if (holder[KEY]) return true;
  const register = (
    nodeModule as { register?: (specifier: string, parent: string, options?: object) => void }
  ).register;
  if (typeof register !== 'function') return false;
  try {
    register('@opentelemetry/instrumentation/hook.mjs', parentURL, {
      data: { include: ESM_PATCHED_MODULES },
    });
    holder[KEY] = true;
    return true;
  } catch (error) {
    logger.warn(
      `ESM auto-instrumentation unavailable (${errorMessage(error)}); use telemetry.instrument(client)`,
    );
    return false;
  }
}

/** A file URL inside this package, in the ESM and the CommonJS build alike. */
export function ownFileURL(): string {
  // The CommonJS build has `__filename`; in the ESM build it is undefined and `import.meta` works.
  return typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;
}
