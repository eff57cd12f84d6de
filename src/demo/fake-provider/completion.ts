/** The planned completion of one request: its usage and the words that make up its text. */
import type { UsageBuckets } from '../../types.js';
import { hash32, loremTokens } from './deterministic.js';
import type { Exchange } from './exchange.js';
import { planUsage, type UsageInput } from './usage.js';

export interface Completion {
  usage: UsageBuckets;
  /** The output cap cut the visible output short. */
  truncated: boolean;
  /** One piece of text per visible output token (a lorem word). */
  pieces: string[];
  text: string;
  /** False under the `no-usage` scenario. */
  reportUsage: boolean;
}

/** Words of text sent at most: a response reporting a billion tokens still sends a bounded body. */
const MAX_TEXT_TOKENS = 4096;

export function planCompletion(ex: Exchange, input: UsageInput): Completion {
  const counted = ex.options.promptTokens?.({ endpoint: input.endpoint, model: input.model, body: ex.body });
  if (counted !== undefined) input.promptTokens = counted;
  const { usage, truncated } = planUsage(input, ex.options, ex.control.usage);
  ex.record.usage = usage;
  const pieces = loremTokens(
    Math.min(usage.output, MAX_TEXT_TOKENS),
    hash32(`${input.model}:${input.promptTokens}`, ex.options.seed),
  );
  return {
    usage,
    truncated,
    pieces,
    text: pieces.join(''),
    reportUsage: !ex.control.scenarios.has('no-usage'),
  };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function numberField(body: Record<string, unknown>, ...keys: string[]): number | undefined {
  for (const key of keys) {
    const value = body[key];
    if (typeof value === 'number') return value;
  }
  return undefined;
}
