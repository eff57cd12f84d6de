import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPriceOverrides, PriceBook, PriceConfigError } from '../../src/pricing/index.js';
import type { PriceOverride } from '../../src/types.js';
import { expectPriced } from './support.js';

const usage = { inputTokens: 1_000, outputTokens: 500 };

describe('custom models', () => {
  it('prices a model the catalog does not know', () => {
    // my-llama on vllm: $0.20 in, $0.60 out → 1000×0.2 + 500×0.6 = 200 + 300 = 500 µ$
    const book = new PriceBook({
      overrides: [{ provider: 'vllm', model: 'my-llama', inputPerMTok: 0.2, outputPerMTok: 0.6 }],
    });
    const result = expectPriced(book.price({ provider: 'vllm', model: 'my-llama', usage }));
    expect(result.costUsd).toBeCloseTo(0.0005, 15);
    expect(result.entry).toEqual({
      provider: 'vllm',
      model: 'my-llama',
      matchedBy: 'override',
      source: 'override',
      priceDate: null,
      ratesPerMTok: {
        input: 0.2,
        cacheRead: 0.2,
        cacheWrite5m: 0.2,
        cacheWrite1h: 0.2,
        output: 0.6,
        reasoning: 0.6,
      },
    });
  });

  it('prices a self-hosted model at an explicit $0 (priced, not unknown)', () => {
    const book = new PriceBook({
      overrides: [{ provider: '*', model: 'local-qwen', inputPerMTok: 0, outputPerMTok: 0 }],
    });
    expect(book.price({ provider: 'ollama', model: 'local-qwen', usage })).toMatchObject({
      priced: true,
      costUsd: 0,
    });
  });

  it('wins over the catalog for the same name and its snapshots', () => {
    // Negotiated gpt-4o at $2 in / $8 out: 1000×2 + 500×8 = 6000 µ$
    const book = new PriceBook({
      overrides: [{ provider: 'openai', model: 'gpt-4o', inputPerMTok: 2, outputPerMTok: 8 }],
    });
    expect(book.price({ provider: 'openai', model: 'gpt-4o', usage })).toMatchObject({ costUsd: 0.006 });
    expect(book.price({ provider: 'openai', model: 'gpt-4o-2024-11-20', usage })).toMatchObject({
      costUsd: 0.006,
    });
  });
});

describe('aliases', () => {
  it('prices an Azure deployment name as its catalog model, with a negotiated multiplier', () => {
    // gpt-4o × 0.8: $2.00 in, $8.00 out → 1000×2 + 500×8 = 6000 µ$
    const book = new PriceBook({
      overrides: [
        { provider: 'azure.ai.openai', model: 'prod-chat', aliasOf: { model: 'gpt-4o' }, multiplier: 0.8 },
      ],
    });
    const result = expectPriced(book.price({ provider: 'azure.ai.openai', model: 'prod-chat', usage }));
    expect(result.costUsd).toBeCloseTo(0.006, 15);
    expect(result.entry).toMatchObject({
      provider: 'openai',
      model: 'gpt-4o',
      matchedBy: 'alias',
      source: 'genai-prices',
      multiplier: 0.8,
      ratesPerMTok: { input: 2, output: 8 },
    });
  });

  it('can point at another provider and at a custom model', () => {
    const book = new PriceBook({
      overrides: [
        { provider: 'vllm', model: 'llama-70b', inputPerMTok: 0.5, outputPerMTok: 1 },
        { provider: 'gateway', model: 'fast', aliasOf: { provider: 'vllm', model: 'llama-70b' } },
      ],
    });
    // 1000×0.5 + 500×1 = 1000 µ$
    expect(book.price({ provider: 'gateway', model: 'fast', usage })).toMatchObject({
      priced: true,
      costUsd: 0.001,
    });
  });
});

