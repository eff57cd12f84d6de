import type { NormalizedUsage } from '../types.js';

/**
 * The one place the inclusive invariants are enforced, for every shape: each count a non-negative
 * number (NaN marks an unreadable field), cache reads + writes within input, the 1-hour writes
 * within all writes, reasoning within output, cost finite and non-negative.
 * Every normalizer builds the same six-field object (zeros included) so the hot path stays
 * monomorphic; `costUsd` is added only when the provider reported one.
 */
export function checkInclusive(
  usage: NormalizedUsage,
  costUsd: number | undefined,
): NormalizedUsage | 'invalid' {
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  const cacheRead = usage.cacheReadTokens ?? 0;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const cacheWrite1h = usage.cacheWrite1hTokens ?? 0;
  const reasoning = usage.reasoningTokens ?? 0;
  // Written as negated >= so NaN fails every test.
  if (
    !(
      input >= 0 &&
      output >= 0 &&
      cacheRead >= 0 &&
      cacheWrite >= 0 &&
      cacheWrite1h >= 0 &&
      reasoning >= 0
    ) ||
    !(cacheRead + cacheWrite <= input && cacheWrite1h <= cacheWrite && reasoning <= output)
  ) {
    return 'invalid';
  }
  if (costUsd !== undefined) {
    if (!(costUsd >= 0)) return 'invalid';
    usage.costUsd = costUsd;
  }
  return usage;
}
