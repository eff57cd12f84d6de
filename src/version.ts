// Generated from package.json by `npm run generate` (scripts/generate-version.mjs): do not edit.
/** The version of llm-cost-otel: build info, instrumentation scopes, `llm-cost --version`. */
export const VERSION = '0.1.0';
