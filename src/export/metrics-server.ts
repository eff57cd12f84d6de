/**
 * Our own `/metrics` HTTP server. Start is memoized, stop is idempotent, the server is
 * `unref()`'d (it never keeps the app alive), and a failure to listen (port taken) is reported
 * through diag: the app keeps running.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { logger, notice } from '../diag.js';
import { isLoopbackHost, type MetricsAuth } from './auth.js';
import type { MetricsHandler } from './metrics-handler.js';

export interface MetricsServerOptions {
  host: string;
  port: number;
  endpoint: string;
  /** Only consulted for the warning about an open, unauthenticated bind; the handler enforces it. */
  auth?: MetricsAuth;
}

export class MetricsServer {
  private server?: Server;
  private starting?: Promise<string | undefined>;
  /** The URL once listening, else undefined. */
  url?: string;
  /** Why the server is not listening, when it failed to start. */
  error?: Error;

  constructor(
    private readonly options: MetricsServerOptions,
    private readonly handler: MetricsHandler,
  ) {}

  /** Start listening; resolves to the URL, or undefined if it could not listen (reported via diag). */
  start(): Promise<string | undefined> {
    this.starting ??= new Promise((resolve) => {
      const { host, port, endpoint } = this.options;
      const server = createServer((req, res) => {
        const path = (req.url ?? '/').split('?')[0];
        if (path === endpoint) return this.handler(req, res);
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found: try ${endpoint}\n`);
      });
      server.requestTimeout = 10_000;
      server.headersTimeout = 5_000;
      server.keepAliveTimeout = 5_000;
      server.once('error', (error: NodeJS.ErrnoException) => {
        this.error = error;
        const hint =
          error.code === 'EADDRINUSE'
            ? " (port in use: set prometheus.port or LLM_COST_METRICS_PORT, or let the app's OpenTelemetry MeterProvider carry the LLM metrics)"
            : '';
        notice(
          `metrics-server:${host}:${port}`,
          `cannot serve LLM metrics on ${host}:${port}: ${error.message}${hint}; the app goes on without them`,
        );
        this.server = undefined;
        resolve(undefined);
      });
      server.listen(port, host, () => {
        server.unref();
        if (!this.options.auth && !isLoopbackHost(host)) {
          logger.warn(
            `metrics served on ${host}:${port} without authentication: anyone who can reach this address can read your spend; set prometheus.auth or LLM_COST_METRICS_BEARER_TOKEN`,
          );
        }
        const address = server.address() as AddressInfo;
        const h = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        this.url = `http://${h}:${address.port}${endpoint}`;
        logger.debug(`metrics served at ${this.url}`);
        resolve(this.url);
      });
      this.server = server;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.url = undefined;
    if (server === undefined || !server.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
