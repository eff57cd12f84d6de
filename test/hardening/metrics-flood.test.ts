/**
 * A /metrics that protects the app. Reproduced first: a label flood (a page of megabytes) and 60
 * clients that ask for it and never read used to block the event loop for seconds and grow RSS by
 * gigabytes (60 copies of the page), and slow sockets outlived their timeouts by 25 s. Asserted on
 * bounded behaviour — renderings shared, sockets closed, connections capped, memory not scaling
 * with the clients — never on wall-clock time (event-loop lag is printed, not asserted).
 */
import { once } from 'node:events';
import { createServer, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { diag } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetricsHandler } from '../../src/export/metrics-handler.js';
import { MetricsServer } from '../../src/export/metrics-server.js';
import { type RenderStats, renderYielding } from '../../src/export/yielding-render.js';
import type { MetricFamily } from '../../src/metrics/family.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { captureDiagWarnings } from '../support/diag.js';
import { ACME_PRICES, makeTelemetry } from '../support/telemetry.js';

let telemetry: LLMTelemetry | undefined;
const sockets: Socket[] = [];
const logs: string[] = [];

beforeEach(() => {
  logs.length = 0;
  captureDiagWarnings(logs);
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await telemetry?.shutdown();
  telemetry = undefined;
  diag.disable();
});

/** A telemetry handle whose page is several MB: `agents` distinct agent labels. */
function flooded(agents: number, prometheus: object = {}): LLMTelemetry {
  const t = makeTelemetry({ maxSeries: agents, prices: ACME_PRICES, prometheus: { port: 0, ...prometheus } });
  for (let i = 0; i < agents; i++) {
    t.record({
      provider: 'acme',
      model: 'acme-1',
      agent: `agent-${i}`,
      usage: { inputTokens: 100, outputTokens: 10 },
      durationMs: 100,
    });
  }
  return t;
}

async function until(what: string, predicate: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`not reached: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A client that sends a GET and never reads the answer (its receive window fills, then stalls). */
function stuckClient(port: number, path = '/metrics'): Socket {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  socket.on('connect', () => {
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`);
    socket.pause();
  });
  sockets.push(socket);
  return socket;
}

