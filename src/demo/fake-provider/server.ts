/**
 * The fake provider's HTTP server: loopback only, bounded (body size, connections, requests in
 * flight, recorded requests), and `stop()` tears down every connection, open streams included.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleMessages } from './anthropic-messages.js';
import { fakeId } from './deterministic.js';
import type { ErrorStatus } from './errors.js';
import type { Exchange, Route } from './exchange.js';
import { handleEmbed, handleGenerate } from './gemini.js';
import { sendError } from './http.js';
import { handleChat } from './openai-chat.js';
import { handleEmbeddings } from './openai-embeddings.js';
import { handleResponses } from './openai-responses.js';
import { resolveOptions } from './options.js';
import { familyForPath, matchPath, type PathMatch } from './routes.js';
import { ControlHeaderError, errorScenario, readControl } from './scenario.js';
import type { FakeProvider, FakeProviderFamily, FakeProviderOptions, RecordedRequest } from './types.js';

const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|x-api-key|api-key|x-goog-api-key)$/;

function recordedHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name] = CREDENTIAL_HEADER.test(name)
      ? '[redacted]'
      : Array.isArray(value)
        ? value.join(', ')
        : value;
  }
  return headers;
}

function recordedPath(url: URL): string {
  if (url.searchParams.has('key')) url.searchParams.set('key', '[redacted]');
  return url.pathname + url.search;
}

class BodyTooLargeError extends Error {}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const HANDLERS = {
  'openai.chat': handleChat,
  'openai.responses': handleResponses,
  'openai.embeddings': handleEmbeddings,
  'anthropic.messages': handleMessages,
  'gemini.generateContent': handleGenerate,
  'gemini.embedContent': handleEmbed,
} satisfies Record<Route['endpoint'], (ex: Exchange) => unknown>;

export async function startFakeProvider(options?: FakeProviderOptions): Promise<FakeProvider> {
  const opts = resolveOptions(options);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const stopping = new AbortController();
  let seq = 0;
  let inFlight = 0;

  const server = createServer((req, res) => {
    seq++;
    inFlight++;
    handle(req, res, seq)
      .catch(() => res.destroy())
      .finally(() => {
        inFlight--;
      });
  });
  server.maxConnections = opts.maxConnections;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, n: number): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${opts.host}`);
    const match = req.method === 'POST' ? matchPath(url.pathname) : undefined;
    const record: RecordedRequest = {
      seq: n,
      method: req.method ?? '',
      path: recordedPath(new URL(url)),
      endpoint: match?.endpoint,
      model: match?.pathModel,
      stream: match?.streamPath === true,
      headers: recordedHeaders(req),
      scenarios: [],
      status: 0,
      outcome: 'pending',
      usage: undefined,
    };
    requests.push(record);
    if (requests.length > opts.maxRecordedRequests)
      requests.splice(0, requests.length - opts.maxRecordedRequests);
    const requestId = fakeId('req_', opts.seed, n);
    const fail = (family: FakeProviderFamily, status: ErrorStatus, detail?: string) => {
      record.status = sendError(res, family, status, requestId, {
        retryAfterSeconds: opts.retryAfterSeconds,
        detail,
      });
      record.outcome = 'error';
    };
    try {
      if (!match) {
        const detail = `Unknown fake provider route: ${req.method} ${url.pathname}`;
        record.status = 404;
        record.outcome = 'error';
        res.writeHead(404, { 'content-type': 'application/json' }).end(
          JSON.stringify(
            familyForPath(url.pathname) === 'gemini'
              ? { error: { code: 404, message: detail, status: 'NOT_FOUND' } }
              : {
                  error: {
                    message: detail,
                    type: 'invalid_request_error',
                    param: null,
                    code: 'unknown_url',
                  },
                },
          ),
        );
        return;
      }
      if (inFlight > opts.maxConcurrentRequests) return fail(match.family, 503);
      let body: Record<string, unknown>;
      try {
        const raw = await readBody(req, opts.maxBodyBytes);
        const parsed: unknown = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError();
        body = parsed as Record<string, unknown>;
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          res.setHeader('connection', 'close');
          fail(match.family, 413);
          res.on('finish', () => req.socket?.destroy());
          return;
        }
        return fail(match.family, 400, 'The request body is not a JSON object.');
      }
      const model = match.pathModel ?? (typeof body['model'] === 'string' ? body['model'] : undefined);
      if (!model) return fail(match.family, 400, 'model: Field required');
      const route: Route = {
        endpoint: match.endpoint,
        model,
        stream: match.streamPath === true || body['stream'] === true,
        azure: match.azure,
        single: match.single,
      };
      record.model = model;
      record.stream = route.stream;
      let control: ReturnType<typeof readControl>;
      try {
        control = readControl(req.headers, opts, n, route.stream);
      } catch (error) {
        if (error instanceof ControlHeaderError) return fail(match.family, 400, error.message);
        throw error;
      }
      record.scenarios = [...control.scenarios];
      await serve(req, res, { match, route, body, control, record, requestId, n, fail });
    } catch {
      // a handler bug or a vanished client: never take the server down
      if (!res.headersSent && !res.destroyed) fail(match?.family ?? 'openai', 500);
      else res.destroy();
      if (record.outcome === 'pending') record.outcome = 'aborted';
    }
  }

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    ctx: {
      match: PathMatch;
      route: Route;
      body: Record<string, unknown>;
      control: ReturnType<typeof readControl>;
      record: RecordedRequest;
      requestId: string;
      n: number;
      fail: (family: FakeProviderFamily, status: ErrorStatus) => void;
    },
  ): Promise<void> {
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const signal = AbortSignal.any([stopping.signal, gone.signal]);
    const ex: Exchange = {
      req,
      res,
      body: ctx.body,
      route: ctx.route,
      control: ctx.control,
      options: opts,
      record: ctx.record,
      seq: ctx.n,
      signal,
      sleep: (ms) => (ms > 0 ? sleep(ms, undefined, { signal, ref: !opts.unref }) : Promise.resolve()),
      responseModel: opts.responseModels[ctx.route.model] ?? ctx.route.model,
      requestId: ctx.requestId,
    };
    const { scenarios } = ctx.control;
    try {
      await ex.sleep(ctx.control.latencyMs + (scenarios.has('slow') ? opts.slowMs : 0));
    } catch {
      ctx.record.outcome = 'aborted';
      res.destroy();
      return;
    }
    const status = errorScenario(scenarios);
    if (status !== undefined) return ctx.fail(ctx.match.family, status);
    if (scenarios.has('cut-mid-stream') && !ctx.route.stream) {
      ctx.record.outcome = 'cut';
      req.socket?.destroy();
      return;
    }
    await HANDLERS[ctx.route.endpoint](ex);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          `Fake provider could not listen on ${opts.host}:${opts.port}: ${error.code ?? error.message}`,
          {
            cause: error,
          },
        ),
      );
    });
    server.listen(opts.port, opts.host, () => resolve());
  });
  if (opts.unref) server.unref();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const url = `http://${opts.host}:${port}`;

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      stopping.abort();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
    });
    return stopped;
  };

  return {
    url,
    port,
    openaiBaseURL: `${url}/v1`,
    azureEndpoint: url,
    anthropicBaseURL: url,
    geminiBaseURL: url,
    requests,
    stop,
  };
}
