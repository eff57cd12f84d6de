/** `estimate`, `whatif`, `advise` and `report` on the command line: output, exit codes, bad input. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/processes.js';
import { runMain } from './support.js';

describe('llm-cost estimate', () => {
  const dir = tempDir('estimate');

  it('prints the range and the price entry of a request body', async () => {
    // o200k_base: 'Summarize the attached meeting notes in three bullet points' is 11 tokens
    // (checked with gpt-tokenizer below); + 1 message × 4 + 3 per request = 18 prompt tokens.
    // gpt-4o: 18 × 1.25 / 1e6 = 0.0000225 … 18 × 2.50 / 1e6 + 100 × 10 / 1e6 = 0.000045 + 0.001 = 0.001045
    const prompt = 'Summarize the attached meeting notes in three bullet points';
    expect(countTokens(prompt)).toBe(11);
    const file = join(dir, 'chat.json');
    writeFileSync(
      file,
      JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: prompt }], max_tokens: 100 }),
    );
    const r = await runMain(['estimate', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('openai gpt-4o: 18 prompt tokens, at most 100 output tokens (max_tokens)');
    expect(r.stdout).toContain('cost between $0.00002250 and $0.001045');
    expect(r.stdout).toContain('price entry: openai/gpt-4o (exact, genai-prices)');
    expect(r.stdout).toContain("assumes: prompt tokens counted with the model's tokenizer");
  });

  it("no max_tokens: the model's maximum output", async () => {
    // 18 × 2.50 / 1e6 + 16,384 × 10 / 1e6 = 0.000045 + 0.16384 = 0.163885
    const file = join(dir, 'open.json');
    writeFileSync(
      file,
      JSON.stringify({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'Summarize the attached meeting notes in three bullet points' }],
      }),
    );
    const r = await runMain(['estimate', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('at most 16,384 output tokens (model-maximum)');
    expect(r.stdout).toContain('cost between $0.00002250 and $0.1639');
  });

  it('exit 3 and no range for an unknown model', async () => {
    const file = join(dir, 'unknown.json');
    writeFileSync(file, JSON.stringify({ model: 'acme-summarizer-1', messages: [] }));
    const r = await runMain(['estimate', file, '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ priced: false, model: 'acme-summarizer-1' });
  });

  it('a file that is not JSON is a usage error', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ nope');
    const r = await runMain(['estimate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^llm-cost: .*bad\.json is not JSON/);
  });
});

describe('Prometheus commands: bad command lines', () => {
  it.each([
    [['whatif'], 'whatif: --prometheus <url> is required'],
    [
      ['whatif', '--prometheus', 'http://127.0.0.1:9', '--to', 'gpt-nonexistent-9'],
      '--to: no known price for "gpt-nonexistent-9"',
    ],
    [
      ['advise', '--prometheus', 'http://127.0.0.1:9', '--format', 'xml'],
      '--format must be text or json, got "xml"',
    ],
    [
      ['report', '--prometheus', 'http://127.0.0.1:9', '--format', 'pdf'],
      '--format must be html or md, got "pdf"',
    ],
    [
      ['report', '--prometheus', 'http://127.0.0.1:9', '--bars', '0'],
      '--bars must be a whole number from 1 to 500',
    ],
  ])('%j', async (args, message) => {
    const r = await runMain(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('internal error');
  });

  it('an unreachable Prometheus is one line and exit 1', async () => {
    const r = await runMain(['advise', '--prometheus', 'http://127.0.0.1:9', '--range', '1h']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^llm-cost: cannot reach Prometheus at http:\/\/127\.0\.0\.1:9: /);
  });
});
