/**
 * Who an OpenAI SDK client talks to: `gen_ai.provider.name`, `server.address`, and for Azure the
 * deployment (what Azure prices by; map it to a catalog model with a price override
 * `{ provider: 'azure.ai.openai', model: '<deployment>', aliasOf: { model: 'gpt-4o' } }`).
 */

export interface ClientInfo {
  /** `openai`, `azure.ai.openai`, or `openrouter` (whose `usage.cost` is the provider's charge). */
  provider: string;
  serverAddress?: string;
  /** The port requests go to (the scheme's default when the URL names none); for host allow-lists. */
  serverPort?: string;
  /** Azure client-level deployment (`new AzureOpenAI({ deployment })`); else the body's model is one. */
  azureDeployment?: string;
  /** `AzureOpenAI` clients: their `apiVersion` (decides whether `stream_options` is accepted). */
  azureApiVersion?: string;
  azure: boolean;
}

interface OpenAIClientLike {
  baseURL?: unknown;
  apiVersion?: unknown;
  deploymentName?: unknown;
  constructor?: { name?: string };
}

const cache = new WeakMap<object, ClientInfo>();

function endpointOf(baseURL: unknown): { host?: string; port?: string } {
  if (typeof baseURL !== 'string') return {};
  try {
    const url = new URL(baseURL);
    const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
    return { host: url.hostname || undefined, port };
  } catch {
    return {};
  }
}

export function clientInfo(client: unknown): ClientInfo {
  if (!client || typeof client !== 'object') return { provider: 'openai', azure: false };
  const cached = cache.get(client);
  if (cached) return cached;
  const c = client as OpenAIClientLike;
  const { host: serverAddress, port: serverPort } = endpointOf(c.baseURL);
  const azure = 'deploymentName' in c && typeof c.apiVersion === 'string';
  let info: ClientInfo;
  if (azure) {
    info = {
      provider: 'azure.ai.openai',
      serverAddress,
      serverPort,
      azure: true,
      azureApiVersion: c.apiVersion as string,
      azureDeployment:
        typeof c.deploymentName === 'string' && c.deploymentName !== '' ? c.deploymentName : undefined,
    };
  } else if (serverAddress === 'openrouter.ai' || serverAddress?.endsWith('.openrouter.ai')) {
    info = { provider: 'openrouter', serverAddress, serverPort, azure: false };
  } else {
    info = { provider: 'openai', serverAddress, serverPort, azure: false };
  }
  cache.set(client, info);
  return info;
}
