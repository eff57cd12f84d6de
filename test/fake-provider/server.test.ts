import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeFakeUsage,
  type FakeProvider,
  startFakeProvider,
} from '../../src/demo/fake-provider/index.js';
import { promptOf } from './support.js';

const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const chat = (content = 'hi') => ({ model: 'gpt-4o', messages: [{ role: 'user' as const, content }] });

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe('options validation', () => {
  it.each(['0.0.0.0', 'localhost', '::1', '192.168.1.10'])(
    'refuses host %s: loopback 127.0.0.1 only',
    async (host) => {
      await expect(startFakeProvider({ host })).rejects.toThrow(
        `Invalid fake provider host: ${host} — the fake provider listens on 127.0.0.1 only; omit host`,
      );
    },
  );

  it('refuses out-of-range numbers with the option name and value', async () => {
    await expect(startFakeProvider({ cacheHitRatio: 1.5 })).rejects.toThrow(
      'Invalid fake provider option cacheHitRatio: 1.5 — use a number from 0 to 1',
    );
    await expect(startFakeProvider({ latencyMs: -1 })).rejects.toThrow(
      'Invalid fake provider option latencyMs: -1',
    );
    await expect(startFakeProvider({ maxBodyBytes: 0 })).rejects.toThrow(
      'maxBodyBytes: 0 — use an integer ≥ 1',
    );
  });

  it('reports a port clash as an error naming the address', async () => {
    const first = await startFakeProvider();
    await expect(startFakeProvider({ port: first.port })).rejects.toThrow(
      `Fake provider could not listen on 127.0.0.1:${first.port}: EADDRINUSE`,
    );
    await first.stop();
  });
});

