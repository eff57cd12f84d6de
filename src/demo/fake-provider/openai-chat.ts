/** OpenAI `POST /v1/chat/completions` (and the Azure deployment path): JSON and SSE chunks. */
import { type Completion, nowSeconds, numberField, planCompletion } from './completion.js';
import { fakeId } from './deterministic.js';
import { streamErrorPayload } from './errors.js';
import type { Exchange } from './exchange.js';
import { sendJson } from './http.js';
import { type SseEvent, streamEvents } from './sse.js';
import {
  estimateTokens,
  isOpenAIReasoningModel,
  openaiChatUsage,
  promptCharacters,
  type UsageInput,
} from './usage.js';

export function describeChat(body: Record<string, unknown>, model: string): UsageInput {
  return {
    endpoint: 'openai.chat',
    model,
    stream: body['stream'] === true,
    promptTokens: estimateTokens(promptCharacters(body['messages'])),
    maxOutputTokens: numberField(body, 'max_completion_tokens', 'max_tokens'),
    reasoningBudget:
      isOpenAIReasoningModel(model) && body['reasoning_effort'] !== 'none'
        ? Number.POSITIVE_INFINITY
        : undefined,
    cacheWrite: 'none',
  };
}

const AZURE_PROMPT_FILTER = [
  {
    prompt_index: 0,
    content_filter_results: {
      hate: { filtered: false, severity: 'safe' },
      self_harm: { filtered: false, severity: 'safe' },
      sexual: { filtered: false, severity: 'safe' },
      violence: { filtered: false, severity: 'safe' },
    },
  },
];
const AZURE_CONTENT_FILTER = AZURE_PROMPT_FILTER[0]?.content_filter_results;

function serviceTier(ex: Exchange): string {
  const requested = ex.body['service_tier'];
  return (
    ex.control.serviceTier ?? (typeof requested === 'string' && requested !== 'auto' ? requested : 'default')
  );
}

export async function handleChat(ex: Exchange): Promise<void> {
  const completion = planCompletion(ex, describeChat(ex.body, ex.route.model));
  const id = fakeId('chatcmpl-', ex.options.seed, ex.seq);
  const created = nowSeconds();
  const finishReason = completion.truncated ? 'length' : 'stop';
  const fingerprint = `fp_${fakeId('', ex.options.seed, 0).slice(0, 10)}`;
  if (!ex.route.stream) {
    sendJson(
      ex,
      {
        id,
        object: 'chat.completion',
        created,
        model: ex.responseModel,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: completion.text, refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: finishReason,
            ...(ex.route.azure ? { content_filter_results: AZURE_CONTENT_FILTER } : {}),
          },
        ],
        ...(completion.reportUsage ? { usage: openaiChatUsage(completion.usage) } : {}),
        ...(ex.route.azure ? { prompt_filter_results: AZURE_PROMPT_FILTER } : {}),
        service_tier: serviceTier(ex),
        system_fingerprint: fingerprint,
      },
      'openai',
    );
    return;
  }
  await streamEvents(ex, chatChunks(ex, completion, { id, created, finishReason, fingerprint }), {
    family: 'openai',
    eol: '\n',
    errorEvent: { data: streamErrorPayload('openai', ex.requestId) },
  });
}

function chatChunks(
  ex: Exchange,
  completion: Completion,
  meta: { id: string; created: number; finishReason: string; fingerprint: string },
): SseEvent[] {
  const streamOptions = ex.body['stream_options'] as { include_usage?: unknown } | undefined;
  const includeUsage = streamOptions?.include_usage === true;
  const base = {
    id: meta.id,
    object: 'chat.completion.chunk',
    created: meta.created,
    model: ex.responseModel,
    service_tier: serviceTier(ex),
    system_fingerprint: meta.fingerprint,
  };
  const filter = ex.route.azure ? { content_filter_results: AZURE_CONTENT_FILTER } : {};
  const chunk = (delta: Record<string, unknown>, finishReason: string | null): SseEvent => ({
    data: {
      ...base,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason, ...filter }],
      ...(includeUsage ? { usage: null } : {}),
    },
  });
  const events: SseEvent[] = [];
  if (ex.route.azure) {
    // Azure opens every stream with a prompt-filter chunk that has no choices and empty ids.
    events.push({
      data: {
        choices: [],
        created: 0,
        id: '',
        model: '',
        object: '',
        prompt_filter_results: AZURE_PROMPT_FILTER,
      },
    });
  }
  events.push(chunk({ role: 'assistant', content: '', refusal: null }, null));
  for (const piece of completion.pieces) events.push(chunk({ content: piece }, null));
  events.push(chunk({}, meta.finishReason));
  if (includeUsage && completion.reportUsage) {
    events.push({ data: { ...base, choices: [], usage: openaiChatUsage(completion.usage) } });
  }
  events.push({ data: '[DONE]' });
  return events;
}
