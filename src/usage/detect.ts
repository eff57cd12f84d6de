/**
 * Which wire shape a raw usage object is, from the fields present, among the shapes its provider
 * returns. Detection looks only at field names (`in`), never at values.
 */
import type { UsageDialect } from './dialect.js';
import type { RawRecord } from './read.js';
import type { UsageShape } from './types.js';

export function detectShape(u: RawRecord, dialect: UsageDialect): UsageShape | undefined {
  const candidate = fieldShape(u);
  if (candidate === undefined) return undefined;
  const shapes = dialect.shapes;
  if (candidate !== 'input_tokens') return shapes.includes(candidate) ? candidate : undefined;
  // `{ input_tokens, output_tokens }` alone is both Anthropic and Responses; the provider decides.
  for (const shape of shapes) {
    if (shape === 'anthropic.messages' || shape === 'openai.responses') return shape;
  }
  return undefined;
}

function fieldShape(u: RawRecord): UsageShape | 'input_tokens' | undefined {
  if (
    'promptTokenCount' in u ||
    'candidatesTokenCount' in u ||
    'totalTokenCount' in u ||
    'thoughtsTokenCount' in u ||
    'prompt_token_count' in u ||
    'candidates_token_count' in u ||
    'total_token_count' in u
  ) {
    return 'gemini';
  }
  if ('inputTokens' in u || 'outputTokens' in u || 'totalTokens' in u) return 'bedrock.converse';
  if ('completion_tokens' in u || 'prompt_cache_hit_tokens' in u) return 'openai.chat';
  if ('prompt_tokens' in u) return 'openai.embeddings';
  if ('cache_read_input_tokens' in u || 'cache_creation_input_tokens' in u || 'cache_creation' in u) {
    return 'anthropic.messages';
  }
  if ('input_tokens_details' in u || 'output_tokens_details' in u || 'total_tokens' in u) {
    const details = u['output_tokens_details'];
    // Anthropic's output_tokens_details carries thinking_tokens; OpenAI's carries reasoning_tokens.
    if (typeof details === 'object' && details !== null && 'thinking_tokens' in details) {
      return 'anthropic.messages';
    }
    return 'openai.responses';
  }
  if ('input_tokens' in u || 'output_tokens' in u) return 'input_tokens';
  return undefined;
}
