/**
 * The chat completion the SDK benchmarks answer with, from an in-memory `fetch`: the network is
 * not what they measure, the SDK and our wrapper are.
 */
export function chatCompletionJson(
  content: string,
  usage: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'gpt-4o-2024-08-06',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop' }],
    usage,
    ...extra,
  });
}

export const BASIC_USAGE = { prompt_tokens: 120, completion_tokens: 12, total_tokens: 132 };

/** A `fetch` answering every request with this JSON body. */
export const jsonFetch = (body: string) => async () =>
  new Response(body, { headers: { 'content-type': 'application/json' } });

export const BENCH_BASE_URL = 'http://bench.invalid/v1';
