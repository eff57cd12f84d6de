/**
 * `llm-cost report` against a real Prometheus scraping the demo workload (fake provider + real SDK
 * clients + this library): every number in the HTML is the result of the query it cites, the
 * Markdown agrees, and headless Chromium — with every network request sent to a dead proxy —
 * renders it with charts that are not blank.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoBudgets } from '../../src/demo/demo.js';
import { type FakeProvider, startFakeProvider } from '../../src/demo/fake-provider/index.js';
import { providerUrlsOf, runWorkload } from '../../src/demo/workload.js';
import { METRIC } from '../../src/metrics/names.js';
import type { LLMTelemetry } from '../../src/telemetry.js';
import {
  promQuery,
  type RunningProcess,
  scrapeConfig,
  scrapedAfter,
  startPrometheus,
  tempDir,
} from '../support/processes.js';
import { makeTelemetry } from '../support/telemetry.js';
import { type CliResult, ROOT, runMain } from './support.js';

const CHROMIUM = process.env.CHROMIUM_BIN ?? 'chromium';
const RANGE = '12s';
// 4 bars of 3 s: each bar's increase() sees three 1 s scrapes.
const BARS = '4';

let fake: FakeProvider;
let telemetry: LLMTelemetry;
let prometheus: RunningProcess;
let dir: string;
let html: string;
let markdown: string;
let at: number;
let whatif: CliResult;
let advise: CliResult;
let whatifDefault: CliResult;

const unentity = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
const attr = (tag: string, name: string) => {
  const m = new RegExp(`${name}="([^"]*)"`).exec(tag);
  return m ? unentity(m[1]!) : undefined;
};

beforeAll(async () => {
  dir = tempDir('report');
  fake = await startFakeProvider({ seed: 3, latencyMs: 0, chunkDelayMs: 0 });
  telemetry = makeTelemetry({
    serviceName: 'llm-cost-demo',
    prometheus: { port: 0 },
    budgets: demoBudgets(5),
  });
  const target = new URL((await telemetry.metricsUrl())!).host;
  prometheus = await startPrometheus({ config: scrapeConfig('llm-cost-demo', [target]) });
  // Calls spread over ~30 s in phases of different seeds, so the report's range and the one
  // before it both hold data, the charts have several bars, and agents and models move.
  const urls = providerUrlsOf(fake);
  let scraped = await scrapedAfter(prometheus.url, 'up', 0);
  for (let phase = 0; phase < 9; phase++) {
    await runWorkload({ telemetry, providerUrls: urls, seed: 11 + phase, calls: 25 + phase * 6, rate: 400 });
    scraped = await scrapedAfter(prometheus.url, METRIC.requests, scraped + 3);
  }
  at = Math.floor(scraped);
  const out = join(dir, 'report.html');
  // Every command reads the same Prometheus over the same range ending at the same instant.
  const atRange = (command: string, ...args: string[]) =>
    runMain([command, '--prometheus', prometheus.url, '--range', RANGE, '--at', String(at), ...args]);
  const result = await atRange('report', '--bars', BARS, '--out', out);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toMatch(/^wrote .*report\.html: spend \$/);
  html = readFileSync(out, 'utf8');
  const md = await atRange('report', '--format', 'md');
  expect(md.code, md.stderr).toBe(0);
  markdown = md.stdout;
  whatif = await atRange(
    'whatif',
    '--to',
    'gpt-4o-mini,claude-3-5-haiku',
    '--by',
    'agent',
    '--format',
    'json',
  );
  whatifDefault = await atRange('whatif', '--format', 'json');
  advise = await atRange('advise', '--non-interactive', 'summarize');
}, 240_000);

afterAll(async () => {
  await telemetry?.shutdown();
  await prometheus?.stop();
  await fake?.stop();
});

function statedQueries(): Map<number, string> {
  const map = new Map<number, string>();
  for (const m of html.matchAll(
    /<li id="q(\d+)"><b>Q\d+<\/b>[^<]*\((instant|range)\): <code>([^<]*)<\/code>/g,
  )) {
    map.set(Number(m[1]), unentity(m[3]!));
  }
  return map;
}

/** Displayed text → number, and how far rounding may move it. */
function shown(text: string, format: string): { value: number; tolerance: number } {
  const clean = text.replace(/[$,%+]/g, '');
  const decimals = clean.includes('.') ? clean.split('.')[1]!.length : 0;
  const value = Number(clean) / (format === 'percent' ? 100 : 1);
  const tolerance = (0.5 * 10 ** -decimals) / (format === 'percent' ? 100 : 1) + 1e-12;
  return { value, tolerance };
}

