/**
 * Vercel AI SDK provider ids (`model.provider`: `openai.chat`, `anthropic.messages`,
 * `google.generative-ai`, `amazon-bedrock`, `gateway`, …) → our `gen_ai.provider.name` values.
 * Shared by the middleware and by the span processor (Vercel telemetry spans carry the same id in
 * `gen_ai.system` / `ai.model.provider`).
 *
 * The id's dotted prefixes are tried longest first (`google.vertex.anthropic`, `google.vertex`,
 * `google`); an id we do not know keeps its first segment (`together.chat` → `together`), which the
 * price book resolves as an exact catalog provider id or through overrides. The AI Gateway
 * (`gateway`, model `openai/gpt-4o`) is resolved from the model id's `creator/` prefix.
 */

const PROVIDERS: Readonly<Record<string, string>> = Object.freeze({
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'gcp.gemini',
  'google.generative-ai': 'gcp.gemini',
  'google.vertex': 'gcp.vertex_ai',
  'google.vertex.anthropic': 'anthropic',
  vertex: 'gcp.vertex_ai',
  'amazon-bedrock': 'aws.bedrock',
  bedrock: 'aws.bedrock',
  azure: 'azure.ai.openai',
  'azure-openai': 'azure.ai.openai',
  xai: 'x_ai',
  mistral: 'mistral_ai',
  deepseek: 'deepseek',
  groq: 'groq',
  cohere: 'cohere',
  perplexity: 'perplexity',
  openrouter: 'openrouter',
  togetherai: 'together',
  fireworks: 'fireworks',
});

/** Gateway model ids name the model's creator: `openai/gpt-4o`, `anthropic/claude-sonnet-4`. */
const GATEWAY_CREATORS: Readonly<Record<string, string>> = Object.freeze({
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'gcp.gemini',
  vertex: 'gcp.vertex_ai',
  bedrock: 'aws.bedrock',
  xai: 'x_ai',
  mistral: 'mistral_ai',
  deepseek: 'deepseek',
  groq: 'groq',
  cohere: 'cohere',
  perplexity: 'perplexity',
});

export interface ResolvedVercelModel {
  provider: string;
  model: string;
}

/** Our provider name and the model name to price for a Vercel AI SDK `(provider, modelId)`. */
export function resolveVercelModel(providerId: string, modelId: string): ResolvedVercelModel {
  const id = providerId.trim().toLowerCase();
  if (id === 'gateway' || id.startsWith('gateway.')) {
    const slash = modelId.indexOf('/');
    if (slash > 0) {
      const creator = modelId.slice(0, slash).toLowerCase();
      return { provider: GATEWAY_CREATORS[creator] ?? creator, model: modelId.slice(slash + 1) };
    }
    return { provider: 'gateway', model: modelId };
  }
  return { provider: vercelProviderName(id), model: modelId };
}

/** `openai.chat` → `openai`; see the module comment for the rule. */
export function vercelProviderName(providerId: string): string {
  const id = providerId.trim().toLowerCase();
  if (id === '') return 'unknown';
  const parts = id.split('.');
  for (let n = parts.length; n > 0; n--) {
    const mapped = PROVIDERS[parts.slice(0, n).join('.')];
    if (mapped !== undefined) return mapped;
  }
  return parts[0] as string;
}
