/**
 * No prompt or completion content and no credentials in any span, diag log line or `/metrics`
 * output — across success, streams, errors and our own internal failures.
 */
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_KEY, collect, type Harness, scenario, startHarness, VERSIONS } from './harness.js';

const MARKER = 'PRIVATE-MARKER-7f3a9c';
const messages = [{ role: 'user' as const, content: `Please keep ${MARKER} secret` }];

describe('privacy', () => {
  let h: Harness;
  const logLines: string[] = [];
  beforeAll(async () => {
    const capture = (...args: unknown[]) =>
      logLines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    diag.setLogger(
      { error: capture, warn: capture, info: capture, debug: capture, verbose: capture },
      DiagLogLevel.ALL,
    );
    h = await startHarness(VERSIONS[2]!.OpenAI);
    const client = h.client({ defaultHeaders: { 'x-extra-secret': API_KEY } });
    await client.chat.completions.create({ model: 'gpt-4o', messages });
    await collect(await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true }));
    await client.responses.create({ model: 'gpt-4o', input: MARKER });
    await client.embeddings.create({ model: 'text-embedding-3-small', input: MARKER });
    await client.chat.completions
      .create({ model: 'gpt-4o', messages }, scenario('error-401'))
      .catch(() => undefined);
    await collect(
      await client.chat.completions.create(
        { model: 'gpt-4o', messages, stream: true },
        scenario('cut-mid-stream'),
      ),
    ).catch(() => undefined);
    // Our own failure path logs through diag: it must not leak either.
    vi.mocked(h.telemetry.record).mockImplementationOnce(() => {
      throw new Error('record failed');
    });
    await client.chat.completions.create({ model: 'gpt-4o', messages });
    await vi.waitFor(() => expect(h.spans()).toHaveLength(7));
  });
  afterAll(async () => {
    diag.disable();
    await h.stop();
  });

  const leaks = (text: string) => [MARKER, API_KEY, 'Bearer'].filter((s) => text.includes(s));

  it('spans carry neither the prompt nor the key', () => {
    const text = JSON.stringify(
      h.spans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
    );
    expect(text).toContain('gen_ai.request.model');
    expect(leaks(text)).toEqual([]);
  });

  it('diag log lines carry neither', () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(leaks(logLines.join('\n'))).toEqual([]);
  });

  it('/metrics carries neither', () => {
    const text = h.telemetry.metrics();
    expect(text).toContain('llm_requests_total');
    expect(leaks(text)).toEqual([]);
  });
});
