/** OpenAI `POST /v1/responses`: the Response object as JSON, or its typed SSE events. */
import { type Completion, nowSeconds, numberField, planCompletion } from './completion.js';
import { fakeId } from './deterministic.js';
import type { Exchange } from './exchange.js';
import { sendJson } from './http.js';
import { type SseEvent, streamEvents } from './sse.js';
import {
  estimateTokens,
  isOpenAIReasoningModel,
  openaiResponsesUsage,
  promptCharacters,
  type UsageInput,
} from './usage.js';

function reasoningEffort(body: Record<string, unknown>): unknown {
  return (body['reasoning'] as { effort?: unknown } | undefined)?.effort;
}

export function describeResponses(body: Record<string, unknown>, model: string): UsageInput {
  return {
    endpoint: 'openai.responses',
    model,
    stream: body['stream'] === true,
    promptTokens: estimateTokens(promptCharacters(body['input']) + promptCharacters(body['instructions'])),
    maxOutputTokens: numberField(body, 'max_output_tokens'),
    reasoningBudget:
      isOpenAIReasoningModel(model) && reasoningEffort(body) !== 'none'
        ? Number.POSITIVE_INFINITY
        : undefined,
    cacheWrite: 'none',
  };
}

interface Ids {
  response: string;
  reasoning: string;
  message: string;
  created: number;
}

function outputText(text: string) {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

function messageItem(ids: Ids, text: string, status: 'in_progress' | 'completed') {
  return {
    id: ids.message,
    type: 'message',
    status,
    content: status === 'completed' ? [outputText(text)] : [],
    role: 'assistant',
  };
}

function responseObject(ex: Exchange, ids: Ids, completion: Completion, final: boolean) {
  const reasoning = completion.usage.reasoning > 0;
  const status = !final ? 'in_progress' : completion.truncated ? 'incomplete' : 'completed';
  const output = !final
    ? []
    : [
        ...(reasoning ? [{ id: ids.reasoning, type: 'reasoning', summary: [] }] : []),
        messageItem(ids, completion.text, 'completed'),
      ];
  const effort = reasoningEffort(ex.body);
  return {
    id: ids.response,
    object: 'response',
    created_at: ids.created,
    status,
    background: false,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    // Real responses echo `instructions`; the fake never echoes prompt text.
    instructions: null,
    max_output_tokens: numberField(ex.body, 'max_output_tokens') ?? null,
    model: ex.responseModel,
    output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: reasoning ? (effort ?? 'medium') : null, summary: null },
    service_tier: ex.control.serviceTier ?? 'default',
    store: true,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [],
    top_p: 1,
    truncation: 'disabled',
    usage: final && completion.reportUsage ? openaiResponsesUsage(completion.usage) : null,
    user: null,
    metadata: {},
  };
}

export async function handleResponses(ex: Exchange): Promise<void> {
  const completion = planCompletion(ex, describeResponses(ex.body, ex.route.model));
  const ids: Ids = {
    response: fakeId('resp_', ex.options.seed, ex.seq),
    reasoning: fakeId('rs_', ex.options.seed, ex.seq),
    message: fakeId('msg_', ex.options.seed, ex.seq),
    created: nowSeconds(),
  };
  if (!ex.route.stream) {
    sendJson(ex, responseObject(ex, ids, completion, true), 'openai');
    return;
  }
  const events = responseEvents(ex, ids, completion);
  await streamEvents(ex, events, {
    family: 'openai',
    eol: '\n',
    errorEvent: {
      event: 'response.failed',
      data: {
        type: 'response.failed',
        sequence_number: ex.control.cutAfter,
        response: {
          ...responseObject(ex, ids, { ...completion, reportUsage: false }, false),
          status: 'failed',
          error: { code: 'server_error', message: 'The server had an error processing your request.' },
        },
      },
    },
  });
}

function responseEvents(ex: Exchange, ids: Ids, completion: Completion): SseEvent[] {
  const events: SseEvent[] = [];
  const push = (type: string, fields: Record<string, unknown>) =>
    events.push({ event: type, data: { type, sequence_number: events.length, ...fields } });
  push('response.created', { response: responseObject(ex, ids, completion, false) });
  push('response.in_progress', { response: responseObject(ex, ids, completion, false) });
  let outputIndex = 0;
  if (completion.usage.reasoning > 0) {
    const item = { id: ids.reasoning, type: 'reasoning', summary: [] };
    push('response.output_item.added', { output_index: outputIndex, item });
    push('response.output_item.done', { output_index: outputIndex, item });
    outputIndex++;
  }
  const where = { item_id: ids.message, output_index: outputIndex, content_index: 0 };
  push('response.output_item.added', {
    output_index: outputIndex,
    item: messageItem(ids, '', 'in_progress'),
  });
  push('response.content_part.added', { ...where, part: outputText('') });
  for (const delta of completion.pieces)
    push('response.output_text.delta', { ...where, delta, logprobs: [] });
  push('response.output_text.done', { ...where, text: completion.text, logprobs: [] });
  push('response.content_part.done', { ...where, part: outputText(completion.text) });
  push('response.output_item.done', {
    output_index: outputIndex,
    item: messageItem(ids, completion.text, 'completed'),
  });
  const final = responseObject(ex, ids, completion, true);
  push(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  return events;
}
