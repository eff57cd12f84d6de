/** Which endpoint a request path names; the model comes from the path or, later, the body. */
import type { FakeEndpoint, FakeProviderFamily } from './types.js';

export interface PathMatch {
  endpoint: FakeEndpoint;
  family: FakeProviderFamily;
  /** Model (Gemini) or Azure deployment named in the path. */
  pathModel?: string;
  azure: boolean;
  /** The path itself says "stream" (Gemini `:streamGenerateContent`). */
  streamPath?: boolean;
  single?: boolean;
}

const OPENAI_PATHS: Record<string, FakeEndpoint> = {
  'chat/completions': 'openai.chat',
  responses: 'openai.responses',
  embeddings: 'openai.embeddings',
};

const GEMINI_METHODS: Record<string, Omit<PathMatch, 'pathModel' | 'azure' | 'family'>> = {
  generateContent: { endpoint: 'gemini.generateContent' },
  streamGenerateContent: { endpoint: 'gemini.generateContent', streamPath: true },
  embedContent: { endpoint: 'gemini.embedContent', single: true },
  batchEmbedContents: { endpoint: 'gemini.embedContent' },
};

export function matchPath(pathname: string): PathMatch | undefined {
  let m = /^\/v1\/(chat\/completions|responses|embeddings)$/.exec(pathname);
  if (m) return { endpoint: OPENAI_PATHS[m[1] as string] as FakeEndpoint, family: 'openai', azure: false };
  if (pathname === '/v1/messages')
    return { endpoint: 'anthropic.messages', family: 'anthropic', azure: false };
  m = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(pathname);
  if (m) {
    const endpoint = OPENAI_PATHS[m[2] as string] as FakeEndpoint;
    return { endpoint, family: 'openai', azure: true, pathModel: decodeURIComponent(m[1] as string) };
  }
  m = /^\/openai(?:\/v1)?\/(chat\/completions|responses|embeddings)$/.exec(pathname);
  if (m) return { endpoint: OPENAI_PATHS[m[1] as string] as FakeEndpoint, family: 'openai', azure: true };
  m = /^\/(?:v1beta|v1)\/models\/([^/:]+):(\w+)$/.exec(pathname);
  const method = m ? GEMINI_METHODS[m[2] as string] : undefined;
  if (m && method)
    return { ...method, family: 'gemini', azure: false, pathModel: decodeURIComponent(m[1] as string) };
  return undefined;
}

/** Family for a 404: Gemini-shaped under its API prefixes, Anthropic never (shared `/v1`), else OpenAI. */
export function familyForPath(pathname: string): FakeProviderFamily {
  return /^\/v1beta\//.test(pathname) ? 'gemini' : 'openai';
}