describe('the HTML report', () => {
  it('every number equals the result of the query it cites, at the stated time', async () => {
    expect(html).toContain(`data-at="${at}"`);
    const queries = statedQueries();
    const figures = [...html.matchAll(/<span class="fig[^"]*"[^>]*>[^<]*<\/span>/g)].map((m) => m[0]);
    expect(figures.length).toBeGreaterThan(40);
    const cache = new Map<number, Awaited<ReturnType<typeof promQuery>>>();
    let withData = 0;
    for (const tag of figures) {
      const id = Number(attr(tag, 'data-q'));
      const expr = queries.get(id);
      expect(expr, `query Q${id} is listed`).toBeDefined();
      if (!cache.has(id)) cache.set(id, await promQuery(prometheus.url, expr!, at));
      const labels = JSON.parse(attr(tag, 'data-labels')!) as Record<string, string>;
      const sample = cache
        .get(id)!
        .find(
          (s) =>
            Object.keys(s.metric).length === Object.keys(labels).length &&
            Object.entries(labels).every(([k, v]) => s.metric[k] === v),
        );
      const v = attr(tag, 'data-v');
      if (v === undefined) {
        expect(sample, `Q${id} ${JSON.stringify(labels)} says no data`).toBeUndefined();
        continue;
      }
      withData++;
      expect(sample?.value[1], `Q${id} ${JSON.stringify(labels)}`).toBe(v);
      const display = />([^<]*)<\/span>$/.exec(tag)![1]!;
      const { value, tolerance } = shown(unentity(display), attr(tag, 'data-fmt')!);
      expect(Math.abs(value - Number(v)), `${display} shows ${v}`).toBeLessThanOrEqual(tolerance);
    }
    expect(withData).toBeGreaterThan(30);
  });

  it('states the spend the workload really had, and the previous range and budgets have data', async () => {
    const total = /data-q="(\d+)"[^>]*data-labels="\{\}" data-v="([^"]+)"/.exec(html)!;
    expect(Number(total[2])).toBeGreaterThan(0);
    expect(html).toMatch(/Budgets used<\/h2><table>/);
    expect(html).toContain('demo-coder-daily');
    expect(html).toMatch(/Top movers[\s\S]*?<table>/);
  });

  it('has no NaN, no undefined and no reference to any http(s) URL', () => {
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
  });

  it('renders in headless Chromium with the network cut off, charts drawn', async () => {
    const htmlPath = join(dir, 'report.html');
    const png = join(dir, 'report.png');
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(
        CHROMIUM,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          // Any request the page made would go to this closed port and fail.
          '--proxy-server=127.0.0.1:9',
          '--proxy-bypass-list=<-loopback>',
          `--user-data-dir=${join(dir, 'chromium')}`,
          `--screenshot=${png}`,
          '--window-size=1200,2000',
          '--hide-scrollbars',
          `file://${htmlPath}`,
        ],
        { stdio: 'ignore' },
      );
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('error', reject);
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(code).toBe(0);
    const image = PNG.sync.read(readFileSync(png));
    expect(image.width).toBe(1200);
    // The two charts are stacked bars in the series colours; count their pixels.
    const colours = { blue: [0, 0x72, 0xb2], orange: [0xe6, 0x9f, 0x00], green: [0x00, 0x9e, 0x73] };
    const counts = Object.fromEntries(Object.keys(colours).map((k) => [k, 0])) as Record<string, number>;
    let blank = 0;
    for (let i = 0; i < image.data.length; i += 4) {
      const [r, g, b] = [image.data[i]!, image.data[i + 1]!, image.data[i + 2]!];
      if (r > 0xf0 && g > 0xf0 && b > 0xf0) blank++;
      for (const [name, [cr, cg, cb]] of Object.entries(colours)) {
        if (Math.abs(r - cr!) < 6 && Math.abs(g - cg!) < 6 && Math.abs(b - cb!) < 6) counts[name]!++;
      }
    }
    expect(counts.blue, 'pixels of the first series').toBeGreaterThan(1500);
    expect(counts.orange, 'pixels of the second series').toBeGreaterThan(500);
    expect(counts.green, 'pixels of the third series').toBeGreaterThan(300);
    expect(blank / (image.width * image.height)).toBeLessThan(0.98);
    if (process.env.LLM_COST_UPDATE_SCREENSHOT === '1')
      writeFileSync(join(ROOT, 'docs/report.png'), readFileSync(png));
  }, 90_000);
});

describe('the Markdown report', () => {
  it('states the same spend as its query, and no NaN or undefined', async () => {
    const m = /\*\*Spend:\*\* \$([\d,.]+) \[Q(\d+)\]/.exec(markdown)!;
    expect(m).not.toBeNull();
    const [sample] = await promQuery(prometheus.url, `sum(increase(${METRIC.costUsd}[${RANGE}]))`, at);
    expect(Math.abs(Number(m[1]!.replace(/,/g, '')) - Number(sample!.value[1]))).toBeLessThanOrEqual(
      0.00005 + 1e-12,
    );
    expect(markdown).toContain(
      `**Q${m[2]}** spend in the range (instant): \`sum(increase(${METRIC.costUsd}[${RANGE}]))\``,
    );
    expect(markdown).not.toMatch(/NaN|undefined/);
    expect(markdown).toMatch(/\| budget \| window \| spent \| limit \| used \|/);
  });
});

