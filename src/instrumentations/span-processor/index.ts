export { LLMCostSpanProcessor, type LLMCostSpanProcessorOptions } from './processor.js';
export { type SpanCall, spanCall, usageOf } from './span-facts.js';
