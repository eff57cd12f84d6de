// A CommonJS helper inside an ESM app: attribution and the error class come from the package's
// CommonJS build (`require`), while the app and the preload use the ESM build.
const { BudgetExceededError, withLLMContext } = require('llm-cost-otel');

/** Run `fn` attributed to `agent` / `operation`. */
exports.runAs = (agent, operation, fn) => withLLMContext({ agent, operation }, fn);

/** `instanceof` with the CommonJS build's class. */
exports.isBudgetExceeded = (error) => error instanceof BudgetExceededError;
