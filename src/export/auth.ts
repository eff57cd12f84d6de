/**
 * Optional authentication for `/metrics`: a bearer token or HTTP basic credentials, compared in
 * constant time (both sides are hashed to equal-length digests first, so neither the content nor
 * the length of the secret leaks through timing).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a scraper must present. Exactly one of the two. */
export type MetricsAuth =
  | { bearerToken: string; basic?: undefined }
  | { basic: { username: string; password: string }; bearerToken?: undefined };

const REALM = 'llm-cost-otel metrics';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** A request check for one configured credential; the expected digest is computed once. */
export function createAuthCheck(auth: MetricsAuth): (req: IncomingMessage) => boolean {
  const expected =
    auth.bearerToken !== undefined
      ? digest(`Bearer ${auth.bearerToken}`)
      : digest(
          `Basic ${Buffer.from(`${auth.basic.username}:${auth.basic.password}`, 'utf8').toString('base64')}`,
        );
  const scheme = auth.bearerToken !== undefined ? 'bearer' : 'basic';
  return (req) => {
    const header = req.headers.authorization;
    if (typeof header !== 'string' || header.length > 4096) return false;
    // The scheme is case-insensitive (RFC 7235); the credential is compared exactly.
    const space = header.indexOf(' ');
    if (space < 0 || header.slice(0, space).toLowerCase() !== scheme) return false;
    const normalized = `${scheme === 'bearer' ? 'Bearer' : 'Basic'} ${header.slice(space + 1).trim()}`;
    return timingSafeEqual(digest(normalized), expected);
  };
}

/** Answer 401 with the challenge a scraper (or a person with curl) needs. */
export function sendUnauthorized(res: ServerResponse, auth: MetricsAuth): void {
  const challenge =
    auth.bearerToken !== undefined ? `Bearer realm="${REALM}"` : `Basic realm="${REALM}", charset="UTF-8"`;
  res
    .writeHead(401, { 'www-authenticate': challenge, 'content-type': 'text/plain' })
    .end('Unauthorized: this /metrics endpoint needs credentials\n');
}

/** True for addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.') || host === '::ffff:127.0.0.1';
}
