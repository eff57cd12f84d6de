/**
 * Where asking for streamed usage (`stream_options: { include_usage: true }`) cannot break a call.
 *
 * Strict OpenAI-compatible servers (older vLLM, some gateways) answer an unknown request field
 * with `400 Unrecognized request argument supplied: stream_options`, so adding the field to a
 * request for an unknown server would turn a working call into a failed one. We therefore add it
 * only for endpoints documented to accept it, plus hosts the user lists
 * (`openaiStreamUsageHosts`, env `LLM_COST_OPENAI_STREAM_USAGE_HOSTS`). Elsewhere the request goes
 * out exactly as the caller wrote it, and a stream without usage is counted as
 * `llm_usage_missing_total{reason="stream_usage_not_requested"}` with one warning per host.
 *
 * We chose an allow-list over "retry once without the field on that 400": a retry still sends an
 * altered request to a server we know nothing about (a gateway may log, bill or rate-limit it), and
 * the 400's wording differs between servers, so a retry rule would be a guess.
 */

/**
 * Hosts documented to accept `stream_options.include_usage` on their OpenAI-compatible chat API.
 * An `AzureOpenAI` client is judged by its `apiVersion` instead (see `AZURE_MIN_API_VERSION`);
 * the Azure hosts here are for plain `OpenAI` clients on Azure's v1 API, which has no api-version.
 */
export const KNOWN_STREAM_USAGE_HOSTS: readonly string[] = [
  'api.openai.com',
  '*.openai.azure.com',
  '*.cognitiveservices.azure.com',
  '*.services.ai.azure.com',
  'openrouter.ai',
  '*.openrouter.ai',
  'api.deepseek.com',
  'generativelanguage.googleapis.com',
];

/**
 * Azure OpenAI rejects `stream_options` (`400 Unrecognized request argument supplied`) before
 * api-version 2024-08-01-preview (2024-06-01 GA and earlier); later previews, GA 2024-10-21 and
 * the v1 API's `preview`/`latest` accept it. Versions compare as text (`YYYY-MM-DD[-preview]`).
 */
export const AZURE_MIN_API_VERSION = '2024-08-01';

/**
 * Does `pattern` name this endpoint? Patterns: `host`, `host:port`, `*.domain` (any subdomain) or
 * `*` (every endpoint: the user opts in everywhere). Host names compare case-insensitively.
 */
export function hostMatches(pattern: string, hostname: string, port: string): boolean {
  const p = pattern.toLowerCase();
  if (p === '*') return true;
  const host = hostname.toLowerCase();
  const colon = p.lastIndexOf(':');
  if (colon > 0 && !p.endsWith(']')) {
    return p.slice(colon + 1) === port && hostMatches(p.slice(0, colon), host, port);
  }
  if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && host.length > p.length - 1;
  return host === p;
}

/** May we ask this endpoint for streamed usage? `azure`: the client is an `AzureOpenAI`. */
export function acceptsStreamUsage(
  endpoint: { serverAddress?: string; serverPort?: string; azure: boolean; azureApiVersion?: string },
  userHosts: readonly string[],
): boolean {
  const { serverAddress: hostname, serverPort: port = '' } = endpoint;
  if (hostname === undefined) return userHosts.includes('*');
  // The user's list wins: they know their endpoint (or gateway) better than any rule here.
  for (const pattern of userHosts) if (hostMatches(pattern, hostname, port)) return true;
  if (endpoint.azure) {
    const version = endpoint.azureApiVersion;
    return version === undefined || version >= AZURE_MIN_API_VERSION;
  }
  for (const pattern of KNOWN_STREAM_USAGE_HOSTS) if (hostMatches(pattern, hostname, port)) return true;
  return false;
}
