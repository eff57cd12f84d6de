/**
 * Merging Anthropic streaming usage: `message_start.message.usage` first, then each
 * `message_delta.usage`. Delta counts are cumulative (SDK `MessageDeltaUsage`: "The cumulative
 * number of …"), so a later reported value replaces the earlier one; `null` means "not reported in
 * this event" and never overwrites. Newer API versions may report input and cache counts in the
 * delta too (e.g. after server tool use), which is why every field is merged, not only output.
 */

/**
 * The merged usage, in the Messages wire shape so `normalizeUsage('anthropic', acc)` reads it.
 * Values are copied as received (type `unknown`): validation happens once, in `normalizeUsage()`.
 */
export interface AnthropicStreamUsage {
  input_tokens?: unknown;
  output_tokens?: unknown;
  cache_read_input_tokens?: unknown;
  cache_creation_input_tokens?: unknown;
  cache_creation?: unknown;
  output_tokens_details?: unknown;
}

const EMPTY: AnthropicStreamUsage = Object.freeze({});

function later(previous: unknown, next: unknown): unknown {
  return next === undefined || next === null ? previous : next;
}

/**
 * Merges one event's `usage` into the accumulated usage; returns a new object. Pass `undefined` as
 * `acc` for the first event. A `delta` that is not an object, or whose fields cannot be read, is
 * ignored (the accumulated usage is returned unchanged). Never throws.
 */
export function mergeAnthropicStreamUsage(
  acc: AnthropicStreamUsage | undefined,
  delta: unknown,
): AnthropicStreamUsage {
  const base = acc ?? EMPTY;
  if (typeof delta !== 'object' || delta === null) return base;
  try {
    const d = delta as Readonly<Record<string, unknown>>;
    return {
      input_tokens: later(base.input_tokens, d['input_tokens']),
      output_tokens: later(base.output_tokens, d['output_tokens']),
      cache_read_input_tokens: later(base.cache_read_input_tokens, d['cache_read_input_tokens']),
      cache_creation_input_tokens: later(base.cache_creation_input_tokens, d['cache_creation_input_tokens']),
      cache_creation: later(base.cache_creation, d['cache_creation']),
      output_tokens_details: later(base.output_tokens_details, d['output_tokens_details']),
    };
  } catch {
    return base;
  }
}
