export { ATTR_DEFERRED } from './call.js';
export {
  type AiSdkCallOptionsLike,
  type AiSdkGenerateResultLike,
  type AiSdkModelLike,
  type AiSdkStreamResultLike,
  type LLMCostMiddleware,
  type LLMCostMiddlewareOptions,
  llmCostMiddleware,
} from './middleware.js';
export { resolveVercelModel, vercelProviderName } from './provider-name.js';
export { readAiSdkUsage } from './usage.js';
