/**
 * A request handler serving our exposition, to mount on the app's own server (node:http,
 * Express, Fastify's raw req/res): `server.on('request', telemetry.metricsHandler)`.
 *
 * It protects the app from its scrapers: concurrent scrapes share one rendering (60 clients asking
 * at once cost one page, not 60), the page is encoded once into Buffers that all responses
 * share (a client that never reads holds references, not a copy), and a page past
 * `maxPageBytes` is refused with a 503 and one log line instead of being built and sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { notice } from '../diag.js';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/exposition.js';
import { errorMessage } from '../util/error-message.js';
import { createAuthCheck, type MetricsAuth, sendUnauthorized } from './auth.js';
import { PageTooLargeError, type RenderLimits } from './yielding-render.js';

export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A rendered page: text, or UTF-8 chunks in order (the yielding renderer). */
export type Page = string | readonly Buffer[];

interface EncodedPage {
  chunks: readonly Buffer[];
  length: number;
}

/** Default `prometheus.maxPageBytes`: above what the default series caps can produce (docs/performance.md). */
export const DEFAULT_MAX_PAGE_BYTES = 64 * 1024 * 1024;

export interface MetricsHandlerOptions {
  /** Credentials a request must carry; default none. */
  auth?: MetricsAuth;
  /** Refuse (503) a page larger than this. Default `DEFAULT_MAX_PAGE_BYTES`. */
  maxPageBytes?: number;
}

/**
 * `render` may be async (the yielding renderer; the cluster primary asks its workers first). It
 * receives the limits so it can stop early; a renderer that ignores them is checked afterwards.
 */
export function createMetricsHandler(
  render: (limits: RenderLimits) => Page | Promise<Page>,
  options: MetricsHandlerOptions = {},
): MetricsHandler {
  const auth = options.auth;
  const authorized = auth ? createAuthCheck(auth) : undefined;
  const maxBytes = options.maxPageBytes ?? DEFAULT_MAX_PAGE_BYTES;
  let inflight: Promise<EncodedPage> | undefined;
  // Said once per run of oversized pages: again only after a page fitted in between.
  let saidTooLarge = false;

  const renderPage = async (): Promise<EncodedPage> => {
    const rendered = await render({ maxBytes });
    const chunks = typeof rendered === 'string' ? [Buffer.from(rendered, 'utf8')] : rendered;
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    if (length > maxBytes) throw new PageTooLargeError(maxBytes);
    saidTooLarge = false;
    return { chunks, length };
  };
  /** One rendering at a time; every request that arrives meanwhile gets its result. */
  const sharedPage = (): Promise<EncodedPage> => {
    if (inflight === undefined) {
      const current = renderPage();
      inflight = current;
      const clear = () => {
        if (inflight === current) inflight = undefined;
      };
      current.then(clear, clear);
    }
    return inflight;
  };

  const fail = (res: ServerResponse, error: unknown) => {
    if (error instanceof PageTooLargeError) {
      if (!saidTooLarge) {
        saidTooLarge = true;
        notice('metrics-page-too-large', `not serving /metrics: ${error.message}`);
      }
      if (!res.headersSent && !res.destroyed) {
        res
          .writeHead(503, { 'content-type': 'text/plain', 'retry-after': '60' })
          .end(`# llm-cost-otel: the metrics page is larger than its limit of ${error.limitBytes} bytes\n`);
      }
      return;
    }
    notice('metrics-render-failed', `rendering /metrics failed: ${errorMessage(error)}; scrapes get a 500`);
    if (!res.headersSent && !res.destroyed) {
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
    // The socket's idle timeout is for clients that stall; while the page renders the wait is
    // ours (a large page on a loaded machine can take longer than the timeout), so it is paused
    // until the page is ready, and applies again while the response is written.
    const resume = pauseIdleTimeout(req.socket);
    let page: Promise<EncodedPage>;
    try {
      page = sharedPage();
    } catch (error) {
      resume();
      fail(res, error);
      return;
    }
    page.finally(resume).then(
      ({ chunks, length }) => {
        // The client went away while the page was rendered: nothing to send.
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': length });
        if (req.method !== 'HEAD') for (const chunk of chunks) res.write(chunk);
        res.end();
      },
      (error: unknown) => fail(res, error),
    );
  };
}

/** Each paused socket's own idle timeout (a keep-alive socket may carry several requests). */
const pausedSockets = new WeakMap<Socket, number>();

/** Pause `socket`'s idle timeout; the returned function restores it (once, whoever calls first). */
function pauseIdleTimeout(socket: Socket): () => void {
  const idleMs = pausedSockets.get(socket) ?? socket.timeout ?? 0;
  if (idleMs <= 0) return () => {};
  pausedSockets.set(socket, idleMs);
  socket.setTimeout(0);
  return () => {
    if (pausedSockets.get(socket) !== idleMs) return;
    pausedSockets.delete(socket);
    if (!socket.destroyed) socket.setTimeout(idleMs);
  };
}
