/**
 * Our own `/metrics` HTTP server. Start is memoized, stop is idempotent, the server is
 * `unref()`'d (it never keeps the app alive), and a failure to listen (port taken) is reported
 * through diag: the app keeps running.
 *
 * Slow or hostile clients cannot pile up: at most `maxConnections` sockets (more are dropped on
 * accept, said once per burst), a socket idle for `socketTimeoutMs` — a client that sends half a
 * request, or asks for the page and never reads it — is destroyed, and Node's header/request
 * deadlines are checked every second (its default check runs every 30 s, which let slow sockets
 * live 25–30 s past a 5 s header timeout).
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
  /** Open sockets at most; more are dropped on accept. Default `DEFAULT_MAX_CONNECTIONS`. */
  maxConnections?: number;
  /** A socket with no traffic either way for this long is destroyed. Default `DEFAULT_SOCKET_TIMEOUT_MS`. */
  socketTimeoutMs?: number;
}

/** Scrapers are few (one per Prometheus replica, plus a person with curl). */
export const DEFAULT_MAX_CONNECTIONS = 32;
export const DEFAULT_SOCKET_TIMEOUT_MS = 10_000;

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
      const socketTimeoutMs = this.options.socketTimeoutMs ?? DEFAULT_SOCKET_TIMEOUT_MS;
      const server = createServer(
        {
          connectionsCheckingInterval: Math.min(1000, socketTimeoutMs),
          headersTimeout: Math.min(5_000, socketTimeoutMs),
          requestTimeout: Math.min(10_000, socketTimeoutMs),
          keepAliveTimeout: Math.min(5_000, socketTimeoutMs),
        },
        (req, res) => {
          const path = (req.url ?? '/').split('?')[0];
          if (path === endpoint) return this.handler(req, res);
          res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found: try ${endpoint}\n`);
        },
      );
      // No 'timeout' listener: Node destroys the idle socket itself.
      server.setTimeout(socketTimeoutMs);
      server.maxConnections = this.options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
      server.on('drop', () => this.reportDrop(server.maxConnections));
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

  /** Sockets open on the server now (0 when not listening). */
  openConnections(): Promise<number> {
    const server = this.server;
    if (server === undefined || !server.listening) return Promise.resolve(0);
    return new Promise((resolve) => server.getConnections((error, count) => resolve(error ? 0 : count)));
  }

  /** Connections dropped at the cap since the last report; reported at most once a minute. */
  dropped = 0;
  private lastDropReport = Number.NEGATIVE_INFINITY;

  private reportDrop(cap: number): void {
    this.dropped++;
    const now = performance.now();
    if (now - this.lastDropReport < 60_000) return;
    this.lastDropReport = now;
    logger.warn(
      `metrics server at its cap of ${cap} open connections: dropping new ones (slow or stuck scrapers?); raise prometheus.maxConnections / LLM_COST_METRICS_MAX_CONNECTIONS if this is expected`,
    );
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
