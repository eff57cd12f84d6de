/**
 * A real Prometheus scraping the apps' endpoints every second, and the LLM fake provider they call:
 * the shared fixture of the test/otel integration tests.
 */
import { eventually, promQuery, type RunningProcess, startPrometheus } from '../support/processes.js';

export interface Scraper {
  prometheus: RunningProcess;
  /** Instant query; the sample values as numbers, keyed by the given labels' values joined by '/' ('' for none). */
  values(expr: string, by?: string | string[]): Promise<Record<string, number>>;
  /** Wait until `expr` has a result (a scrape carried it). */
  waitFor(expr: string): Promise<void>;
  stop(): Promise<void>;
}

/** Prometheus scraping `targets` (job name → `host:port`) every second. */
export async function startScraper(targets: Record<string, string>): Promise<Scraper> {
  const jobs = Object.entries(targets)
    .map(
      ([job, target]) =>
        `  - job_name: ${job}\n    metrics_path: /metrics\n    static_configs:\n      - targets: ['${target}']`,
    )
    .join('\n');
  const prometheus = await startPrometheus({
    config: `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n${jobs}\n`,
  });
  const values = async (expr: string, by: string | string[] = []) => {
    const labels = typeof by === 'string' ? [by] : by;
    const out: Record<string, number> = {};
    for (const sample of await promQuery(prometheus.url, expr)) {
      out[labels.map((l) => sample.metric[l] ?? '').join('/')] = Number(sample.value[1]);
    }
    return out;
  };
  const waitFor = async (expr: string) => {
    await eventually(async () => ((await promQuery(prometheus.url, expr)).length > 0 ? true : undefined), {
      what: `Prometheus to scrape ${expr}`,
      timeoutMs: 20_000,
      intervalMs: 200,
    });
  };
  return { prometheus, values, waitFor, stop: () => prometheus.stop() };
}

/** A loopback address of its own for the library's default port, so no other process on 127.0.0.1 decides a probe. */
export function privateLoopback(): string {
  return `127.${1 + (process.pid % 250)}.${1 + Math.floor(Math.random() * 250)}.${2 + Math.floor(Math.random() * 250)}`;
}