function scrape(url: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        bytes += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('rendering yields to the event loop', () => {
  it('renders exactly the synchronous exposition, in many slices, with timers running between', async () => {
    telemetry = flooded(300, { server: false });
    const stats: RenderStats = { slices: 0, series: 0 };
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    const before = ticks;
    // The families are internal to LLMTelemetry; the renderer is what its handler runs over them.
    const families = (telemetry as unknown as { families: MetricFamily[] }).families;
    const chunks = await renderYielding(families, { sliceChars: 16 * 1024 }, stats);
    clearInterval(ticker);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(telemetry.metrics());
    expect(stats.slices).toBeGreaterThan(10);
    // Other work of the app ran while the page was being rendered.
    expect(ticks).toBeGreaterThan(before);
  });
});

describe('concurrent scrapes share one rendering', () => {
  it('60 simultaneous requests → one render call, 60 identical bodies', async () => {
    let renders = 0;
    let release: (() => void) | undefined;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const handler = createMetricsHandler(async () => {
      renders++;
      await gate;
      return 'x_total 1\n';
    });
    let arrived = 0;
    const server = createServer((req, res) => {
      arrived++;
      handler(req, res);
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`;
    try {
      const started: Array<Promise<{ status: number; bytes: number }>> = [];
      for (let i = 0; i < 60; i++) started.push(scrape(url));
      // Every request reaches the handler while the first rendering is still held.
      await until('60 requests at the handler', () => arrived === 60);
      release?.();
      const results = await Promise.all(started);
      expect(results.every((r) => r.status === 200 && r.bytes === 10)).toBe(true);
      expect(renders).toBe(1);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('a rendering slower than the socket idle timeout', () => {
  it('is answered: the idle timeout pauses while the page renders (a loaded machine hung up before)', async () => {
    // The render itself takes 4× the idle timeout: the slowness under test, not a stand-in.
    const handler = createMetricsHandler(async () => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return 'x_total 1\n';
    });
    const server = new MetricsServer(
      { host: '127.0.0.1', port: 0, endpoint: '/metrics', socketTimeoutMs: 100 },
      handler,
    );
    const url = (await server.start()) as string;
    try {
      const result = await scrape(url);
      expect(result).toEqual({ status: 200, bytes: 10 });
    } finally {
      await server.stop();
    }
  });
});

describe('a label flood and 60 clients that never read', () => {
  it('closes every stuck socket, caps connections, keeps memory from scaling with clients, then serves', async () => {
    telemetry = flooded(1000, { server: false });
    const server = new MetricsServer(
      { host: '127.0.0.1', port: 0, endpoint: '/metrics', socketTimeoutMs: 500, maxConnections: 20 },
      telemetry.metricsHandler,
    );
    const url = (await server.start()) as string;
    try {
      const port = Number(new URL(url).port);
      const page = (await scrape(url)).bytes;
      expect(page).toBeGreaterThan(4 * 1024 * 1024);

      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      const rssBefore = process.memoryUsage().rss;
      for (let i = 0; i < 60; i++) stuckClient(port);
      let rssPeak = rssBefore;
      let peakConnections = 0;
      await until('the connections beyond the cap dropped', async () => {
        peakConnections = Math.max(peakConnections, await server.openConnections());
        return server.dropped >= 40;
      });
      await until('every stuck socket closed by the server', async () => {
        rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        const open = await server.openConnections();
        peakConnections = Math.max(peakConnections, open);
        return open === 0;
      });
      lag.disable();
      console.log(
        `flood: page ${(page / 1e6).toFixed(1)} MB, 60 stuck clients; event-loop delay max ${(lag.max / 1e6).toFixed(1)} ms, p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms; RSS +${((rssPeak - rssBefore) / 1e6).toFixed(0)} MB; dropped at the cap ${server.dropped}`,
      );
      // 60 private copies of the page would be 60 × page; shared chunks are one page plus buffers.
      expect(rssPeak - rssBefore).toBeLessThan(15 * page);
      // The cap turned the rest away at accept, and said so once.
      expect(peakConnections).toBeLessThanOrEqual(20);
      expect(server.dropped).toBeGreaterThanOrEqual(40);
      expect(logs.filter((l) => l.includes('at its cap of 20 open connections'))).toHaveLength(1);

      // The app's metrics are still served to a well-behaved scraper.
      const after = await scrape(url);
      expect(after.status).toBe(200);
      expect(after.bytes).toBe(page);
    } finally {
      await server.stop();
    }
  });

  it('a client that trickles its headers one byte at a time is cut off', async () => {
    telemetry = flooded(10, { socketTimeoutMs: 500 });
    const port = Number(new URL((await telemetry.metricsUrl()) as string).port);
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => {});
    sockets.push(socket);
    let closed = false;
    socket.once('close', () => {
      closed = true;
    });
    await once(socket, 'connect');
    const header = 'GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    let i = 0;
    // Each byte resets the idle timer; only the header deadline (checked every ≤ 500 ms) ends it.
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(header[i++ % header.length] ?? 'a');
    }, 100);
    try {
      await until('the trickling socket closed', () => closed);
    } finally {
      clearInterval(drip);
    }
    expect(closed).toBe(true);
  });
});

describe('the size guard', () => {
  it('refuses a page past maxPageBytes with 503 and one log line, not one per scrape', async () => {
    telemetry = flooded(200, { maxPageBytes: 64 * 1024 });
    const url = (await telemetry.metricsUrl()) as string;
    const first = await scrape(url);
    const second = await scrape(url);
    expect(first.status).toBe(503);
    expect(second.status).toBe(503);
    const lines = logs.filter((l) => l.includes('passed its limit of 65536 bytes'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('LLM_COST_METRICS_MAX_PAGE_BYTES');
  });

  it('serves the same telemetry once the limit allows the page', async () => {
    telemetry = flooded(200);
    const result = await scrape((await telemetry.metricsUrl()) as string);
    expect(result.status).toBe(200);
    expect(result.bytes).toBe(Buffer.byteLength(telemetry.metrics()));
  });
});
