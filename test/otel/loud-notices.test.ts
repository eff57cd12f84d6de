/**
 * (h) Silent by default no more: with no diag logger installed, a lost port, a second `register()`
 * with options, and an unknown SDK name in LLM_COST_INSTRUMENTATIONS under the register hook each
 * print exactly one `[llm-cost-otel]` line to stderr; LLM_COST_QUIET=true silences them.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appPath, ourLines, startApp } from './app-process.js';
import { ensureFreshDist } from './dist.js';

interface Result {
  url?: string;
  started: boolean;
}

let holder: Server;
let heldPort: number;

beforeAll(async () => {
  await ensureFreshDist();
  // Another process's port, held for the whole file (never released and re-picked).
  holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  heldPort = (holder.address() as { port: number }).port;
}, 120_000);

afterAll(() => new Promise((r) => holder?.close(r)));

async function run(env: Record<string, string>, nodeArgs: string[] = []) {
  const app = await startApp<Result>(appPath('notices-app.mjs'), { env, nodeArgs });
  expect(await app.stop()).toBe(0);
  return { result: app.result, lines: ourLines(app.stderr()) };
}

describe('a lost port', () => {
  it('says once that LLM metrics are not served, and metricsUrl() resolves undefined', async () => {
    const { result, lines } = await run({ CASE: 'lost-port', LLM_COST_METRICS_PORT: String(heldPort) });
    expect(result).toEqual({ started: true });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cannot serve LLM metrics on 127.0.0.1:${heldPort}`);
  });

  it('LLM_COST_QUIET=true keeps stderr quiet', async () => {
    const { lines } = await run({
      CASE: 'lost-port',
      LLM_COST_METRICS_PORT: String(heldPort),
      LLM_COST_QUIET: 'true',
    });
    expect(lines).toEqual([]);
  });
});

describe('register() again with options', () => {
  it('says once that the first configuration stays in force', async () => {
    const { lines } = await run({ CASE: 'register-twice' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/register\(\) was called again with options \(defaultAgent\).*ignored/);
  });
});

describe('an unknown SDK name in LLM_COST_INSTRUMENTATIONS under the register hook', () => {
  it('says so in one line naming the bad value and the valid ones', async () => {
    const { lines } = await run(
      { CASE: 'preloaded', LLM_COST_INSTRUMENTATIONS: 'openai,mistral', LLM_COST_PROMETHEUS_SERVER: 'false' },
      ['--import', 'llm-cost-otel/register'],
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"mistral"');
    expect(lines[0]).toContain('openai, anthropic, google-genai');
  });
});
