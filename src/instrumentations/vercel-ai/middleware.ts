/**
 * `llmCostMiddleware()`: a Vercel AI SDK (`ai` 5/6) language-model middleware that measures every
 * `doGenerate` and `doStream` of the model it wraps:
 *
 * ```ts
 * const model = wrapLanguageModel({ model: openai('gpt-4o'), middleware: llmCostMiddleware(telemetry) });
 * await withLLMContext({ agent: 'planner' }, () => generateText({ model, prompt }));
 * ```
 *
 * Provider and model come from the model (`model.provider` `openai.chat` → `openai`, see
 * `provider-name.ts`), attribution from `withLLMContext` or the options. Usage is the result's
 * `usage` (JSON) or the `finish` stream part's (streams), read by `readAiSdkUsage()`. The result
 * and every stream part reach the caller unchanged; errors are rethrown as the same object; a
 * failure inside our code is reported via diag and the call goes on. Exactly-once rule: `call.ts`.
 *
 * Written against the provider spec's shapes structurally, so the package needs no `ai` or
 * `@ai-sdk/provider` dependency; the returned object is assignable to `ai`'s
 * `LanguageModelMiddleware` (spec `v3`).
 */

import { BudgetExceededError } from '../../budgets/errors.js';
import { rejectUnknownKeys } from '../../config/known-keys.js';
import { getTelemetry } from '../../register.js';
import type { LLMTelemetry } from '../../telemetry.js';
import type { CallSink } from '../shared/call-sink.js';
import { reportFailure } from '../shared/safely.js';
import { isAbortError } from '../shared/sdk-errors.js';
import { USAGE_MISSING } from '../shared/usage-missing.js';
import { MiddlewareCall } from './call.js';
import { resolveVercelModel } from './provider-name.js';
import { observeStream, serviceTierOf } from './stream.js';
import { readAiSdkUsage } from './usage.js';

export interface LLMCostMiddlewareOptions {
  /** `gen_ai.provider.name` to record instead of the one derived from `model.provider`. */
  provider?: string;
  /** Per-model attribution; wins over the `withLLMContext` scope. */
  agent?: string;
  operation?: string;
  task?: string;
}

const MIDDLEWARE_OPTION_KEYS = [
  'provider',
  'agent',
  'operation',
  'task',
] satisfies (keyof LLMCostMiddlewareOptions)[];

/** What the middleware reads of a language model (`LanguageModelV3` / `V2`). */
export interface AiSdkModelLike {
  readonly provider: string;
  readonly modelId: string;
}

/** What the middleware reads of the call options. */
export interface AiSdkCallOptionsLike {
  prompt?: unknown;
  tools?: unknown;
  maxOutputTokens?: number;
  abortSignal?: AbortSignal;
}

/** What the middleware reads of a `doGenerate` result. */
export interface AiSdkGenerateResultLike {
  usage?: unknown;
  providerMetadata?: unknown;
  response?: { modelId?: string };
}

/** What the middleware reads of a `doStream` result. */
export interface AiSdkStreamResultLike {
  stream: ReadableStream<unknown>;
}

type WrapOptions<K extends string, R> = { [key in K]: () => PromiseLike<R> } & {
  params: AiSdkCallOptionsLike;
  model: AiSdkModelLike;
};

/** A `LanguageModelV3Middleware` (assignable to `ai`'s `LanguageModelMiddleware`). */
export interface LLMCostMiddleware {
  readonly specificationVersion: 'v3';
  wrapGenerate<R extends AiSdkGenerateResultLike>(options: {
    doGenerate: () => PromiseLike<R>;
    params: AiSdkCallOptionsLike;
    model: AiSdkModelLike;
  }): PromiseLike<R>;
  wrapStream<R extends AiSdkStreamResultLike>(options: {
    doStream: () => PromiseLike<R>;
    params: AiSdkCallOptionsLike;
    model: AiSdkModelLike;
  }): PromiseLike<R>;
}

