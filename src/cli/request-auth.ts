/**
 * How `top` and `export` authenticate to a protected `/metrics` or Prometheus: `--bearer-token`,
 * `--basic-auth user:password`, repeatable `--header "Name: value"`, their environment fallbacks,
 * and credentials written into the URL (`http://user:pass@host`), which fetch refuses and which
 * must never be echoed. Secret values never appear in a message.
 */

import { str } from './command.js';
import { usageError } from './errors.js';
import type { Endpoint } from './http-read.js';

export interface AuthFlags {
  header?: string[];
  'bearer-token'?: string;
  'basic-auth'?: string;
}

export const AUTH_HELP = `Authentication (a protected /metrics or Prometheus):
  --bearer-token <t>   send Authorization: Bearer <t> (env LLM_COST_CLI_BEARER_TOKEN)
  --basic-auth <u:p>   send HTTP basic credentials (env LLM_COST_CLI_BASIC_AUTH); credentials
                       in the URL (http://user:pass@host) work too and are never printed
  --header <h: v>      an extra request header, repeatable (env LLM_COST_CLI_HEADERS, one per line)
  --timeout <dur>      deadline of each request, answer included (default 10s for /metrics,
                       15s for Prometheus); answers are limited to 64 MiB
                       (env LLM_COST_CLI_MAX_BODY_BYTES)
`;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function parseHeader(line: string, source: string): [string, string] {
  const colon = line.indexOf(':');
  const name = colon > 0 ? line.slice(0, colon).trim() : '';
  const value = colon > 0 ? line.slice(colon + 1).trim() : '';
  if (!TOKEN.test(name)) {
    throw usageError(`${source} must look like "Name: value" with a header name of letters, digits and -`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw usageError(`${source}: the value of header ${name} has control characters`);
  }
  return [name, value];
}

function basicHeader(credentials: string, source: string): string {
  if (!credentials.includes(':')) throw usageError(`${source} must be user:password`);
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}

/** Request headers from the flags, else the environment (flags win field by field). */
export function authHeaders(flags: AuthFlags, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const headers: Record<string, string> = {};
  const headerLines =
    flags.header ??
    (env.LLM_COST_CLI_HEADERS ? env.LLM_COST_CLI_HEADERS.split(/\r?\n/).filter((l) => l.trim()) : []);
  const headerSource = flags.header ? '--header' : 'LLM_COST_CLI_HEADERS';
  for (const line of headerLines) {
    const [name, value] = parseHeader(line, headerSource);
    headers[name.toLowerCase()] = value;
  }
  const bearer = flags['bearer-token'] ?? (env.LLM_COST_CLI_BEARER_TOKEN || undefined);
  const basic = flags['basic-auth'] ?? (env.LLM_COST_CLI_BASIC_AUTH || undefined);
  if (bearer !== undefined && basic !== undefined) {
    throw usageError('give a bearer token or basic credentials, not both');
  }
  if (bearer !== undefined) {
    if (bearer === '' || /\s/.test(bearer)) throw usageError('--bearer-token must be a token without spaces');
    headers.authorization = `Bearer ${bearer}`;
  }
  if (basic !== undefined) {
    headers.authorization = basicHeader(
      basic,
      flags['basic-auth'] !== undefined ? '--basic-auth' : 'LLM_COST_CLI_BASIC_AUTH',
    );
  }
  return headers;
}

/**
 * The endpoint for a base URL (already normalized): credentials in the URL move into an
 * `Authorization: Basic` header unless a flag set one; the URL shown anywhere is redacted.
 */
export function endpointFor(base: string, headers: Record<string, string>): Endpoint {
  const url = new URL(base);
  const all = { ...headers };
  let display = base;
  if (url.username !== '' || url.password !== '') {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    all.authorization ??= `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
    url.username = '';
    url.password = '';
    display = `${url.protocol}//***@${url.host}${url.pathname}${url.search}`.replace(/\/+$/, '');
  }
  return { url: url.toString().replace(/\/+$/, ''), display, headers: all };
}

/** How `top`, `export`, `whatif`, `advise` and `report` authenticate and bound their requests. */
export const REQUEST_OPTIONS = {
  header: { type: 'string', multiple: true },
  'bearer-token': str,
  'basic-auth': str,
  timeout: str,
} as const;
