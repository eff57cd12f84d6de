import type { ProviderName } from '../types.js';
import type { UsageShape } from './types.js';

/** How one provider fills the shapes it shares with others. */
export interface UsageDialect {
  /**
   * Whether reasoning tokens are reported beside completion/output tokens instead of inside them,
   * when `total_tokens` cannot tell (see `reportedBeside`).
   */
  readonly reasoningBeside: boolean;
  /** Whether `usage.cost` is the USD the provider charged for the call. */
  readonly reportsCost: boolean;
  /** Shapes the provider's APIs return; an object that could be either of two is read as the first. */
  readonly shapes: readonly UsageShape[];
}

const OPENAI_SHAPES: readonly UsageShape[] = ['openai.chat', 'openai.responses', 'openai.embeddings'];
const ALL_SHAPES: readonly UsageShape[] = [
  'openai.chat',
  'openai.responses',
  'openai.embeddings',
  'anthropic.messages',
  'gemini',
  'bedrock.converse',
];

const OPENAI: UsageDialect = { reasoningBeside: false, reportsCost: false, shapes: OPENAI_SHAPES };
const OPENROUTER: UsageDialect = { reasoningBeside: false, reportsCost: true, shapes: OPENAI_SHAPES };
const ANTHROPIC: UsageDialect = {
  reasoningBeside: false,
  reportsCost: false,
  shapes: ['anthropic.messages'],
};
const GEMINI: UsageDialect = { reasoningBeside: false, reportsCost: false, shapes: ['gemini'] };
// Vertex AI serves Gemini, Claude (Anthropic shape) and an OpenAI-compatible chat endpoint.
const VERTEX: UsageDialect = {
  reasoningBeside: false,
  reportsCost: false,
  shapes: ['gemini', 'anthropic.messages', 'openai.chat'],
};
// Bedrock: Converse, InvokeModel with Claude (Anthropic shape), the OpenAI-compatible endpoint.
const BEDROCK: UsageDialect = {
  reasoningBeside: false,
  reportsCost: false,
  shapes: ['bedrock.converse', 'anthropic.messages', 'openai.chat'],
};
// DeepSeek: OpenAI-compatible chat (plus prompt_cache_hit/miss_tokens) and an Anthropic-compatible API.
const DEEPSEEK: UsageDialect = {
  reasoningBeside: false,
  reportsCost: false,
  shapes: ['openai.chat', 'anthropic.messages'],
};
// xAI counts reasoning_tokens outside completion_tokens but inside total_tokens: "reasoning token
// consumption will be counted separately from completion_tokens, but will be counted in the
// total_tokens" (docs.x.ai, consumption-and-rate-limits; applied in vercel/ai#12425,
// langchain-ai/langchain#34603). total_tokens still decides per response when it can.
const XAI: UsageDialect = {
  reasoningBeside: true,
  reportsCost: false,
  shapes: ['openai.chat', 'openai.responses', 'anthropic.messages'],
};
/** Any other provider: every shape, OpenAI semantics where shapes are shared, no cost field trusted. */
const UNKNOWN: UsageDialect = { reasoningBeside: false, reportsCost: false, shapes: ALL_SHAPES };

/** The dialect for an OTel `gen_ai.provider.name`. */
export function dialectOf(provider: ProviderName): UsageDialect {
  switch (provider) {
    case 'openai':
    case 'azure.ai.openai':
      return OPENAI;
    case 'openrouter':
      return OPENROUTER;
    case 'anthropic':
      return ANTHROPIC;
    case 'gcp.gemini':
    case 'gcp.gen_ai':
      return GEMINI;
    case 'gcp.vertex_ai':
      return VERTEX;
    case 'aws.bedrock':
      return BEDROCK;
    case 'deepseek':
      return DEEPSEEK;
    case 'x_ai':
      return XAI;
    default:
      return UNKNOWN;
  }
}
