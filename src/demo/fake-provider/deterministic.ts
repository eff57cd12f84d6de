/**
 * Everything the fake provider makes up — completion words, ids, embedding vectors, fault draws —
 * comes from here, derived from the seed and the request, so equal inputs give equal outputs.
 */

const WORDS = (
  'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore ' +
  'et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ' +
  'ea commodo consequat duis aute irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur'
).split(' ');

/** FNV-1a, 32 bit. */
export function hash32(text: string, seed = 0): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** mulberry32: a small, fast, seedable generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `count` completion tokens as text pieces, one lorem word per token: the first without a leading
 * space, the rest with one, so joining them gives the completion text.
 */
export function loremTokens(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  const pieces: string[] = [];
  for (let i = 0; i < count; i++) {
    const word = WORDS[Math.floor(random() * WORDS.length)] ?? 'lorem';
    pieces.push(i === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : ` ${word}`);
  }
  return pieces;
}

/** A unit-length vector of `dimensions` floats, derived from the seed and the input's hash. */
export function embeddingVector(inputHash: number, dimensions: number, seed: number): number[] {
  const random = seededRandom(inputHash ^ seed);
  const values = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.hypot(...values) || 1;
  return values.map((v) => Math.fround(v / norm));
}

/** An id in the provider's style: `prefix` + 24 base-36 characters from the seed and sequence. */
export function fakeId(prefix: string, seed: number, seq: number): string {
  const random = seededRandom(hash32(`${prefix}:${seq}`, seed));
  let body = '';
  while (body.length < 24) body += Math.floor(random() * 36).toString(36);
  return prefix + body;
}
