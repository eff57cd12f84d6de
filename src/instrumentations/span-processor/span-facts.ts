/**
 * What a finished GenAI span says about one LLM call, read from its attributes as the other
 * instrumentations set them:
 *
 * - provider: `gen_ai.provider.name`, else the legacy `gen_ai.system` (lower-cased); on Vercel AI
 *   SDK spans (`ai.operationId` present) the AI SDK provider id (`openai.chat`) is mapped as the
 *   middleware maps it.
 * - model: `gen_ai.request.model` (else `gen_ai.response.model`, Vercel `ai.model.id`);
 *   `gen_ai.response.model` also as the response model.
 * - tokens: `gen_ai.usage.input_tokens` / `output_tokens` (legacy `prompt_tokens` /
 *   `completion_tokens`; Vercel `ai.usage.*`), cache reads `gen_ai.usage.cache_read.input_tokens`
 *   (also `cache_read_input_tokens`), cache writes `gen_ai.usage.cache_write.input_tokens` (also
 *   `cache_creation.input_tokens`, `cache_creation_input_tokens`), Anthropic's 1-hour share
 *   `anthropic.usage.cache_creation.ephemeral_1h_input_tokens`, reasoning
 *   `gen_ai.usage.reasoning.output_tokens` (also `reasoning_tokens`). Input and output are read as
 *   inclusive (semconv); when the cache parts exceed the input, or reasoning exceeds the output,
 *   the instrumentation reported them exclusive and they are added.
 * - outcome: span status ERROR → `error` (`error.type`, else the exception event's type, else
 *   `_OTHER`), or `aborted` for an abort error type; otherwise `success`.
 *
 * Which spans are calls (everything else is ignored):
 * - Vercel AI SDK: only the provider-call spans `ai.*.doGenerate`, `ai.*.doStream`,
 *   `ai.*.doEmbed`; the outer `ai.generateText` / `ai.streamText` / … spans and `ai.toolCall` only
 *   wrap them (their usage is the sum over steps).
 * - `gen_ai.operation.name` of `invoke_agent`, `create_agent` or `execute_tool`: not a model call.
 * - A span with provider, model and token counts is a call. One without token counts is a call
 *   only when it names an inference operation (`chat`, `text_completion`, `generate_content`,
 *   `embeddings`): then it counts as a request with `llm_usage_missing_total{reason="span_no_usage"}`
 *   (a failed call, a stream the instrumentation read no usage from) — never as zero tokens. Spans
 *   without an operation and without counts (e.g. `anthropic.messages.count_tokens`) are ignored.
 */

import { type Attributes, type AttributeValue, SpanStatusCode } from '@opentelemetry/api';
import { boundedText } from '../../bounded-text.js';
import type { Outcome, TokenUsage } from '../../types.js';
import { resolveVercelModel } from '../vercel-ai/provider-name.js';

export interface SpanCall {
  provider: string;
  model: string;
  responseModel?: string;
  apiOperation: string;
  usage?: TokenUsage;
  outcome: Outcome;
  errorType?: string;
  serviceTier?: string;
  agent?: string;
}

/** The parts of a finished span we read (`ReadableSpan` of sdk-trace-base 1.x and 2.x). */
export interface FinishedSpanLike {
  readonly name: string;
  readonly attributes: Attributes;
  readonly status: { code: SpanStatusCode; message?: string };
  readonly events?: ReadonlyArray<{ name: string; attributes?: Attributes }>;
}

const NOT_MODEL_CALLS = new Set(['invoke_agent', 'create_agent', 'execute_tool']);
const INFERENCE_OPERATIONS = new Set([
  'chat',
  'text_completion',
  'generate_content',
  'embeddings',
  'completion',
]);
const VERCEL_CALL = /\.(doGenerate|doStream|doEmbed)$/;
const ABORT_TYPES = new Set(['AbortError', 'APIUserAbortError', 'ResponseAborted', 'aborted']);

function str(value: AttributeValue | undefined): string | undefined {
  // Attributes of other libraries' spans may carry provider-sent strings of any size.
  return typeof value === 'string' && value.trim() !== '' ? boundedText(value.trim()) : undefined;
}