describe('listening', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(() => fake.stop());

  it('binds 127.0.0.1 on an ephemeral port and derives every base URL from it', () => {
    expect(fake.port).toBeGreaterThan(0);
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}`);
    expect(fake.openaiBaseURL).toBe(`${fake.url}/v1`);
    expect([fake.anthropicBaseURL, fake.geminiBaseURL, fake.azureEndpoint]).toEqual([
      fake.url,
      fake.url,
      fake.url,
    ]);
  });

  it('is not reachable on the IPv6 loopback', async () => {
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = connect({ host: '::1', port: fake.port });
      socket.on('connect', () => {
        socket.destroy();
        resolve(Object.assign(new Error('connected'), { code: 'CONNECTED' }));
      });
      socket.on('error', resolve);
    });
    expect(error.code).not.toBe('CONNECTED');
  });
});

describe('request handling', () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider({ maxBodyBytes: 2048 });
  });
  afterAll(() => fake.stop());

  it('answers unknown routes with a 404 in the OpenAI error shape', async () => {
    const res = await post(fake.url, '/v1/completions', chat());
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_url' } });
  });

  it('answers a body over maxBodyBytes with a provider-shaped 413', async () => {
    const res = await post(fake.url, '/v1/messages', {
      model: 'claude',
      max_tokens: 5,
      messages: promptOf(1000),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
  });

  it('answers invalid JSON and a missing model with provider-shaped 400s', async () => {
    const bad = await post(fake.url, '/v1/chat/completions', '{not json');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    const noModel = await post(fake.url, '/v1/chat/completions', { messages: [] });
    expect(await noModel.json()).toMatchObject({ error: { message: 'model: Field required' } });
  });

  it('rejects unknown scenarios and malformed x-fake-usage with a message saying what to send', async () => {
    const scenario = await post(fake.url, '/v1/chat/completions', chat(), { 'x-fake-scenario': 'explode' });
    expect(scenario.status).toBe(400);
    expect(((await scenario.json()) as { error: { message: string } }).error.message).toMatch(
      /^Invalid x-fake-scenario header: unknown scenario explode — use one of error-400, /,
    );
    const usage = await post(fake.url, '/v1/chat/completions', chat(), { 'x-fake-usage': '{"inputs":3}' });
    expect(((await usage.json()) as { error: { message: string } }).error.message).toBe(
      'Invalid x-fake-usage header: unknown field inputs — use input, cacheRead, cacheWrite5m, cacheWrite1h, output, reasoning',
    );
  });

  it('records method, path, model, stream flag and scenarios, with credentials redacted', async () => {
    await post(
      fake.url,
      '/v1beta/models/gemini-2.0-flash:generateContent?key=secret-key',
      { contents: 'x' },
      {
        'x-fake-scenario': 'no-usage',
      },
    );
    await post(
      fake.url,
      '/v1/chat/completions',
      { ...chat(), stream: true },
      { authorization: 'Bearer sk-secret' },
    );
    const [gemini, openai] = fake.requests.slice(-2);
    expect(gemini).toMatchObject({
      method: 'POST',
      path: '/v1beta/models/gemini-2.0-flash:generateContent?key=%5Bredacted%5D',
      endpoint: 'gemini.generateContent',
      model: 'gemini-2.0-flash',
      stream: false,
      scenarios: ['no-usage'],
      status: 200,
      outcome: 'completed',
    });
    expect(openai).toMatchObject({ endpoint: 'openai.chat', stream: true, outcome: 'completed' });
    expect(openai?.headers['authorization']).toBe('[redacted]');
    expect(JSON.stringify(fake.requests)).not.toMatch(/secret/);
  });

  it('never echoes prompt text: completions are lorem words and records hold no bodies', async () => {
    const marker = 'MARKER-7f3a-prompt-text';
    const res = await post(fake.url, '/v1/chat/completions', chat(`${marker} ${marker}`));
    const text = await res.text();
    expect(text).not.toContain(marker);
    expect(JSON.stringify(fake.requests)).not.toContain(marker);
  });
});

describe('determinism', () => {
  it('equal requests get equal completions; the seed changes them', async () => {
    const a = await startFakeProvider({ seed: 7 });
    const b = await startFakeProvider({ seed: 8 });
    const text = async (fake: FakeProvider) =>
      (
        (await (await post(fake.url, '/v1/chat/completions', chat('same'))).json()) as {
          choices: [{ message: { content: string } }];
        }
      ).choices[0].message.content;
    const [a1, a2, b1] = [await text(a), await text(a), await text(b)];
    expect(a1).toBe(a2);
    expect(a1).not.toBe(b1);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('seeded faults fall on the same requests for the same seed', async () => {
    const outcomes = async () => {
      const fake = await startFakeProvider({ seed: 3, faults: { rateLimit: 0.3, serverError: 0.2 } });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++)
        statuses.push((await post(fake.url, '/v1/chat/completions', chat())).status);
      await fake.stop();
      return statuses;
    };
    const first = await outcomes();
    expect(await outcomes()).toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 500]));
  });

  it('computeFakeUsage predicts the usage the server reports', async () => {
    const options = { cacheHitRatio: 0.3, cacheWriteRatio: 0.2, reasoningTokens: 12, outputTokens: 9 };
    const fake = await startFakeProvider(options);
    const cases = [
      {
        endpoint: 'openai.chat',
        path: '/v1/chat/completions',
        model: 'o3',
        body: { ...chat(promptOf(50)), model: 'o3' },
      },
      {
        endpoint: 'anthropic.messages',
        path: '/v1/messages',
        model: 'claude-sonnet-4-6',
        body: {
          model: 'claude-sonnet-4-6',
          max_tokens: 15,
          system: [{ type: 'text', text: promptOf(70), cache_control: { type: 'ephemeral', ttl: '1h' } }],
          messages: [{ role: 'user', content: 'x' }],
          thinking: { type: 'enabled', budget_tokens: 10 },
        },
      },
      {
        endpoint: 'gemini.generateContent',
        path: '/v1beta/models/gemini-2.5-pro:generateContent',
        model: 'gemini-2.5-pro',
        body: { contents: [{ role: 'user', parts: [{ text: promptOf(33) }] }] },
      },
      {
        endpoint: 'openai.embeddings',
        path: '/v1/embeddings',
        model: 'e',
        body: { model: 'e', input: ['ab', 'cdefg'] },
      },
    ] as const;
    for (const c of cases) {
      await post(fake.url, c.path, c.body);
      expect(fake.requests.at(-1)?.usage, c.endpoint).toEqual(
        computeFakeUsage({ endpoint: c.endpoint, model: c.model, body: c.body }, options),
      );
    }
    expect(fake.requests[1]?.usage).toEqual({
      input: 36,
      cacheRead: 21,
      cacheWrite5m: 0,
      cacheWrite1h: 14,
      output: 5,
      reasoning: 10,
    });
    await fake.stop();
  });
});

describe('limits and lifecycle', () => {
  it('answers requests beyond maxConcurrentRequests with a provider-shaped 503', async () => {
    const fake = await startFakeProvider({ maxConcurrentRequests: 1, slowMs: 200 });
    const slow = post(fake.url, '/v1/chat/completions', chat(), { 'x-fake-scenario': 'slow' });
    await waitFor(() => fake.requests.length === 1);
    const second = await post(fake.url, '/v1/chat/completions', chat());
    expect(second.status).toBe(503);
    expect((await slow).status).toBe(200);
    await fake.stop();
  });

  it('drops connections beyond maxConnections', async () => {
    const fake = await startFakeProvider({ maxConnections: 1 });
    const open = () =>
      new Promise<{ closed: Promise<void> }>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: fake.port }, () =>
          resolve({ closed: new Promise((r) => socket.on('close', () => r())) }),
        );
        socket.on('error', () => {});
      });
    const first = await open();
    const second = await open();
    await second.closed;
    await fake.stop();
    await first.closed;
  });

  it('marks a request whose client went away mid-stream as aborted', async () => {
    const fake = await startFakeProvider({ chunkDelayMs: 20 });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.openaiBaseURL, maxRetries: 0 });
    const stream = await client.chat.completions.create({ ...chat(), stream: true });
    for await (const _ of stream) break;
    await waitFor(() => fake.requests[0]?.outcome === 'aborted');
    await fake.stop();
  });

  it('stop() closes open SSE streams and keep-alive connections, and is idempotent', async () => {
    const fake = await startFakeProvider({ chunkDelayMs: 60_000 });
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.openaiBaseURL, maxRetries: 0 });
    const stream = await client.chat.completions.create({ ...chat(), stream: true });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const pending = iterator.next();
    const first = fake.stop();
    expect(fake.stop()).toBe(first);
    await first;
    await expect(pending).rejects.toBeInstanceOf(Error);
    expect(fake.requests[0]?.outcome).toBe('aborted');
    await expect(post(fake.url, '/v1/chat/completions', chat())).rejects.toThrow();
  });

  it('with unref: true the server does not keep the process alive', async () => {
    const entry = fileURLToPath(new URL('../../src/demo/fake-provider/index.ts', import.meta.url));
    const script = `const { startFakeProvider } = await import(${JSON.stringify(entry)});
      const fake = await startFakeProvider({ unref: true });
      console.log('listening ' + fake.port);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(timer);
    expect(output).toMatch(/listening \d+/);
    expect(code).toBe(0);
  });
});
