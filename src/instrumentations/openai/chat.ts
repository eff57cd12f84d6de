/**
 * `chat.completions.create` — JSON bodies here, streams in `chat-stream.ts`. `parse()` and the
 * `stream()` / `runTools()` helpers all call `client.chat.completions.create` in openai 4.x–6.x,
 * so wrapping `create` alone measures them once each.
 */
import { chatStreamReader, prepareChatStream } from './chat-stream.js';
import type { OpenAISurface, ResultFacts } from './types.js';

interface ChatCompletionLike {
  usage?: unknown;
  model?: unknown;
  service_tier?: unknown;
}

export function readChatCompletion(result: unknown): ResultFacts {
  const r = (result ?? {}) as ChatCompletionLike;
  return {
    usage: r.usage ?? undefined,
    model: typeof r.model === 'string' && r.model !== '' ? r.model : undefined,
    serviceTier: typeof r.service_tier === 'string' ? r.service_tier : undefined,
  };
}

export const chatSurface: OpenAISurface = {
  apiOperation: 'chat',
  usageShape: 'openai.chat',
  prepare: prepareChatStream,
  readResult: readChatCompletion,
  streamReader: chatStreamReader,
};
