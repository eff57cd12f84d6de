/**
 * A request handler serving our exposition, to mount on the app's own server (node:http,
 * Express, Fastify's raw req/res): `server.on('request', telemetry.metricsHandler)`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logger } from '../diag.js';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/exposition.js';

export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createMetricsHandler(render: () => string): MetricsHandler {
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let body: string;
    try {
      body = render();
    } catch (error) {
      logger.error(`rendering /metrics failed: ${error instanceof Error ? error.message : String(error)}`);
      res.writeHead(500, { 'content-type': 'text/plain' }).end('# llm-cost-otel: metrics rendering failed\n');
      return;
    }
    res.writeHead(200, {
      'content-type': PROMETHEUS_CONTENT_TYPE,
      'content-length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
}
