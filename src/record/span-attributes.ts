/**
 * Usage and cost as span attributes: the GenAI semconv `gen_ai.*` names plus the proposed
 * `gen_ai.usage.cost.*` and our `llm.task.id`. Never prompt or completion content.
 */
import type { Span } from '@opentelemetry/api';
import { boundedText } from '../bounded-text.js';
import type { TokenUsage } from '../types.js';

export const ATTR = {
  providerName: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  operationName: 'gen_ai.operation.name',
  agentName: 'gen_ai.agent.name',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheWriteInputTokens: 'gen_ai.usage.cache_write.input_tokens',
  reasoningOutputTokens: 'gen_ai.usage.reasoning.output_tokens',
  costAmount: 'gen_ai.usage.cost.amount',
  costCurrency: 'gen_ai.usage.cost.currency',
  costSource: 'gen_ai.usage.cost.source',
  serviceTier: 'gen_ai.openai.response.service_tier',
  errorType: 'error.type',
  taskId: 'llm.task.id',
  /** The app's own operation (`llm_operation_name`); `gen_ai.operation.name` is the API operation. */
  llmOperation: 'llm.operation.name',
  /** The reported usage is above `maxPlausibleTokens` (recorded as reported). */
  implausibleUsage: 'llm.usage.implausible',
  /** How the price was matched: exact, snapshot, alias, override or approximate. */
  priceMatch: 'llm.price.match',
  /** Marks a span whose usage our recorder already counted (dedup for span processors). */
  recorded: 'llm.cost.recorded',
} as const;

export interface SpanAnnotation {
  provider: string;
  model: string;
  responseModel?: string;
  apiOperation: string;
  operation: string;
  agent: string;
  task?: string;
  usage?: TokenUsage;
  costUsd?: number;
  costSource?: 'provider' | 'local';
  serviceTier?: string;
  errorType?: string;
  implausible?: boolean;
  priceMatch?: string;
}

/**
 * Strings that can come from a provider's response (models, service tier, error type) pass
 * `boundedText` (one documented limit, control characters replaced), whatever path they took to
 * get here; names the app itself chose (provider, agent, operations, task) are set as given.
 */
export function annotateSpan(span: Span, facts: SpanAnnotation): void {
  span.setAttribute(ATTR.providerName, facts.provider);
  setText(span, ATTR.requestModel, facts.model);
  if (facts.responseModel) setText(span, ATTR.responseModel, facts.responseModel);
  span.setAttribute(ATTR.operationName, facts.apiOperation);
  span.setAttribute(ATTR.llmOperation, facts.operation);
  span.setAttribute(ATTR.agentName, facts.agent);
  if (facts.task) span.setAttribute(ATTR.taskId, facts.task);
  const u = facts.usage;
  if (u) {
    span.setAttribute(ATTR.inputTokens, u.inputTokens);
    span.setAttribute(ATTR.outputTokens, u.outputTokens);
    if (u.cacheReadTokens) span.setAttribute(ATTR.cacheReadInputTokens, u.cacheReadTokens);
    if (u.cacheWriteTokens) span.setAttribute(ATTR.cacheWriteInputTokens, u.cacheWriteTokens);
    if (u.reasoningTokens) span.setAttribute(ATTR.reasoningOutputTokens, u.reasoningTokens);
  }
  if (facts.costUsd !== undefined && facts.costSource !== undefined) {
    span.setAttribute(ATTR.costAmount, facts.costUsd);
    span.setAttribute(ATTR.costCurrency, 'USD');
    span.setAttribute(ATTR.costSource, facts.costSource);
  }
  if (facts.priceMatch) span.setAttribute(ATTR.priceMatch, facts.priceMatch);
  if (facts.serviceTier) setText(span, ATTR.serviceTier, facts.serviceTier);
  if (facts.errorType) setText(span, ATTR.errorType, facts.errorType);
  if (facts.implausible) span.setAttribute(ATTR.implausibleUsage, true);
  span.setAttribute(ATTR.recorded, true);
}

function setText(span: Span, key: string, value: string): void {
  const text = boundedText(value);
  if (text !== undefined) span.setAttribute(key, text);
}
