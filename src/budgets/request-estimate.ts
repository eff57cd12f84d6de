/**
 * What SDK wrappers pass to `CallTracker` so the budget guard can bound a call's cost before it
 * is sent:
 *
 * ```ts
 * new CallTracker(telemetry, {
 *   provider, model, apiOperation,
 *   estimatedInputTokens: estimateInputTokens(body),
 *   maxOutputTokens: requestedMaxOutputTokens(body), // 0 for embeddings
 * });
 * ```
 *
 * Both are cheap but not free (they walk the body), so call them only when
 * `telemetry.budgets.guarding` is true; the fields are ignored otherwise. Neither ever throws.
 */

/** Request fields whose strings are prompt text, across OpenAI, Anthropic and Gemini bodies. */
const PROMPT_FIELDS = [
  'messages',
  'contents',
  'input',
  'system',
  'instructions',
  'prompt',
  'systemInstruction',
  'tools',
];
/** Fields holding binary or references (base64 images, file ids): not billed as text tokens. */
const SKIPPED_KEYS = new Set(['data', 'url', 'image_url', 'file_data', 'file_id', 'fileUri', 'b64_json']);
const MAX_NODES = 10_000;
const MAX_DEPTH = 32;
const CHARS_PER_TOKEN = 4;

/**
 * Rough prompt size in tokens: characters / 4 over the strings in `messages`, `contents`,
 * `input`, `system`, `instructions`, `prompt`, `systemInstruction` and `tools` (also under a
 * Gemini `config`). Base64 data and URLs are skipped. The walk is bounded (10,000 nodes, depth
 * 32), so a huge or cyclic body costs little; anything unreadable counts as 0.
 */
export function estimateInputTokens(body: unknown): number {
  try {
    if (body === null || typeof body !== 'object') return typeof body === 'string' ? tokens(body.length) : 0;
    const walk = { nodes: 0, chars: 0 };
    const record = body as Record<string, unknown>;
    for (const field of PROMPT_FIELDS) countStrings(record[field], 0, walk);
    const config = record.config;
    if (config !== null && typeof config === 'object') {
      const c = config as Record<string, unknown>;
      countStrings(c.systemInstruction, 0, walk);
      countStrings(c.tools, 0, walk);
    }
    return tokens(walk.chars);
  } catch {
    return 0;
  }
}

/**
 * The output-token cap a request sets: OpenAI `max_completion_tokens` / `max_tokens` /
 * `max_output_tokens`, Anthropic `max_tokens`, Gemini `config.maxOutputTokens` or
 * `generationConfig.maxOutputTokens`. Undefined when none is set (the guard then assumes
 * `DEFAULT_MAX_OUTPUT_TOKENS`).
 */
export function requestedMaxOutputTokens(body: unknown): number | undefined {
  try {
    if (body === null || typeof body !== 'object') return undefined;
    const r = body as Record<string, unknown>;
    return (
      count(r.max_completion_tokens) ??
      count(r.max_tokens) ??
      count(r.max_output_tokens) ??
      count(nested(r.config, 'maxOutputTokens')) ??
      count(nested(r.generationConfig, 'maxOutputTokens'))
    );
  } catch {
    return undefined;
  }
}

function countStrings(value: unknown, depth: number, walk: { nodes: number; chars: number }): void {
  if (++walk.nodes > MAX_NODES) return;
  if (typeof value === 'string') {
    if (!value.startsWith('data:')) walk.chars += value.length;
    return;
  }
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (walk.nodes > MAX_NODES) return;
      countStrings(item, depth + 1, walk);
    }
    return;
  }
  for (const key of Object.keys(value)) {
    if (walk.nodes > MAX_NODES) return;
    if (!SKIPPED_KEYS.has(key)) countStrings((value as Record<string, unknown>)[key], depth + 1, walk);
  }
}

function tokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

function nested(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
