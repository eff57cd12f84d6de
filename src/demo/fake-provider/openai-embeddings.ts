/** OpenAI `POST /v1/embeddings`: float or base64 vectors (the SDK asks for base64 by default). */
import { embeddingVector, hash32 } from './deterministic.js';
import type { Exchange } from './exchange.js';
import { sendJson } from './http.js';
import { estimateTokens, openaiEmbeddingsUsage, planEmbeddingUsage } from './usage.js';

const DEFAULT_DIMENSIONS: Record<string, number> = { 'text-embedding-3-large': 3072 };

/** The inputs as a list: a string, strings, a token array or token arrays. */
function inputs(input: unknown): unknown[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && typeof input[0] === 'number') return [input];
  return Array.isArray(input) ? input : [];
}

function tokensOf(input: unknown): number {
  if (typeof input === 'string') return estimateTokens(input.length);
  return Array.isArray(input) ? input.length : 0;
}

export function embeddingPromptTokens(body: Record<string, unknown>): number {
  return inputs(body['input']).reduce((sum: number, item) => sum + tokensOf(item), 0);
}

export function handleEmbeddings(ex: Exchange): void {
  const items = inputs(ex.body['input']);
  const requested = ex.body['dimensions'];
  const dimensions =
    typeof requested === 'number' && requested > 0 ? requested : (DEFAULT_DIMENSIONS[ex.route.model] ?? 1536);
  const base64 = ex.body['encoding_format'] === 'base64';
  const usage = planEmbeddingUsage(embeddingPromptTokens(ex.body), ex.control.usage);
  ex.record.usage = usage;
  const data = items.map((item, index) => {
    const vector = embeddingVector(hash32(JSON.stringify(item)), dimensions, ex.options.seed);
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  sendJson(
    ex,
    {
      object: 'list',
      data,
      model: ex.responseModel,
      ...(ex.control.scenarios.has('no-usage') ? {} : { usage: openaiEmbeddingsUsage(usage) }),
    },
    'openai',
  );
}
