/**
 * Zero-code entry: `node --import llm-cost-otel/register app.js` (ESM) or
 * `node --require llm-cost-otel/register app.js` (CommonJS). Configured by env (see README).
 * Never throws into the app: a bad configuration is reported and the app starts without us.
 */
import { logger } from './diag.js';
import { register } from './register.js';

try {
  register();
} catch (error) {
  logger.error(`llm-cost-otel/register: ${error instanceof Error ? error.message : String(error)}`);
  console.error(`[llm-cost-otel] not started: ${error instanceof Error ? error.message : String(error)}`);
}
