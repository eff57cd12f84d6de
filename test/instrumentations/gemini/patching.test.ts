/**
 * Prototype patching of `Models` (the auto-instrumentation path), its combination with instance
 * patching, and the provider name of a Vertex AI client.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as sdk from '@google/genai';
import { GoogleGenAI, Models } from '@google/genai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProvider, startFakeProvider } from '../../../src/demo/fake-provider/index.js';
import {
  geminiModulePatch,
  instrumentGemini,
  patchGeminiModule,
  uninstrumentGemini,
} from '../../../src/instrumentations/gemini/index.js';
import { collect, createHarness, type Harness } from '../anthropic/harness.js';

const MODEL = 'gemini-2.0-flash';
const proto = Models.prototype as unknown as Record<string, unknown>;
const originals = {
  generateContentInternal: proto['generateContentInternal'],
  generateContentStreamInternal: proto['generateContentStreamInternal'],
  embedContentInternal: proto['embedContentInternal'],
};

let fake: FakeProvider;
let h: Harness;
const newClient = () =>
  new GoogleGenAI({ apiKey: 'gemini-dummy-key', httpOptions: { baseUrl: fake.geminiBaseURL } });
const generate = (ai: GoogleGenAI) => ai.models.generateContent({ model: MODEL, contents: 'hi' });

beforeAll(async () => {
  fake = await startFakeProvider();
  h = createHarness();
});
afterEach(() => h.reset());
afterAll(async () => {
  await h.shutdown();
  await fake.stop();
});

describe('patchGeminiModule()', () => {
  it('measures every surface of clients from the patched module; unpatch() restores the prototype', async () => {
    const unpatch = patchGeminiModule(h.telemetry, sdk);
    for (const name of Object.keys(originals))
      expect(proto[name]).not.toBe(originals[name as keyof typeof originals]);
    const ai = newClient();
    await generate(ai);
    await collect(await ai.models.generateContentStream({ model: MODEL, contents: 'hi' }));
    await ai.models.embedContent({ model: 'gemini-embedding-001', contents: 'hi' });
    expect(
      h.telemetry.summary({ by: ['operation'] }).groups.map((g) => [g.key['operation'], g.requests]),
    ).toEqual([
      ['generate_content', 2],
      ['embeddings', 1],
    ]);
    unpatch();
    unpatch();
    for (const [name, original] of Object.entries(originals)) expect(proto[name]).toBe(original);
    await generate(newClient());
    expect(h.telemetry.summary().total.requests).toBe(3);
  });

  it('accepts a CommonJS-style `default` and ignores a module without Models', () => {
    const unpatch = patchGeminiModule(h.telemetry, { default: { Models } });
    expect(proto['generateContentInternal']).not.toBe(originals.generateContentInternal);
    unpatch();
    expect(proto['generateContentInternal']).toBe(originals.generateContentInternal);
    expect(patchGeminiModule(h.telemetry, {})).toBeTypeOf('function');
  });

  it('prototype + instance patching, in either order: one record per request', async () => {
    const unpatch = patchGeminiModule(h.telemetry, sdk);
    const before = instrumentGemini(h.telemetry, newClient());
    await generate(before);
    expect(h.telemetry.summary().total.requests).toBe(1);
    unpatch();
    await generate(before);
    expect(h.telemetry.summary().total.requests).toBe(2);

    const after = instrumentGemini(h.telemetry, newClient());
    const unpatchAgain = patchGeminiModule(h.telemetry, sdk);
    await generate(after);
    expect(h.telemetry.summary().total.requests).toBe(3);
    unpatchAgain();
    uninstrumentGemini(after);
    uninstrumentGemini(before);
    await generate(after);
    expect(h.telemetry.summary().total.requests).toBe(3);
  });
});

describe('geminiModulePatch (the module-patcher contract)', () => {
  it('patches once per module with a per-call telemetry source, and unpatches', async () => {
    expect(geminiModulePatch).toMatchObject({ name: 'google-genai', moduleName: '@google/genai' });
    let current: typeof h.telemetry | undefined = h.telemetry;
    geminiModulePatch.patch(sdk, () => current);
    geminiModulePatch.patch(sdk, () => current);
    await generate(newClient());
    current = undefined;
    await generate(newClient());
    expect(h.telemetry.summary().total.requests).toBe(1);
    geminiModulePatch.unpatch(sdk);
    for (const [name, original] of Object.entries(originals)) expect(proto[name]).toBe(original);
  });
});

describe('Vertex AI clients', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    // Vertex AI's generateContent answers in the Gemini response shape; a stand-in on loopback.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            candidates: [{ content: { role: 'model', parts: [{ text: 'ok' }] }, finishReason: 'STOP' }],
            usageMetadata: {
              promptTokenCount: 12,
              candidatesTokenCount: 3,
              totalTokenCount: 15,
              trafficType: 'ON_DEMAND',
            },
            modelVersion: 'gemini-2.5-flash',
          }),
        );
      });
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('are recorded under gcp.vertex_ai, the publisher path stripped from the model', async () => {
    const ai = instrumentGemini(
      h.telemetry,
      new GoogleGenAI({ vertexai: true, apiKey: 'k', httpOptions: { baseUrl } }),
    );
    const response = await ai.models.generateContent({
      model: 'publishers/google/models/gemini-2.5-flash',
      contents: 'hi',
    });
    expect(response.text).toBe('ok');
    const span = h.ourSpans()[0]!;
    expect(span.attributes).toMatchObject({
      'gen_ai.provider.name': 'gcp.vertex_ai',
      'gen_ai.request.model': 'gemini-2.5-flash',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
    });
    // gemini-2.5-flash on Vertex AI per MTok: input $0.30, output $2.50 → 12×0.30 + 3×2.50 = 11.1 → $0.0000111.
    expect(h.telemetry.summary().total.costUsd).toBeCloseTo(0.0000111, 14);
  });
});
