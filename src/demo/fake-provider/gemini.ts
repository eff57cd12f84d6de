/**
 * Gemini API `models/{model}:generateContent`, `:streamGenerateContent` (SSE with `alt=sse`, a
 * JSON array without) and `:embedContent` / `:batchEmbedContents` (which report no usage).
 */
import { type Completion, planCompletion } from './completion.js';
import { embeddingVector, fakeId, hash32 } from './deterministic.js';
import { streamErrorPayload } from './errors.js';
import type { Exchange } from './exchange.js';
import { sendJson } from './http.js';
import { type SseEvent, streamEvents } from './sse.js';
import {
  estimateTokens,
  geminiUsageMetadata,
  isGeminiThinkingModel,
  planEmbeddingUsage,
  promptCharacters,
  type UsageInput,
} from './usage.js';

function generationConfig(body: Record<string, unknown>) {
  return (body['generationConfig'] ?? {}) as {
    maxOutputTokens?: unknown;
    thinkingConfig?: { thinkingBudget?: unknown };
  };
}

function thinkingBudget(body: Record<string, unknown>, model: string): number | undefined {
  if (!isGeminiThinkingModel(model)) return undefined;
  const budget = generationConfig(body).thinkingConfig?.thinkingBudget;
  if (budget === 0) return undefined;
  return typeof budget === 'number' && budget > 0 ? budget : Number.POSITIVE_INFINITY;
}

export function describeGenerate(body: Record<string, unknown>, model: string, stream = false): UsageInput {
  const max = generationConfig(body).maxOutputTokens;
  return {
    endpoint: 'gemini.generateContent',
    model,
    stream,
    promptTokens: estimateTokens(
      promptCharacters(body['contents']) + promptCharacters(body['systemInstruction']),
    ),
    maxOutputTokens: typeof max === 'number' ? max : undefined,
    reasoningBudget: thinkingBudget(body, model),
    cacheWrite: 'none',
  };
}

function candidateChunk(
  ex: Exchange,
  completion: Completion,
  text: string,
  finish: string | null,
  soFar: number,
) {
  return {
    candidates: [
      {
        content: { parts: [{ text }], role: 'model' },
        ...(finish ? { finishReason: finish } : {}),
        index: 0,
      },
    ],
    ...(completion.reportUsage ? { usageMetadata: geminiUsageMetadata(completion.usage, soFar) } : {}),
    modelVersion: ex.responseModel,
    responseId: fakeId('', ex.options.seed, ex.seq),
  };
}

export async function handleGenerate(ex: Exchange): Promise<void> {
  const completion = planCompletion(ex, describeGenerate(ex.body, ex.route.model, ex.route.stream));
  const finish = completion.truncated ? 'MAX_TOKENS' : 'STOP';
  if (!ex.route.stream) {
    sendJson(ex, candidateChunk(ex, completion, completion.text, finish, completion.usage.output), 'gemini');
    return;
  }
  const pieces = completion.pieces.length > 0 ? completion.pieces : [''];
  const chunks = pieces.map((piece, i) =>
    candidateChunk(
      ex,
      completion,
      piece,
      i === pieces.length - 1 ? finish : null,
      i === pieces.length - 1 ? completion.usage.output : i + 1,
    ),
  );
  if (new URL(ex.req.url ?? '/', 'http://x').searchParams.get('alt') !== 'sse') {
    // Without alt=sse the API streams one JSON array; the fake sends it whole.
    sendJson(ex, chunks, 'gemini');
    return;
  }
  const events: SseEvent[] = chunks.map((data) => ({ data }));
  await streamEvents(ex, events, {
    family: 'gemini',
    eol: '\r\n',
    errorEvent: { data: streamErrorPayload('gemini', ex.requestId) },
  });
}

const EMBEDDING_DIMENSIONS: Record<string, number> = { 'gemini-embedding-001': 3072 };

interface EmbedRequest {
  content?: unknown;
  outputDimensionality?: unknown;
}

function embedRequests(ex: Exchange): EmbedRequest[] {
  if (ex.route.single) return [ex.body as EmbedRequest];
  const requests = ex.body['requests'];
  return Array.isArray(requests) ? (requests as EmbedRequest[]) : [];
}

export function embedPromptTokens(requests: EmbedRequest[]): number {
  return requests.reduce((sum, r) => sum + estimateTokens(promptCharacters(r.content)), 0);
}

export function handleEmbed(ex: Exchange): void {
  const requests = embedRequests(ex);
  ex.record.usage = planEmbeddingUsage(embedPromptTokens(requests), ex.control.usage);
  const model = ex.route.model.replace(/^models\//, '');
  const embeddings = requests.map((r) => {
    const dims =
      typeof r.outputDimensionality === 'number'
        ? r.outputDimensionality
        : (EMBEDDING_DIMENSIONS[model] ?? 768);
    return { values: embeddingVector(hash32(JSON.stringify(r.content ?? '')), dims, ex.options.seed) };
  });
  sendJson(ex, ex.route.single ? { embedding: embeddings[0] } : { embeddings }, 'gemini');
}
