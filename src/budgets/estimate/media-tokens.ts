/**
 * Input tokens of images and audio, by the providers' published rules where they can be applied
 * without the provider's help, else by a stated upper bound. Undefined means "no bound we can
 * defend" (the estimate then reserves the model's whole context window).
 *
 * Images
 * - OpenAI tile models (gpt-4o, gpt-4.1, gpt-4.5, o1, o3, gpt-5): the image is scaled to fit
 *   2048×2048, then its short side to 768; it costs `base + tile × ⌈w/512⌉·⌈h/512⌉` (`detail:
 *   low`: `base` alone). base/tile: 85/170 (gpt-4o, gpt-4.1, gpt-4.5), 75/150 (o1, o3), 70/140
 *   (gpt-5), 2833/5667 (gpt-4o-mini). Size unknown (a URL, a file id): the largest case, 8 tiles.
 * - OpenAI patch models (gpt-4.1-mini/nano, o4-mini, gpt-5-mini/nano): 32-px patches, at most
 *   1536, times 1.62 (mini), 2.46 (nano) or 1.72 (o4-mini); size unknown: 1536 patches.
 * - Other OpenAI models (rule unknown to us): 3,840 tokens (1536 patches × 2.5, above every
 *   published per-image count except gpt-4o-mini's).
 * - Anthropic: images are downscaled to at most ~1.15 megapixels and cost (w·h)/750 tokens:
 *   1,600 tokens bound every image, whatever its size.
 * - Gemini: an image with both sides ≤ 384 px costs 258 tokens; a larger one is cut into
 *   768×768 tiles of 258 tokens each. Size unknown (a `fileData` URI): no bound.
 * Audio
 * - Every provider bills at most 32 tokens per second of audio (Gemini; OpenAI ~10), and no codec
 *   the APIs accept goes below 2 kbit/s (250 bytes/s): bytes / 8 bounds the tokens.
 */
import type { ImageSize } from './image-size.js';

export type ModelFamily = 'openai' | 'anthropic' | 'gemini' | 'other';

interface TileRule {
  kind: 'tile';
  base: number;
  tile: number;
}
interface PatchRule {
  kind: 'patch';
  multiplier: number;
}

const TILE_4O: TileRule = { kind: 'tile', base: 85, tile: 170 };
const OPENAI_RULES: ReadonlyArray<[RegExp, TileRule | PatchRule]> = [
  [/^gpt-4o-mini/, { kind: 'tile', base: 2833, tile: 5667 }],
  [/^gpt-(4\.1|5)-nano/, { kind: 'patch', multiplier: 2.46 }],
  [/^gpt-(4\.1|5)-mini/, { kind: 'patch', multiplier: 1.62 }],
  [/^o4-mini/, { kind: 'patch', multiplier: 1.72 }],
  [/^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-4-turbo|gpt-4-vision)/, TILE_4O],
  [/^(o1|o3)/, { kind: 'tile', base: 75, tile: 150 }],
  [/^gpt-5/, { kind: 'tile', base: 70, tile: 140 }],
];

/** Tokens charged for an image by an OpenAI model whose rule we do not know. */
export const OPENAI_UNKNOWN_IMAGE_TOKENS = 3840;
export const ANTHROPIC_IMAGE_TOKENS = 1600;
const GEMINI_TILE_TOKENS = 258;
const MAX_PATCHES = 1536;
const MAX_TILES = 8;

export function imageTokens(
  family: ModelFamily,
  model: string,
  size: ImageSize | undefined,
  detail: string | undefined,
): number | undefined {
  if (family === 'anthropic') return ANTHROPIC_IMAGE_TOKENS;
  if (family === 'gemini') {
    if (size === undefined) return undefined;
    if (size.width <= 384 && size.height <= 384) return GEMINI_TILE_TOKENS;
    return Math.ceil(size.width / 768) * Math.ceil(size.height / 768) * GEMINI_TILE_TOKENS;
  }
  if (family !== 'openai') return undefined;
  const name = model.toLowerCase().replace(/^ft:/, '');
  const rule = OPENAI_RULES.find(([pattern]) => pattern.test(name))?.[1];
  if (rule === undefined) return OPENAI_UNKNOWN_IMAGE_TOKENS;
  if (rule.kind === 'patch') {
    const patches =
      size === undefined
        ? MAX_PATCHES
        : Math.min(MAX_PATCHES, Math.ceil(size.width / 32) * Math.ceil(size.height / 32));
    return Math.ceil(patches * rule.multiplier);
  }
  if (detail === 'low') return rule.base;
  return rule.base + rule.tile * (size === undefined ? MAX_TILES : openaiTiles(size));
}

/** 512-px tiles after OpenAI's two scaling steps (fit 2048×2048, then short side 768). */
function openaiTiles({ width, height }: ImageSize): number {
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const shortSide = Math.min(w, h);
  if (shortSide > 768) {
    w *= 768 / shortSide;
    h *= 768 / shortSide;
  }
  return Math.min(MAX_TILES, Math.ceil(w / 512) * Math.ceil(h / 512));
}

/** Upper bound on the tokens of an audio clip of `bytes` (decoded) bytes. */
export function audioTokens(bytes: number): number {
  return Math.ceil(bytes / 8);
}

/** Decoded size of base64 text. */
export function base64Bytes(base64: string): number {
  return Math.floor((base64.length * 3) / 4);
}
