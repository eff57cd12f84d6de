/** Anthropic `POST /v1/messages`: the Message as JSON, or its SSE event sequence. */
import type { UsageBuckets } from '../../types.js';
import { type Completion, numberField, planCompletion } from './completion.js';
import { fakeId, loremTokens } from './deterministic.js';
import { streamErrorPayload } from './errors.js';
import type { Exchange } from './exchange.js';
import { sendError, sendJson } from './http.js';
import { type SseEvent, streamEvents } from './sse.js';
import { anthropicUsage, estimateTokens, promptCharacters, type UsageInput } from './usage.js';

/** The TTL of the prompt-cache writes a request asks for with `cache_control` blocks. */
function cacheWriteTtl(value: unknown): 'none' | '5m' | '1h' {
  const ttls = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        if (key === 'cache_control' && typeof child === 'object' && child !== null) {
          ttls.add((child as { ttl?: unknown }).ttl === '1h' ? '1h' : '5m');
        } else visit(child);
      }
    }
  };
  visit(value);
  return ttls.has('1h') ? '1h' : ttls.has('5m') ? '5m' : 'none';
}

function thinkingBudget(body: Record<string, unknown>): number | undefined {
  const thinking = body['thinking'] as { type?: unknown; budget_tokens?: unknown } | undefined;
  if (thinking?.type === 'enabled') {
    return typeof thinking.budget_tokens === 'number' ? thinking.budget_tokens : Number.POSITIVE_INFINITY;
  }
  return thinking?.type === 'adaptive' ? Number.POSITIVE_INFINITY : undefined;
}

export function describeMessages(body: Record<string, unknown>, model: string): UsageInput {
  return {
    endpoint: 'anthropic.messages',
    model,
    stream: body['stream'] === true,
    promptTokens: estimateTokens(promptCharacters(body['system']) + promptCharacters(body['messages'])),
    maxOutputTokens: numberField(body, 'max_tokens'),
    reasoningBudget: thinkingBudget(body),
    cacheWrite: cacheWriteTtl(body),
  };
}

/** `message_delta` usage: cumulative totals, without the `cache_creation` split or tier. */
function deltaUsage(u: UsageBuckets) {
  const { cache_creation: _split, service_tier: _tier, ...rest } = anthropicUsage(u);
  return rest;
}

export async function handleMessages(ex: Exchange): Promise<void> {
  if (numberField(ex.body, 'max_tokens') === undefined) {
    ex.record.status = sendError(ex.res, 'anthropic', 400, ex.requestId, {
      retryAfterSeconds: ex.options.retryAfterSeconds,
      detail: 'max_tokens: Field required',
    });
    ex.record.outcome = 'error';
    return;
  }
  const completion = planCompletion(ex, describeMessages(ex.body, ex.route.model));
  const id = fakeId('msg_01', ex.options.seed, ex.seq);
  const thinking = loremTokens(Math.min(completion.usage.reasoning, 8), ex.options.seed + ex.seq);
  const signature = fakeId('sig', ex.options.seed, ex.seq);
  const stopReason = completion.truncated ? 'max_tokens' : 'end_turn';
  const tier = ex.control.serviceTier ?? 'standard';
  const head = { id, type: 'message', role: 'assistant', model: ex.responseModel };
  if (!ex.route.stream) {
    const content = [
      ...(completion.usage.reasoning > 0
        ? [{ type: 'thinking', thinking: thinking.join(''), signature }]
        : []),
      { type: 'text', text: completion.text },
    ];
    sendJson(
      ex,
      {
        ...head,
        content,
        stop_reason: stopReason,
        stop_sequence: null,
        ...(completion.reportUsage ? { usage: anthropicUsage(completion.usage, tier) } : {}),
      },
      'anthropic',
    );
    return;
  }
  const startUsage = {
    ...anthropicUsage(completion.usage, tier),
    output_tokens: Math.min(1, completion.usage.output),
  };
  delete (startUsage as { output_tokens_details?: unknown }).output_tokens_details;
  const events = messageEvents(completion, { head, startUsage, thinking, signature, stopReason });
  await streamEvents(ex, events, {
    family: 'anthropic',
    eol: '\n',
    errorEvent: { event: 'error', data: streamErrorPayload('anthropic', ex.requestId) },
  });
}

function messageEvents(
  completion: Completion,
  meta: {
    head: Record<string, unknown>;
    startUsage: Record<string, unknown>;
    thinking: string[];
    signature: string;
    stopReason: string;
  },
): SseEvent[] {
  const events: SseEvent[] = [];
  const push = (type: string, fields: Record<string, unknown> = {}) =>
    events.push({ event: type, data: { type, ...fields } });
  push('message_start', {
    message: { ...meta.head, content: [], stop_reason: null, stop_sequence: null, usage: meta.startUsage },
  });
  let index = 0;
  if (completion.usage.reasoning > 0) {
    push('content_block_start', { index, content_block: { type: 'thinking', thinking: '', signature: '' } });
    push('ping');
    for (const piece of meta.thinking) {
      push('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } });
    }
    push('content_block_delta', { index, delta: { type: 'signature_delta', signature: meta.signature } });
    push('content_block_stop', { index });
    index++;
  }
  push('content_block_start', { index, content_block: { type: 'text', text: '' } });
  if (index === 0) push('ping');
  for (const text of completion.pieces)
    push('content_block_delta', { index, delta: { type: 'text_delta', text } });
  push('content_block_stop', { index });
  push('message_delta', {
    delta: { stop_reason: meta.stopReason, stop_sequence: null },
    ...(completion.reportUsage ? { usage: deltaUsage(completion.usage) } : {}),
  });
  push('message_stop');
  return events;
}
