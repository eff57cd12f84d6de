/**
 * The /metrics endpoint is safe by default: loopback only (a request to the machine's other
 * addresses is refused), and optionally behind a bearer token or basic credentials compared in
 * constant time, answered 401 with a `WWW-Authenticate` challenge.
 */
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/errors.js';
import { resolveOptions } from '../../src/config/resolve.js';
import { isLoopbackHost } from '../../src/export/auth.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import { makeTelemetry } from '../support/telemetry.js';

let telemetry: LLMTelemetry | undefined;
afterEach(async () => {
  await telemetry?.shutdown();
  telemetry = undefined;
});

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function get(url: string, authorization?: string) {
  const res = await fetch(url, authorization ? { headers: { authorization } } : {});
  return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.text() };
}

/** The first non-internal IPv4 address of this machine, if it has one. */
function externalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

describe('the default endpoint listens on loopback only', () => {
  it('binds 127.0.0.1, and a connection to the machine’s non-loopback address is refused', async () => {
    telemetry = makeTelemetry({ prometheus: { port: 0 } });
    const url = new URL((await telemetry.metricsUrl())!);
    expect(url.hostname).toBe('127.0.0.1');
    expect((await get(url.href)).status).toBe(200);
    const external = externalAddress();
    // Without a non-loopback interface the bind address above is the whole proof.
    if (external === undefined) return;
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({ host: external, port: Number(url.port) });
      socket.setTimeout(3_000, () => {
        socket.destroy();
        resolve('timeout');
      });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });
});

describe('bearer-token auth', () => {
  it('answers 401 with a Bearer challenge unless the exact token is sent', async () => {
    telemetry = makeTelemetry({
      prometheus: { port: 0, auth: { bearerToken: 's3cret-token' } },
    });
    const url = (await telemetry.metricsUrl())!;
    for (const header of [
      undefined,
      'Bearer wrong',
      'Bearer s3cret-token-and-more',
      'Basic s3cret-token',
      'Bearer',
    ]) {
      const res = await get(url, header);
      expect(res.status, String(header)).toBe(401);
      expect(res.challenge).toBe('Bearer realm="llm-cost-otel metrics"');
      expect(res.body).not.toContain('llm_');
    }
    const ok = await get(url, 'Bearer s3cret-token');
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('# TYPE llm_cost_usd_total counter');
    // The scheme is case-insensitive (RFC 7235), the token is not.
    expect((await get(url, 'bearer s3cret-token')).status).toBe(200);
    expect((await get(url, 'Bearer S3CRET-TOKEN')).status).toBe(401);
  });

  it('comes from env LLM_COST_METRICS_BEARER_TOKEN, and also guards the mountable handler', async () => {
    telemetry = makeTelemetry(
      { prometheus: { server: false } },
      { LLM_COST_METRICS_BEARER_TOKEN: 'from-env' },
    );
    const server = createServer((req, res) => telemetry!.metricsHandler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`;
    try {
      expect((await get(url)).status).toBe(401);
      expect((await get(url, 'Bearer from-env')).status).toBe(200);
    } finally {
      server.close();
    }
  });
});

describe('basic auth', () => {
  it('answers 401 with a Basic challenge unless username and password both match', async () => {
    telemetry = makeTelemetry({
      prometheus: {
        port: 0,
        auth: { basic: { username: 'prometheus', password: 'pa:ss wörd' } },
      },
    });
    const url = (await telemetry.metricsUrl())!;
    for (const header of [
      undefined,
      basic('prometheus', 'nope'),
      basic('other', 'pa:ss wörd'),
      'Bearer pa:ss wörd',
    ]) {
      const res = await get(url, header);
      expect(res.status).toBe(401);
      expect(res.challenge).toBe('Basic realm="llm-cost-otel metrics", charset="UTF-8"');
    }
    expect((await get(url, basic('prometheus', 'pa:ss wörd'))).status).toBe(200);
  });

  it('bad auth options are a ConfigError that never echoes the secret', () => {
    const cases: unknown[] = [
      { bearerToken: 'a', basic: { username: 'u', password: 'p' } },
      {},
      { bearerToken: '' },
      { bearerToken: 'has space-SECRETVALUE' },
      { basic: { username: 'a:b', password: 'SECRETVALUE' } },
      { basic: { username: 'u', password: '' } },
    ];
    for (const auth of cases) {
      let error: unknown;
      try {
        resolveOptions({ prometheus: { auth } as never }, {});
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(auth)).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/^llm-cost-otel: prometheus\.auth/);
      expect((error as Error).message).not.toContain('SECRETVALUE');
    }
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback from the rest', () => {
    expect(['127.0.0.1', '127.0.0.2', '::1', 'localhost'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '::', '10.0.0.5', '192.168.1.1'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
