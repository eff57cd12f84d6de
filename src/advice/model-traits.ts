/**
 * What the price catalog does not say about a model but repricing must know: its kind (a chat
 * model cannot stand in for an embedding model), whether it reasons (bills thinking tokens), and
 * whether it prices prompt caching. Kind and reasoning come from the catalog id by explicit
 * family patterns, listed here so a reader can check them; caching comes from the rates
 * themselves (a missing `cache_read_mtok` falls back to the input rate, see pricing/rates.ts).
 */
import type { BucketRates } from '../pricing/index.js';

export type ModelKind = 'chat' | 'embeddings' | 'other';

/**
 * Catalog ids that are not general text-generation models: audio, realtime, speech, image and
 * video generation, search/computer-use/deep-research tools, moderation, fine-tune price
 * classes, and the pre-chat completion models. Their token prices do not describe a chat call.
 */
const OTHER =
  /(audio|realtime|tts|transcribe|whisper|image|dall-e|moderation|search|computer-use|deep-research|live|omni|^ft:|\.ft-|^(ada|babbage|curie|davinci)$|^text-davinci|instruct|codex|:extended|vision)/;

/** Families that reason (bill thinking tokens) — OpenAI o-series and GPT-5+, Claude 3.7 and 4+, Gemini 2.5+. */
const REASONING =
  /^(o\d|gpt-5|gpt-6|gpt-oss|claude-3-7|claude-(sonnet|opus|haiku)-[4-9]|claude-[4-9]|claude-fable|claude-(opus|sonnet)-5|gemini-(2\.5|[3-9])|deepseek-reasoner|grok-(3-mini|4))/;

/** Open-weight families the catalog lists under a provider that does not serve them through its API. */
const SELF_HOSTED = /^(gpt-oss|gemma)/;

export function isServedByProvider(catalogId: string): boolean {
  return !SELF_HOSTED.test(catalogId.toLowerCase());
}

export function modelKind(catalogId: string): ModelKind {
  const id = catalogId.toLowerCase();
  if (id.includes('embed')) return 'embeddings';
  if (OTHER.test(id)) return 'other';
  return 'chat';
}

export function isReasoningModel(catalogId: string): boolean {
  return REASONING.test(catalogId.toLowerCase());
}

/** The model has its own cached-input price (not the input-rate fallback). */
export function pricesCacheReads(rates: Readonly<BucketRates>): boolean {
  return rates.cacheRead !== rates.input;
}

/** The model bills cache writes apart from input (Anthropic-style explicit caching). */
export function pricesCacheWrites(rates: Readonly<BucketRates>): boolean {
  return rates.cacheWrite5m !== rates.input;
}
