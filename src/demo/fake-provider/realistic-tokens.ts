/**
 * A realistic prompt-token count for the fake provider (`promptTokens: realisticPromptTokens`),
 * so guard tests meet a provider that counts the way real ones do, not ⌈characters / 4⌉:
 * - text through the `o200k_base` BPE (gpt-4o's tokenizer; CJK text is ~1 token per character),
 *   plus OpenAI's published framing: 3 tokens per message and 3 per request;
 * - every image part costs `IMAGE_TOKENS` — what gpt-4o bills for a 1024×1024 image at
 *   `detail: auto` (scaled to 768×768 = 4 tiles of 512: 85 + 4 × 170 = 765).
 * Not exported from the fake provider's index: it loads the tokenizer (~120 ms), which only the
 * tests that ask for it should pay.
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { FakeEndpoint } from './types.js';

export const IMAGE_TOKENS = 765;
const PER_MESSAGE = 3;
const PER_REQUEST = 3;

const MESSAGE_LISTS = ['messages', 'contents', 'input'];

export function realisticPromptTokens(request: {
  endpoint: FakeEndpoint;
  model: string;
  body: Record<string, unknown>;
}): number {
  const { body } = request;
  let tokens = PER_REQUEST;
  for (const key of ['system', 'instructions', 'systemInstruction']) tokens += partTokens(body[key]);
  const config = body.config as Record<string, unknown> | undefined;
  if (config !== undefined && config !== null) tokens += partTokens(config.systemInstruction);
  for (const key of MESSAGE_LISTS) {
    const list = body[key];
    if (typeof list === 'string') tokens += countTokens(list);
    else if (Array.isArray(list)) for (const message of list) tokens += PER_MESSAGE + partTokens(message);
  }
  return tokens;
}

/** Tokens of one message or content part: its text and its images (roles and keys are framing). */
function partTokens(value: unknown): number {
  if (typeof value === 'string') return countTokens(value);
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + partTokens(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  const o = value as Record<string, unknown>;
  if (o.type === 'image_url' || o.type === 'input_image' || o.type === 'image') return IMAGE_TOKENS;
  if (o.inlineData !== undefined) return IMAGE_TOKENS;
  return partTokens(o.text) + partTokens(o.content) + partTokens(o.parts);
}
