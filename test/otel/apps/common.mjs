// Shared by the apps in this folder: the app's own Prometheus endpoint, LLM calls with pinned usage
// through the real SDK clients, and the protocol with the test (one JSON line on stdout when ready;
// the test closes stdin to stop the app).
import { createServer } from 'node:http';

/** Usage the fake provider reports (x-fake-usage), so the test can price it by hand. */
export const OPENAI_USAGE = { input: 1000, output: 200 };
export const ANTHROPIC_USAGE = { input: 2000, output: 400 };

/**
 * The exporter's metrics on 127.0.0.1, port 0. PrometheusExporter treats `port: 0` as unset
 * (`config.port || … || 9464`), so its own server cannot take an ephemeral port: the app builds it
 * with `preventServerStart: true` and serves its public `getMetricsRequestHandler` here instead.
 */
export async function serveExporter(exporter) {
  const server = createServer((request, response) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname === '/metrics') {
      exporter.getMetricsRequestHandler(request, response);
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { port: server.address().port, close: () => new Promise((r) => server.close(() => r())) };
}

/** One chat completion through the real `openai` client (imported after the SDK started, as ESM apps do). */
export async function openaiChat(model = 'gpt-4o', usage = OPENAI_USAGE) {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ baseURL: process.env.FAKE_OPENAI_URL, apiKey: 'sk-otel-app', maxRetries: 0 });
  return client.chat.completions.create(
    { model, messages: [{ role: 'user', content: 'hello' }] },
    { headers: { 'x-fake-usage': JSON.stringify(usage) } },
  );
}

/** One message through the real `@anthropic-ai/sdk` client. */
export async function anthropicMessage(model = 'claude-haiku-4-5', usage = ANTHROPIC_USAGE) {
  const { default: Anthropic } = await import('@anthropic-ai/sdk');
  const client = new Anthropic({
    baseURL: process.env.FAKE_ANTHROPIC_URL,
    apiKey: 'sk-ant-otel-app',
    maxRetries: 0,
  });
  return client.messages.create(
    { model, max_tokens: 1024, messages: [{ role: 'user', content: 'hello' }] },
    { headers: { 'x-fake-usage': JSON.stringify(usage) } },
  );
}

/** Poll `check` until it returns true, or throw after `timeoutMs`. */
export async function until(check, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** True when `url` answers (anything), false when the connection is refused. */
export async function answers(url) {
  try {
    await fetch(url);
    return true;
  } catch {
    return false;
  }
}

/** Print the result line, stay up until the test closes stdin, then clean up and exit. */
export async function ready(result, cleanup) {
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await new Promise((resolve) => {
    process.stdin.on('data', () => {});
    process.stdin.once('end', resolve);
    process.stdin.resume();
  });
  await cleanup?.();
  process.exit(0);
}

/** Run the app's main; any failure is printed and exits 1 (the test shows stderr). */
export function main(run) {
  run().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