/**
 * A language-model middleware that records usage, cost and a CLIENT span for every call of the
 * wrapped model. `telemetry` defaults to the one `register()` created (looked up per call).
 */
export function llmCostMiddleware(
  telemetry?: LLMTelemetry,
  options: LLMCostMiddlewareOptions = {},
): LLMCostMiddleware {
  // A typo here is a ConfigError naming the closest key, not a silently ignored option.
  if (options !== null && typeof options === 'object') {
    rejectUnknownKeys('llmCostMiddleware options', options, MIDDLEWARE_OPTION_KEYS);
  }
  const begin = (model: AiSdkModelLike, params: AiSdkCallOptionsLike, streaming: boolean) =>
    startCall(telemetry ?? getTelemetry(), options, model, params, streaming);

  return {
    specificationVersion: 'v3',

    async wrapGenerate<R extends AiSdkGenerateResultLike>({
      doGenerate,
      params,
      model,
    }: WrapOptions<'doGenerate', R>): Promise<R> {
      const call = begin(model, params, false);
      if (call === undefined) return (await doGenerate()) as R;
      const result = await runCall(call, doGenerate, params);
      try {
        const { usage, costUsd } = readAiSdkUsage(call.provider, result?.usage);
        call.end({
          outcome: 'success',
          usage,
          costUsd,
          usageMissingReason: usage ? undefined : USAGE_MISSING.missing,
          responseModel: stringOr(result?.response?.modelId),
          serviceTier: serviceTierOf(result?.providerMetadata),
        });
      } catch (error) {
        reportInternal(error);
      }
      return result;
    },

    async wrapStream<R extends AiSdkStreamResultLike>({
      doStream,
      params,
      model,
    }: WrapOptions<'doStream', R>): Promise<R> {
      const call = begin(model, params, true);
      if (call === undefined) return (await doStream()) as R;
      const result = await runCall(call, doStream, params);
      try {
        const stream = observeStream(call, result.stream, params.abortSignal);
        return { ...result, stream };
      } catch (error) {
        reportInternal(error);
        call.end({ outcome: 'success', usageMissingReason: USAGE_MISSING.streamNotObserved });
        return result;
      }
    },
  };
}

/** Open the call, or undefined when there is nothing to record into or our own code failed. */
function startCall(
  telemetry: CallSink | undefined,
  options: LLMCostMiddlewareOptions,
  model: AiSdkModelLike,
  params: AiSdkCallOptionsLike,
  streaming: boolean,
): MiddlewareCall | undefined {
  if (telemetry === undefined || telemetry.isShutdown) return undefined;
  try {
    const resolved = resolveVercelModel(String(model?.provider ?? ''), String(model?.modelId ?? 'unknown'));
    const provider = options.provider ?? resolved.provider;
    return new MiddlewareCall(telemetry, {
      provider,
      model: resolved.model,
      apiOperation: 'chat',
      agent: options.agent,
      operation: options.operation,
      task: options.task,
      streaming,
      body: telemetry.budgets.guarding
        ? { prompt: params?.prompt, tools: params?.tools, maxOutputTokens: params?.maxOutputTokens }
        : undefined,
    });
  } catch (error) {
    if (error instanceof BudgetExceededError) throw error;
    reportInternal(error);
    return undefined;
  }
}

/**
 * Run the model's `doGenerate`/`doStream` inside the call (after the shared budget store admitted
 * it); its failure ends the call and reaches the caller unchanged.
 */
async function runCall<R>(
  call: MiddlewareCall,
  run: () => PromiseLike<R>,
  params: AiSdkCallOptionsLike,
): Promise<R> {
  if (call.admission !== undefined) await call.admission;
  try {
    return await call.run(run);
  } catch (error) {
    const aborted = isAbortError(error) || params?.abortSignal?.aborted === true;
    call.end({ outcome: aborted ? 'aborted' : 'error', error });
    throw error;
  }
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function reportInternal(error: unknown): void {
  reportFailure('llmCostMiddleware', error);
}