describe('multipliers (negotiated discounts)', () => {
  it('a multiplier-only entry scales the catalog price, snapshots included', () => {
    // gpt-4o × 0.9: 7500 µ$ × 0.9 = 6750 µ$
    const book = new PriceBook({ overrides: [{ provider: 'openai', model: 'gpt-4o', multiplier: 0.9 }] });
    for (const model of ['gpt-4o', 'gpt-4o-2024-08-06']) {
      const result = expectPriced(book.price({ provider: 'openai', model, usage }));
      expect(result.costUsd).toBeCloseTo(0.00675, 15);
      expect(result.entry).toMatchObject({ model: 'gpt-4o', matchedBy: 'exact', multiplier: 0.9 });
    }
  });

  it('model "*" applies to every model of the provider (by our name or the catalog id)', () => {
    const book = new PriceBook({ overrides: [{ provider: 'azure', model: '*', multiplier: 0.5 }] });
    // gpt-4o × 0.5 = 3750 µ$; OpenAI direct is unaffected (7500 µ$)
    expect(
      expectPriced(book.price({ provider: 'azure.ai.openai', model: 'gpt-4o', usage })).costUsd,
    ).toBeCloseTo(0.00375, 15);
    expect(expectPriced(book.price({ provider: 'openai', model: 'gpt-4o', usage })).costUsd).toBeCloseTo(
      0.0075,
      15,
    );
  });
});

describe('overrides given in code are validated when the PriceBook is built', () => {
  it.each<[PriceOverride[], string]>([
    [
      [{ provider: 'x', model: 'm', inputPerMTok: -1, outputPerMTok: 1 }],
      'overrides: entry 0 (model "m"): inputPerMTok must be a non-negative number, got -1',
    ],
    [
      [{ provider: 'azure', model: 'prod', aliasOf: { model: 'gpt-4oo' } }],
      'overrides: entry 0 (model "prod"): "prod" is an alias of unknown model "gpt-4oo" (provider "azure"): no price for model ' +
        '"gpt-4oo" (provider "azure", catalog "azure"); closest known: gpt-4o, gpt-4, gpt-4.1. ' +
        'Add a price override (aliasOf, or inputPerMTok/outputPerMTok) to price it.',
    ],
    [
      [
        { provider: 'gw', model: 'a', aliasOf: { model: 'b' } },
        { provider: 'gw', model: 'b', aliasOf: { model: 'a' } },
      ],
      'overrides: entry 0 (model "a"): aliasOf forms a cycle: gw/a → gw/b → gw/a',
    ],
  ])('%j', (overrides, message) => {
    expect(() => new PriceBook({ overrides })).toThrow(new PriceConfigError(message));
  });
});

