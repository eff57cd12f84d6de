/**
 * The two ways in and how they combine: module patching (prototypes), `instrument(client)`
 * (instances), both at once, twice, and `disable()` restoring the SDK's own functions.
 */
import { createRequire } from 'node:module';
import * as openaiEsm from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openaiModulePatch } from '../../../src/instrumentations/openai/index.js';
import { CHAT, type Harness, startHarness, VERSIONS } from './harness.js';

const OpenAI = VERSIONS[2]!.OpenAI;
const proto = () => OpenAI.Chat.Completions.prototype;

describe('module patch of the openai exports', () => {
  let h: Harness;
  let sdkCreate: unknown;
  beforeEach(async () => {
    h = await startHarness(OpenAI);
    sdkCreate = proto().create;
  });
  afterEach(async () => {
    openaiModulePatch.unpatch(openaiEsm);
    await h.stop();
  });

  it('measures clients that were never instrumented, and unpatch restores the SDK function', async () => {
    openaiModulePatch.patch(openaiEsm, () => h.telemetry);
    expect(proto().create).not.toBe(sdkCreate);
    await h.bare().chat.completions.create(CHAT);
    await h.bare().embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
    expect(h.calls.map((c) => c.apiOperation)).toEqual(['chat', 'embeddings']);
    openaiModulePatch.unpatch(openaiEsm);
    expect(proto().create).toBe(sdkCreate);
    await h.bare().chat.completions.create(CHAT);
    expect(h.calls).toHaveLength(2);
  });

  it('never patches twice', async () => {
    openaiModulePatch.patch(openaiEsm, () => h.telemetry);
    const patched = proto().create;
    openaiModulePatch.patch(openaiEsm, () => h.telemetry);
    expect(proto().create).toBe(patched);
    await h.bare().chat.completions.create(CHAT);
    expect(h.calls).toHaveLength(1);
  });

  it('module patch + instrument(client) on the same client is one record, in either order', async () => {
    openaiModulePatch.patch(openaiEsm, () => h.telemetry);
    await h.client().chat.completions.create(CHAT);
    const early = h.client();
    openaiModulePatch.unpatch(openaiEsm);
    openaiModulePatch.patch(openaiEsm, () => h.telemetry);
    await early.chat.completions.create(CHAT);
    expect(h.calls).toHaveLength(2);
    expect(h.spans()).toHaveLength(2);
  });

  it('passes calls through untouched once the telemetry source is gone', async () => {
    openaiModulePatch.patch(openaiEsm, () => undefined);
    const completion = await h.bare().chat.completions.create(CHAT);
    expect(completion.object).toBe('chat.completion');
    expect(h.calls).toHaveLength(0);
  });
});

describe('instrument(client)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness(OpenAI);
  });
  afterEach(() => h.stop());

  it('is idempotent: returns the same client, wraps once', async () => {
    const client = h.bare();
    expect(h.telemetry.instrument(client)).toBe(client);
    const wrapped = client.chat.completions.create;
    h.telemetry.instrument(client);
    expect(client.chat.completions.create).toBe(wrapped);
    await client.chat.completions.create(CHAT);
    expect(h.calls).toHaveLength(1);
  });

  it('leaves other clients of the same class alone', async () => {
    h.client();
    await h.bare().chat.completions.create(CHAT);
    expect(h.calls).toHaveLength(0);
  });

  it('measures clients derived with withOptions()', async () => {
    await h.client().withOptions({ timeout: 5000 }).chat.completions.create(CHAT);
    expect(h.calls).toHaveLength(1);
  });

  it('ignores objects that are not SDK clients', () => {
    const other = { chat: 1 };
    expect(h.telemetry.instrument(other)).toBe(other);
    expect(other).toEqual({ chat: 1 });
  });
});

describe('register({ instrumentations: ["openai"] }) in a CommonJS module graph', () => {
  it('patches openai when it is required, and disable() restores it', async () => {
    const h = await startHarness(OpenAI, { telemetry: { instrumentations: ['openai'] } });
    try {
      const require = createRequire(import.meta.url);
      const cjs = require('openai') as typeof openaiEsm;
      const client = new cjs.OpenAI({ baseURL: h.fake.openaiBaseURL, apiKey: 'k', maxRetries: 0 });
      await client.chat.completions.create(CHAT);
      expect(h.calls).toHaveLength(1);
      h.telemetry.disable();
      await client.chat.completions.create(CHAT);
      expect(h.calls).toHaveLength(1);
      expect(cjs.OpenAI.Chat.Completions.prototype.create.name).toBe('create');
      expect(Object.getOwnPropertySymbols(cjs.OpenAI.Chat.Completions.prototype.create)).toHaveLength(0);
    } finally {
      await h.stop();
    }
  });
});
