/**
 * A local fake LLM provider — OpenAI (chat, responses, embeddings, Azure paths), Anthropic
 * messages and Gemini generateContent/embed shapes, JSON and SSE — for tests, benchmarks and
 * `llm-cost demo`. Loopback only.
 */

export { computeFakeUsage, type FakeUsageRequest } from './expected-usage.js';
export { CONTROL_HEADER, SCENARIOS } from './scenario.js';
export { startFakeProvider } from './server.js';
export type {
  FakeEndpoint,
  FakeFaultRates,
  FakeProvider,
  FakeProviderFamily,
  FakeProviderOptions,
  FakeRequestInfo,
  FakeRequestOutcome,
  FakeScenario,
  RecordedRequest,
} from './types.js';
export {
  anthropicUsage,
  estimateTokens,
  geminiUsageMetadata,
  isGeminiThinkingModel,
  isOpenAIReasoningModel,
  openaiChatUsage,
  openaiEmbeddingsUsage,
  openaiResponsesUsage,
} from './usage.js';
