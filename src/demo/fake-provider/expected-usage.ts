/**
 * The usage the server will report for a request body, computed by the same planner the server
 * uses — for tests that check a measured call against what the provider said.
 */
import type { UsageBuckets } from '../../types.js';
import { describeMessages } from './anthropic-messages.js';
import { describeGenerate, embedPromptTokens } from './gemini.js';
import { describeChat } from './openai-chat.js';
import { embeddingPromptTokens } from './openai-embeddings.js';
import { describeResponses } from './openai-responses.js';
import { resolveOptions } from './options.js';
import type { FakeEndpoint, FakeProviderOptions } from './types.js';
import { planEmbeddingUsage, planUsage } from './usage.js';

export interface FakeUsageRequest {
  endpoint: FakeEndpoint;
  /** Model as sent (Gemini: from the path, without `models/`). */
  model: string;
  /** The JSON body as sent on the wire (Gemini: after the SDK's conversion, e.g. `generationConfig`). */
  body: Record<string, unknown>;
}

/** Usage in disjoint buckets for `request`, given the server's `options` (before `x-fake-usage`). */
export function computeFakeUsage(request: FakeUsageRequest, options?: FakeProviderOptions): UsageBuckets {
  const resolved = resolveOptions(options);
  const { endpoint, model, body } = request;
  switch (endpoint) {
    case 'openai.chat':
      return planUsage(describeChat(body, model), resolved).usage;
    case 'openai.responses':
      return planUsage(describeResponses(body, model), resolved).usage;
    case 'anthropic.messages':
      return planUsage(describeMessages(body, model), resolved).usage;
    case 'gemini.generateContent':
      return planUsage(describeGenerate(body, model), resolved).usage;
    case 'openai.embeddings':
      return planEmbeddingUsage(embeddingPromptTokens(body));
    case 'gemini.embedContent': {
      const requests = Array.isArray(body['requests']) ? body['requests'] : [body];
      return planEmbeddingUsage(embedPromptTokens(requests));
    }
  }
}
