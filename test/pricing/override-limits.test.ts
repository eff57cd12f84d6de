/**
 * Overrides are data from a file someone edits: absurd values, huge files, long alias chains and
 * special files are rejected with a message naming the file, entry and field — never a crash, a
 * hang or a NaN/Infinity cost.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPriceOverrides, PriceBook, PriceConfigError } from '../../src/pricing/index.js';
import type { PriceOverride } from '../../src/types.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm-cost-override-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const usage = { inputTokens: 1_000, outputTokens: 500 };

describe('absurd numbers are rejected, naming entry and field', () => {
  const cases: ReadonlyArray<[PriceOverride, string]> = [
    [
      { provider: 'openai', model: 'gpt-4o', multiplier: 1e308 },
      'overrides: entry 0 (model "gpt-4o"): multiplier must be at most 100 (0.8 = 20 % off), got 1e+308',
    ],
    [
      { provider: 'acme', model: 'a', inputPerMTok: 1e308, outputPerMTok: 1 },
      'overrides: entry 0 (model "a"): inputPerMTok must be at most 1000000 USD per million tokens, got 1e+308',
    ],
    [
      { provider: 'acme', model: 'a', inputPerMTok: 1, outputPerMTok: Number.POSITIVE_INFINITY },
      'overrides: entry 0 (model "a"): outputPerMTok must be a non-negative number, got Infinity',
    ],
    [
      { provider: 'acme', model: 'a', inputPerMTok: 1, outputPerMTok: 1, cacheReadPerMTok: -0.5 },
      'overrides: entry 0 (model "a"): cacheReadPerMTok must be a non-negative number, got -0.5',
    ],
  ];
  for (const [entry, message] of cases) {
    it(message, () => {
      expect(() => new PriceBook({ overrides: [entry] })).toThrow(new PriceConfigError(message));
    });
  }

  it('multipliers along an alias chain cannot compound into an absurd rate', () => {
    // 100 × 100 × 100 on gpt-4o output ($10) = $10,000,000 per MTok: past the bound, unpriced.
    const book = new PriceBook({
      overrides: [
        { provider: 'openai', model: 'a', aliasOf: { model: 'b' }, multiplier: 100 },
        { provider: 'openai', model: 'b', aliasOf: { model: 'c' }, multiplier: 100 },
        { provider: 'openai', model: 'c', aliasOf: { model: 'gpt-4o' }, multiplier: 100 },
      ],
    });
    const result = book.price({ provider: 'openai', model: 'a', usage });
    expect(result.priced).toBe(false);
    expect(!result.priced && result.message).toContain('above 1000000 USD per million tokens');
    expect(!result.priced && result.message).toContain('openai/gpt-4o is 2500000 USD per million tokens');
  });
});

describe('size limits', () => {
  it('a 130,000-entry file is rejected up front (it used to overflow the stack)', () => {
    const path = join(dir, 'huge.json');
    const entries = Array.from({ length: 130_000 }, (_, i) => ({
      provider: 'acme',
      model: `m-${i}`,
      inputPerMTok: 1,
      outputPerMTok: 1,
    }));
    writeFileSync(path, JSON.stringify(entries));
    expect(() => loadPriceOverrides(path)).toThrow(PriceConfigError);
    expect(() => loadPriceOverrides(path)).toThrow(
      /^.*huge\.json: \d+ bytes; price override files are limited to 4194304 bytes/,
    );
  });

  it('130,000 entries given in code are rejected with the count', () => {
    const entries = Array.from({ length: 130_000 }, (_, i) => ({
      provider: 'acme',
      model: `m-${i}`,
      inputPerMTok: 1,
      outputPerMTok: 1,
    }));
    expect(() => new PriceBook({ overrides: entries })).toThrow(
      'overrides: 130000 entries; at most 10000 are accepted',
    );
  });
});

describe('depth limit', () => {
  it('a million nested [ in YAML is refused before parsing (it took seconds and overflowed the stack)', () => {
    const path = join(dir, 'deep.yaml');
    writeFileSync(path, `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`);
    expect(() => loadPriceOverrides(path)).toThrow(
      `${path}: nested deeper than 64 levels; a price override file is a flat list of entries`,
    );
  });

  it('ordinary YAML with quotes and flow maps still loads', () => {
    const path = join(dir, 'ok.yaml');
    writeFileSync(
      path,
      "# don't mind the apostrophe\noverrides:\n  - { provider: azure, model: 'it''s-[prod]', aliasOf: { provider: openai, model: gpt-4o } }\n",
    );
    expect(loadPriceOverrides(path)).toEqual([
      { provider: 'azure', model: "it's-[prod]", aliasOf: { provider: 'openai', model: 'gpt-4o' } },
    ]);
  });
});

describe('alias chains', () => {
  it('a 5,000-link chain is rejected at load with its length (it used to overflow the stack)', () => {
    const overrides: PriceOverride[] = Array.from({ length: 5_000 }, (_, i) => ({
      provider: 'openai',
      model: `alias-${i}`,
      aliasOf: { model: i === 4_999 ? 'gpt-4o' : `alias-${i + 1}` },
    }));
    expect(() => new PriceBook({ overrides })).toThrow(PriceConfigError);
    expect(() => new PriceBook({ overrides })).toThrow(/alias chain longer than 32 hops/);
  });

  it('a 32-hop chain still prices (gpt-4o: 1000×2.5 + 500×10 = 7500 µ$)', () => {
    const overrides: PriceOverride[] = Array.from({ length: 32 }, (_, i) => ({
      provider: 'openai',
      model: `alias-${i}`,
      aliasOf: { model: i === 31 ? 'gpt-4o' : `alias-${i + 1}` },
    }));
    const result = new PriceBook({ overrides }).price({ provider: 'openai', model: 'alias-0', usage });
    expect(result.priced && result.costUsd).toBeCloseTo(0.0075, 15);
  });

  it('a cycle is named', () => {
    expect(
      () =>
        new PriceBook({
          overrides: [
            { provider: 'openai', model: 'x', aliasOf: { model: 'y' } },
            { provider: 'openai', model: 'y', aliasOf: { model: 'x' } },
          ],
        }),
    ).toThrow('overrides: entry 0 (model "x"): aliasOf forms a cycle: openai/x → openai/y → openai/x');
  });
});

describe('regular files only', () => {
  it('a FIFO is rejected without hanging', () => {
    const fifo = join(dir, 'prices.json');
    execFileSync('mkfifo', [fifo]);
    expect(() => loadPriceOverrides(fifo)).toThrow(
      `${fifo}: not a regular file (a FIFO); point it at a JSON or YAML file`,
    );
  });

  it('/dev/zero is rejected without reading it', () => {
    expect(() => loadPriceOverrides('/dev/zero')).toThrow(/unsupported file type ""/);
    const link = join(dir, 'zero.yaml');
    execFileSync('ln', ['-s', '/dev/zero', link]);
    expect(() => loadPriceOverrides(link)).toThrow(
      `${link}: not a regular file (a character device); point it at a JSON or YAML file`,
    );
  });
});