function int(value: AttributeValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function first(a: Attributes, keys: readonly string[]): number | undefined {
  for (const k of keys) {
    const v = int(a[k]);
    if (v !== undefined) return v;
  }
  return undefined;
}

const INPUT = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.prompt_tokens',
  'ai.usage.inputTokens',
  'ai.usage.promptTokens',
];
const OUTPUT = [
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
  'ai.usage.outputTokens',
  'ai.usage.completionTokens',
];
const CACHE_READ = [
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'ai.usage.inputTokenDetails.cacheReadTokens',
  'ai.usage.cachedInputTokens',
];
const CACHE_WRITE = [
  'gen_ai.usage.cache_write.input_tokens',
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'ai.usage.inputTokenDetails.cacheWriteTokens',
];
const CACHE_WRITE_1H = ['anthropic.usage.cache_creation.ephemeral_1h_input_tokens'];
const REASONING = [
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.reasoning_tokens',
  'ai.usage.outputTokenDetails.reasoningTokens',
  'ai.usage.reasoningTokens',
];
const SERVICE_TIER = [
  'gen_ai.openai.response.service_tier',
  'openai.response.service_tier',
  'anthropic.response.service_tier',
];

/** Whether a span that just started may be a GenAI call (worth capturing attribution for). */
export function mayBeGenAI(a: Attributes): boolean {
  return (
    a['gen_ai.provider.name'] !== undefined ||
    a['gen_ai.system'] !== undefined ||
    a['gen_ai.request.model'] !== undefined ||
    a['ai.operationId'] !== undefined
  );
}

/** The call a finished span describes, or undefined when it is not a (priceable) model call. */
export function spanCall(span: FinishedSpanLike): SpanCall | undefined {
  const a = span.attributes;
  const vercelOperation = str(a['ai.operationId']);
  if (vercelOperation !== undefined && !VERCEL_CALL.test(vercelOperation)) return undefined;

  let apiOperation = str(a['gen_ai.operation.name']);
  if (apiOperation !== undefined && NOT_MODEL_CALLS.has(apiOperation)) return undefined;

  let provider = str(a['gen_ai.provider.name']) ?? str(a['gen_ai.system']);
  let model = str(a['gen_ai.request.model']) ?? str(a['ai.model.id']) ?? str(a['gen_ai.response.model']);
  const responseModel = str(a['gen_ai.response.model']) ?? str(a['ai.response.model']);
  if (vercelOperation !== undefined) {
    apiOperation ??= vercelOperation.endsWith('.doEmbed') ? 'embeddings' : 'chat';
    const resolved = resolveVercelModel(provider ?? str(a['ai.model.provider']) ?? '', model ?? '');
    provider = resolved.provider;
    model = resolved.model || undefined;
  } else if (provider !== undefined) {
    provider = provider.toLowerCase();
  }
  if (provider === undefined || provider === 'unknown' || model === undefined) return undefined;

  const failed = span.status.code === SpanStatusCode.ERROR;
  const usage = usageOf(a);
  if (usage === undefined && !(apiOperation !== undefined && INFERENCE_OPERATIONS.has(apiOperation))) {
    return undefined;
  }

  let outcome: Outcome = 'success';
  let errorType: string | undefined;
  if (failed) {
    errorType = str(a['error.type']) ?? exceptionType(span) ?? '_OTHER';
    outcome = ABORT_TYPES.has(errorType) ? 'aborted' : 'error';
    if (outcome === 'aborted') errorType = undefined;
  }

  let serviceTier: string | undefined;
  for (const k of SERVICE_TIER) serviceTier ??= str(a[k]);

  return {
    provider,
    model,
    responseModel: responseModel !== model ? responseModel : undefined,
    apiOperation: apiOperation ?? 'chat',
    usage,
    outcome,
    errorType,
    serviceTier,
    agent: str(a['gen_ai.agent.name']),
  };
}

function exceptionType(span: FinishedSpanLike): string | undefined {
  for (const e of span.events ?? []) {
    if (e.name === 'exception') {
      const t = str(e.attributes?.['exception.type']);
      if (t !== undefined) return t;
    }
  }
  return undefined;
}

/** Inclusive usage from the span's token attributes, or undefined when it has none. */
export function usageOf(a: Attributes): TokenUsage | undefined {
  let input = first(a, INPUT);
  let output = first(a, OUTPUT);
  if (input === undefined && output === undefined) return undefined;
  const cacheRead = first(a, CACHE_READ) ?? 0;
  const cacheWrite = first(a, CACHE_WRITE) ?? 0;
  const reasoning = first(a, REASONING) ?? 0;
  input ??= 0;
  output ??= 0;
  if (cacheRead + cacheWrite > input) input += cacheRead + cacheWrite;
  if (reasoning > output) output += reasoning;
  const usage: TokenUsage = { inputTokens: input, outputTokens: output };
  if (cacheRead) usage.cacheReadTokens = cacheRead;
  if (cacheWrite) {
    usage.cacheWriteTokens = cacheWrite;
    const oneHour = first(a, CACHE_WRITE_1H);
    if (oneHour && oneHour <= cacheWrite) usage.cacheWrite1hTokens = oneHour;
  }
  if (reasoning) usage.reasoningTokens = reasoning;
  return usage;
}
