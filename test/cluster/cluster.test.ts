/**
 * A real Node cluster app (test/fixtures/cluster/app.mjs): 4 workers each record $1 with plain
 * `register()`, the primary serves one `/metrics` that sums them — and keeps the sum monotonic
 * when a worker stalls (last known figures, counted as unresponsive) or exits (retired figures).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_METRIC, METRIC } from '../../src/metrics/names.js';
import { promtoolCheck, sampleSum, sampleValue } from '../support/exposition.js';

const APP = join(import.meta.dirname, '../fixtures/cluster/app.mjs');
const COST = `${METRIC.costUsd}{gen_ai_provider_name="acme",gen_ai_request_model="acme-1",gen_ai_agent_name="checkout",gen_ai_operation_name="chat",llm_operation_name="chat",llm_token_type="input"}`;

let app: ChildProcess;
let url: string;
const lines: string[] = [];
const waiters: Array<{ prefix: string; resolve: (line: string) => void }> = [];

function nextLine(prefix: string, timeoutMs = 60_000): Promise<string> {
  const found = lines.findIndex((l) => l.startsWith(prefix));
  if (found >= 0) return Promise.resolve(lines.splice(found, 1)[0]!);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "${prefix}" from the app; output:\n${lines.join('\n')}`)),
      timeoutMs,
    );
    waiters.push({
      prefix,
      resolve: (line) => {
        clearTimeout(timer);
        resolve(line);
      },
    });
  });
}

async function command(text: string): Promise<void> {
  app.stdin!.write(`${text}\n`);
  await nextLine(`OK ${text}`);
}

async function scrape(): Promise<string> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return res.text();
}

beforeAll(async () => {
  app = spawn(process.execPath, ['--import', 'tsx', APP], {
    env: {
      ...process.env,
      PORT: '0',
      WORKERS: '4',
      WORKER_TIMEOUT_MS: '300',
      LLM_COST_CLUSTER_PUSH_INTERVAL_MS: '100',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  createInterface({ input: app.stdout! }).on('line', (line) => {
    const i = waiters.findIndex((w) => line.startsWith(w.prefix));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(line);
    else lines.push(line);
  });
  url = (await nextLine('READY ', 90_000)).slice('READY '.length);
}, 120_000);

afterAll(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((r) => app.once('exit', r));
    app.stdin!.write('quit\n');
    const timer = setTimeout(() => app.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
});

describe('a Node cluster app serves one /metrics summing its workers', () => {
  it('4 workers that each recorded $1 show $4 on the primary, in a valid exposition', async () => {
    const text = await scrape();
    expect(sampleValue(text, COST)).toBe(4);
    expect(sampleValue(text, CLUSTER_METRIC.workers)).toBe(4);
    expect(sampleValue(text, CLUSTER_METRIC.workersUnresponsive)).toBe(0);
    expect(sampleSum(text, `${METRIC.requests}{`)).toBe(4);
    // Histograms add bucket by bucket: 4 calls of 0.1 s each.
    expect(sampleSum(text, `${METRIC.requestDurationSeconds}_count{`)).toBe(4);
    expect(text.match(/^# TYPE llm_cost_usd_total counter$/gm)).toHaveLength(1);
    expect(promtoolCheck(text)).toEqual([]);
  });

  it('a worker that does not answer in time is counted, and its last figures keep the sum at $4', async () => {
    await command('block 2 1500');
    const text = await scrape();
    expect(sampleValue(text, CLUSTER_METRIC.workersUnresponsive)).toBe(1);
    expect(sampleValue(text, COST)).toBe(4);
    // Leave no blocked worker to the next test: wait until every worker answers again.
    const deadline = Date.now() + 15_000;
    while (sampleValue(await scrape(), CLUSTER_METRIC.workersUnresponsive) !== 0) {
      if (Date.now() > deadline) throw new Error('worker 2 still blocked after 15 s');
    }
  });

  it('a worker that exits stays in the sum (no counter reset); a new worker adds to it', async () => {
    await command('kill 3');
    let text = await scrape();
    expect(sampleValue(text, CLUSTER_METRIC.workers)).toBe(3);
    expect(sampleValue(text, COST)).toBe(4);
    await command('fork');
    text = await scrape();
    expect(sampleValue(text, CLUSTER_METRIC.workers)).toBe(4);
    expect(sampleValue(text, CLUSTER_METRIC.workersUnresponsive)).toBe(0);
    expect(sampleValue(text, COST)).toBe(5);
  });

  it('a worker that crashes after 60,000 records keeps them all: its last push reached the primary', async () => {
    const before = sampleValue(await scrape(), COST)!;
    await command('crash 2 60000');
    // 60,000 calls × 1,000,000 input tokens × $1/MTok = $60,000, recorded between two scrapes.
    expect(sampleValue(await scrape(), COST)).toBe(before + 60_000);
  });
});
