/** `embeddings.create`: usage is `{ prompt_tokens, total_tokens }`; never streamed. */
import type { OpenAISurface, ResultFacts, StreamReader } from './types.js';

export function readEmbeddings(result: unknown): ResultFacts {
  const r = (result ?? {}) as { usage?: unknown; model?: unknown };
  return {
    usage: r.usage ?? undefined,
    model: typeof r.model === 'string' && r.model !== '' ? r.model : undefined,
  };
}

const noStream: StreamReader = { onChunk: () => true, facts: () => ({}) };

export const embeddingsSurface: OpenAISurface = {
  apiOperation: 'embeddings',
  usageShape: 'openai.embeddings',
  readResult: readEmbeddings,
  streamReader: () => noStream,
};
