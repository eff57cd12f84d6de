/** Shared by the advice tests: a token mix with every bucket zero unless given. */
import type { TokenMix } from '../../src/advice/reprice.js';

export const mix = (m: Partial<TokenMix>): TokenMix => ({
  input: 0,
  cache_read: 0,
  cache_write: 0,
  output: 0,
  reasoning: 0,
  ...m,
});
