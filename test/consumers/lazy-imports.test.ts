/**
 * Optional parts load at first use, not with the library: the OTLP exporter only when OTLP is on
 * (and then after `register()` returned, with a record made before it arrived still exported),
 * `yaml` only for a YAML file. Run against the built package, as an app loads it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFreshDist, ROOT } from '../otel/dist.js';

const run = promisify(execFile);
const app = fileURLToPath(new URL('lazy-app.mjs', import.meta.url));

interface LazyOutput {
  afterRegister: string[];
  afterStart: string[];
  costUsd: number | null;
}

async function runApp(env: Record<string, string>): Promise<LazyOutput> {
  const { stdout } = await run(process.execPath, [app], {
    cwd: ROOT,
    env: { ...process.env, LLM_COST_INSTRUMENTATIONS: '', LLM_COST_QUIET: 'true', ...env },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) as string) as LazyOutput;
}

let dir: string;
let collector: Server;
const bodies: string[] = [];
beforeAll(async () => {
  await ensureFreshDist();
  dir = mkdtempSync(join(tmpdir(), 'llm-cost-lazy-'));
  collector = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
}, 180_000);
afterAll(() => {
  collector?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('optional parts load at first use', () => {
  it('register() in code: neither the OTLP exporter nor yaml is loaded', async () => {
    const out = await runApp({});
    expect(out).toEqual({ afterRegister: [], afterStart: [], costUsd: 0.001 });
  });

  it('OTLP on: the exporter loads after register() returned; a record made before is exported', async () => {
    const port = (collector.address() as { port: number }).port;
    const out = await runApp({ MODE: 'otlp', OTLP_URL: `http://127.0.0.1:${port}/v1/metrics` });
    expect(out.afterRegister).toEqual([]);
    expect(out.afterStart).toEqual(['@opentelemetry/exporter-metrics-otlp-http']);
    // 1,000 input tokens at the override's $1 / MTok = $0.001, exported on shutdown.
    expect(out.costUsd).toBe(0.001);
    const cost = bodies
      .map((b) => JSON.parse(b) as OtlpBody)
      .flatMap((b) => b.resourceMetrics.flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics)))
      .find((m) => m.name === 'llm.cost.usd');
    const points = cost?.sum?.dataPoints ?? [];
    expect(points.reduce((sum, p) => sum + (p.asDouble ?? 0), 0)).toBeCloseTo(0.001, 12);
  });

  it('a YAML prices file: yaml is loaded to read it, and its price applies', async () => {
    const file = join(dir, 'prices.yaml');
    writeFileSync(file, '- { provider: acme, model: acme-1, inputPerMTok: 1, outputPerMTok: 4 }\n');
    const out = await runApp({ MODE: 'yaml', PRICES_FILE: file });
    expect(out.afterRegister).toEqual(['yaml']);
    // 1,000 input tokens at the file's $1 / MTok.
    expect(out.costUsd).toBe(0.001);
  });
});

interface OtlpBody {
  resourceMetrics: Array<{
    scopeMetrics: Array<{
      metrics: Array<{ name: string; sum?: { dataPoints: Array<{ asDouble?: number }> } }>;
    }>;
  }>;
}
