/**
 * A request handler serving our exposition, to mount on the app's own server (node:http,
 * Express, Fastify's raw req/res): `server.on('request', telemetry.metricsHandler)`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logger } from '../diag.js';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/exposition.js';
import { createAuthCheck, type MetricsAuth, sendUnauthorized } from './auth.js';

export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface MetricsHandlerOptions {
  /** Credentials a request must carry; default none. */
  auth?: MetricsAuth;
}

/** `render` may be async (the cluster primary asks its workers first). */
export function createMetricsHandler(
  render: () => string | Promise<string>,
  options: MetricsHandlerOptions = {},
): MetricsHandler {
  const auth = options.auth;
  const authorized = auth ? createAuthCheck(auth) : undefined;
  const fail = (res: ServerResponse, error: unknown) => {
    logger.error(`rendering /metrics failed: ${error instanceof Error ? error.message : String(error)}`);
    if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('# llm-cost-otel: metrics rendering failed\n');
    }
  };
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (auth && authorized && !authorized(req)) {
      sendUnauthorized(res, auth);
      return;
    }
    const send = (body: string) => {
      res.writeHead(200, {
        'content-type': PROMETHEUS_CONTENT_TYPE,
        'content-length': Buffer.byteLength(body),
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    let body: string | Promise<string>;
    try {
      body = render();
    } catch (error) {
      fail(res, error);
      return;
    }
    if (typeof body === 'string') send(body);
    else body.then(send, (error: unknown) => fail(res, error));
  };
}