describe('llm-cost whatif on the same data', () => {
  it('reads the observed mix and cost from its queries and reprices at published prices', async () => {
    expect(whatif.code, whatif.stderr).toBe(0);
    const out = JSON.parse(whatif.stdout) as {
      queries: { tokens: string; cost: string };
      rows: Array<{
        provider: string;
        model: string;
        group: Record<string, string>;
        mix: Record<string, number>;
        costUsd: number | null;
        results: Array<{
          target: { model: string };
          priced: boolean;
          costUsd: number;
          assumptions: Array<{ code: string }>;
        }>;
      }>;
    };
    expect(out.rows.length).toBeGreaterThan(5);
    const costs = await promQuery(prometheus.url, out.queries.cost, at);
    const tokens = await promQuery(prometheus.url, out.queries.tokens, at);
    for (const row of out.rows) {
      const same = (m: Record<string, string>) =>
        m.gen_ai_provider_name === row.provider &&
        m.gen_ai_request_model === row.model &&
        m.gen_ai_agent_name === row.group.gen_ai_agent_name;
      const observed = costs.find((c) => same(c.metric));
      if (row.costUsd !== null) expect(row.costUsd).toBe(Number(observed!.value[1]));
      for (const t of tokens.filter((x) => same(x.metric))) {
        expect(row.mix[t.metric.llm_token_type!]).toBe(Number(t.value[1]));
      }
      const mini = row.results.find((r) => r.target.model === 'gpt-4o-mini');
      if (row.model === 'gpt-4o-mini') continue;
      // gpt-4o-mini: input 0.15, cached input 0.075, output 0.60 (reasoning billed as output),
      // cache writes billed as input (OpenAI charges none) — USD per million tokens.
      const m = row.mix;
      const expected =
        (m.input! * 0.15 + m.cache_read! * 0.075 + m.cache_write! * 0.15 + (m.output! + m.reasoning!) * 0.6) /
        1e6;
      expect(mini!.costUsd).toBeCloseTo(expected, 12);
      if (m.reasoning! > 0)
        expect(mini!.assumptions.map((a) => a.code)).toContain('reasoning-onto-non-reasoning');
      if (m.cache_write! > 0)
        expect(mini!.assumptions.map((a) => a.code)).toContain('cache-writes-at-input-rate');
    }
  });
});

describe('llm-cost whatif with default candidates', () => {
  it('offers up to three cheaper models of the same provider per model, never an unpriced one', () => {
    expect(whatifDefault.code, whatifDefault.stderr).toBe(0);
    const out = JSON.parse(whatifDefault.stdout) as {
      rows: Array<{
        provider: string;
        model: string;
        baselineUsd: number | null;
        results: Array<{ target: { provider: string }; priced: boolean; savingUsd: number | null }>;
      }>;
    };
    const priced = out.rows.filter((r) => r.baselineUsd !== null && r.baselineUsd > 0);
    expect(priced.some((r) => r.results.length > 0)).toBe(true);
    for (const row of out.rows) {
      expect(row.results.length).toBeLessThanOrEqual(3);
      for (const r of row.results) {
        expect(r.target.provider).toBe(row.provider);
        expect(r.priced).toBe(true);
      }
    }
    const unpriced = out.rows.find((r) => r.model === 'acme-summarizer-1');
    expect(unpriced?.baselineUsd).toBeNull();
  });
});

describe('llm-cost advise on the same data', () => {
  it('ranks findings by saving, each with its query, and says which rules need data', () => {
    expect(advise.code, advise.stderr).toBe(0);
    expect(advise.stdout).toMatch(/^1\. .* — ≈ \$[\d,.]+\/month {2}\[[a-z-]+\]$/m);
    expect(advise.stdout).toContain('evidence: sum by');
    expect(advise.stdout).toContain('[batch-eligible]');
    expect(advise.stdout).toContain(
      'not checked: long-context-tier-margin — needs data: no llm_tier_crossing_requests_total series',
    );
    // The demo's agents run tasks (withAgentRun): the week-over-week rule has its data and is checked.
    expect(advise.stdout).not.toContain('not checked: run-cost-rise');
    const savings = [...advise.stdout.matchAll(/— ≈ \$([\d,.]+)\/month/g)].map((m) =>
      Number(m[1]!.replace(/,/g, '')),
    );
    expect([...savings].sort((a, b) => b - a)).toEqual(savings);
    expect(advise.stdout).not.toMatch(/NaN|undefined/);
  });

  it('the report carries the same recommendations', () => {
    expect(html).toContain('<div class="rec">');
    expect(html).toContain('needs data: no llm_tier_crossing_requests_total series');
    expect(html).not.toContain('needs data: no llm_agent_runs_total series');
  });
});