describe('loadPriceOverrides reads JSON and YAML files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'llm-cost-prices-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('loads a YAML list', () => {
    const path = file(
      'ok.yaml',
      ['- provider: vllm', '  model: my-llama', '  inputPerMTok: 0.2', '  outputPerMTok: 0.6', ''].join('\n'),
    );
    expect(loadPriceOverrides(path)).toEqual([
      { provider: 'vllm', model: 'my-llama', inputPerMTok: 0.2, outputPerMTok: 0.6 },
    ]);
  });

  it('loads a JSON { overrides: [...] } object', () => {
    const path = file(
      'ok.json',
      JSON.stringify({ overrides: [{ provider: 'openai', model: 'gpt-4o', multiplier: 0.9 }] }),
    );
    expect(loadPriceOverrides(path)).toEqual([{ provider: 'openai', model: 'gpt-4o', multiplier: 0.9 }]);
  });

  it('names the file, entry, model, field and value of a bad entry', () => {
    const path = file(
      'prices.yaml',
      [
        '- { provider: vllm, model: a, inputPerMTok: 1, outputPerMTok: 1 }',
        '- { provider: vllm, model: b, inputPerMTok: 1, outputPerMTok: 1 }',
        '- { provider: vllm, model: my-llama, inputPerMTok: abc, outputPerMTok: 1 }',
      ].join('\n'),
    );
    expect(() => loadPriceOverrides(path)).toThrow(
      new PriceConfigError(
        `${path}: entry 2 (model "my-llama"): inputPerMTok must be a non-negative number, got "abc"`,
      ),
    );
  });

  it.each([
    [
      'missing-output.json',
      '[{"provider":"p","model":"m","inputPerMTok":1}]',
      'entry 0 (model "m"): outputPerMTok is required for a custom price, got undefined',
    ],
    [
      'typo.json',
      '[{"provider":"p","model":"m","inputPerMtok":1}]',
      'entry 0 (model "m"): unknown field "inputPerMtok"; did you mean "inputPerMTok"? (expected one of provider, model, aliasOf, multiplier, inputPerMTok, outputPerMTok, cacheReadPerMTok, cacheWritePerMTok, cacheWrite1hPerMTok, reasoningPerMTok)',
    ],
    [
      'zero-multiplier.json',
      '[{"provider":"p","model":"m","multiplier":0}]',
      'entry 0 (model "m"): multiplier must be a positive number (0.8 = 20 % off), got 0',
    ],
    [
      'empty.json',
      '[{"provider":"p","model":"m"}]',
      'entry 0 (model "m"): needs aliasOf, inputPerMTok + outputPerMTok, or multiplier',
    ],
    [
      'no-model.json',
      '[{"provider":"p","inputPerMTok":1}]',
      'entry 0: model must be a non-empty string, got undefined',
    ],
    [
      'no-provider.json',
      '[{"model":"m","multiplier":2}]',
      'entry 0 (model "m"): provider must be a non-empty string (or "*" for any), got undefined',
    ],
    [
      'mixed.json',
      '[{"provider":"p","model":"m","aliasOf":{"model":"gpt-4o"},"inputPerMTok":1}]',
      'entry 0 (model "m"): aliasOf cannot be combined with per-token prices; use multiplier to adjust an alias',
    ],
    [
      'wild-alias.json',
      '[{"provider":"*","model":"m","aliasOf":{"model":"gpt-4o"}}]',
      'entry 0 (model "m"): aliasOf.provider is required when provider is "*"',
    ],
    [
      'self-alias.json',
      '[{"provider":"p","model":"m","aliasOf":{"model":"M"}}]',
      'entry 0 (model "m"): aliasOf points at the entry itself',
    ],
    [
      'dup.json',
      '[{"provider":"p","model":"m","multiplier":2},{"provider":"P","model":"M","multiplier":3}]',
      'entry 1 (model "M"): duplicates entry 0 (provider "P"); merge them',
    ],
    ['not-object.json', '[42]', 'entry 0: must be an object, got 42'],
    [
      'not-list.json',
      '{"provider":"p"}',
      'expected a list of price overrides (or { overrides: [...] }), got an object',
    ],
  ])('%s', (name, text, message) => {
    const path = file(name, text);
    expect(() => loadPriceOverrides(path)).toThrow(new PriceConfigError(`${path}: ${message}`));
  });

  it('reports unparseable YAML and JSON', () => {
    const yaml = file('broken.yaml', '- provider: [unclosed\n');
    expect(() => loadPriceOverrides(yaml)).toThrow(PriceConfigError);
    expect(() => loadPriceOverrides(yaml)).toThrow(new RegExp(`^${escapeRegExp(yaml)}: invalid YAML: `));
    const json = file('broken.json', '[{');
    expect(() => loadPriceOverrides(json)).toThrow(new RegExp(`^${escapeRegExp(json)}: invalid JSON: `));
  });

  it('reports a missing file and an unsupported extension', () => {
    const missing = join(dir, 'absent.yaml');
    expect(() => loadPriceOverrides(missing)).toThrow(
      new RegExp(`^${escapeRegExp(missing)}: cannot read price overrides: ENOENT`),
    );
    const toml = file('prices.toml', '');
    expect(() => loadPriceOverrides(toml)).toThrow(
      new PriceConfigError(`${toml}: unsupported file type ".toml"; use .json, .yaml or .yml`),
    );
  });

  it('sets the error name', () => {
    const path = file('named.json', '[1]');
    try {
      loadPriceOverrides(path);
      expect.unreachable();
    } catch (error) {
      expect((error as Error).name).toBe('PriceConfigError');
      expect(error).toBeInstanceOf(PriceConfigError);
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
