/** `llm-cost prices update` against a real local server, and `llm-cost price --catalog` with its output. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Provider, waitForUpdate } from '@pydantic/genai-prices';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runMain } from './support.js';

let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  const data = JSON.parse(JSON.stringify(await waitForUpdate())) as Provider[];
  const openai = data.find((p) => p.id === 'openai')!;
  (openai.models.find((m) => m.id === 'gpt-4o')!.prices as Record<string, number>).input_mtok = 3;
  const good = JSON.stringify(data);
  dir = mkdtempSync(join(tmpdir(), 'llm-cost-prices-cli-'));
  server = createServer((req, res) => {
    if (req.url === '/data.json') {
      res.writeHead(200, {
        'content-type': 'application/json',
        'last-modified': 'Tue, 01 Dec 2026 08:00:00 GMT',
      });
      res.end(good);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"not": "a catalog"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('llm-cost prices update', () => {
  it('writes the fetched catalog with its source and date, and price --catalog uses it', async () => {
    const out = join(dir, 'catalog.json');
    const res = await runMain(['prices', 'update', '--out', out, '--url', `${base}/data.json`]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(
      new RegExp(`^wrote ${out}: \\d+ providers, \\d+ models, data of 2026-12-01 from ${base}/data.json\\n$`),
    );
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({
      source: `${base}/data.json`,
      date: '2026-12-01',
    });

    // A subprocess: --catalog installs the catalog for the whole process.
    const priced = await runCli(['price', 'gpt-4o', '--input', '1000', '--output', '500', '--catalog', out]);
    expect(priced.code, priced.stderr).toBe(0);
    // gpt-4o at the fetched $3 in / $10 out: 1000×3 + 500×10 = 8000 µ$
    expect(priced.stdout).toMatch(/^\$0\.0080 {2}openai gpt-4o$/m);
    expect(priced.stdout).toContain(
      `catalog   genai-prices data from ${base}/data.json (via ${out}) of 2026-12-01`,
    );
  });

  it('refuses data that is not a catalog and writes nothing', async () => {
    const out = join(dir, 'never.json');
    const res = await runMain(['prices', 'update', '--out', out, '--url', `${base}/other.json`]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`llm-cost: ${base}/other.json: expected a list of providers, got an object\n`);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  it('needs --out', async () => {
    const res = await runMain(['prices', 'update']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('llm-cost: prices update: --out <file> is required\n');
  });
});
