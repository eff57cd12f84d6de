/**
 * Who an OpenAI SDK client talks to: `gen_ai.provider.name`, `server.address`, and for Azure the
 * deployment (what Azure prices by; map it to a catalog model with a price override
 * `{ provider: 'azure.ai.openai', model: '<deployment>', aliasOf: { model: 'gpt-4o' } }`).
 */

export interface ClientInfo {
  /** `openai`, `azure.ai.openai`, or `openrouter` (whose `usage.cost` is the provider's charge). */
  provider: string;
  serverAddress?: string;
  /** Azure client-level deployment (`new AzureOpenAI({ deployment })`); else the body's model is one. */
  azureDeployment?: string;
  azure: boolean;
}

interface OpenAIClientLike {
  baseURL?: unknown;
  apiVersion?: unknown;
  deploymentName?: unknown;
  constructor?: { name?: string };
}

const cache = new WeakMap<object, ClientInfo>();

function hostOf(baseURL: unknown): string | undefined {
  if (typeof baseURL !== 'string') return undefined;
  try {
    return new URL(baseURL).hostname || undefined;
  } catch {
    return undefined;
  }
}

export function clientInfo(client: unknown): ClientInfo {
  if (!client || typeof client !== 'object') return { provider: 'openai', azure: false };
  const cached = cache.get(client);
  if (cached) return cached;
  const c = client as OpenAIClientLike;
  const serverAddress = hostOf(c.baseURL);
  const azure = 'deploymentName' in c && typeof c.apiVersion === 'string';
  let info: ClientInfo;
  if (azure) {
    info = {
      provider: 'azure.ai.openai',
      serverAddress,
      azure: true,
      azureDeployment:
        typeof c.deploymentName === 'string' && c.deploymentName !== '' ? c.deploymentName : undefined,
    };
  } else if (serverAddress === 'openrouter.ai' || serverAddress?.endsWith('.openrouter.ai')) {
    info = { provider: 'openrouter', serverAddress, azure: false };
  } else {
    info = { provider: 'openai', serverAddress, azure: false };
  }
  cache.set(client, info);
  return info;
}
