/**
 * Zero-code entry: `node --import llm-cost-otel/register app.js` (ESM) or
 * `node --require llm-cost-otel/register app.js` (CommonJS). Configured by env (see README);
 * `LLM_COST_INSTRUMENTATIONS` defaults to `all` here (`none` turns patching off), so the OpenAI,
 * Anthropic and Google GenAI SDKs are measured as soon as the app loads them.
 * Never throws into the app: a bad configuration is reported and the app starts without us.
 *
 * Main thread only: Node also runs `--require` preloads in its module-loader hooks thread (which
 * our ESM loader registration starts), and a telemetry there would be a second, unused one.
 * Apps that call LLMs from worker threads call `register()` inside them.
 */
import { isMainThread } from 'node:worker_threads';
import { logger } from './diag.js';
import { ownFileURL, registerEsmLoader } from './instrumentations/shared/esm-loader.js';
import { register } from './register.js';
import { markPreloaded } from './shared-instance.js';
import { errorMessage } from './util/error-message.js';

if (isMainThread) start();

function start(): void {
  try {
    const env = process.env.LLM_COST_INSTRUMENTATIONS?.trim();
    const off = env !== undefined && /^(none|false)$/i.test(env);
    // Before anything is imported: ESM SDK modules can only be patched through the loader hook.
    if (!off) registerEsmLoader(ownFileURL());
    markPreloaded();
    register(env ? undefined : { instrumentations: true });
  } catch (error) {
    logger.error(`llm-cost-otel/register: ${errorMessage(error)}`);
    console.error(`[llm-cost-otel] not started: ${errorMessage(error)}`);
  }
}
