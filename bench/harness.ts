/**
 * A tiny benchmark harness: each case runs `rounds` timed batches of `iterations` calls after a
 * warm-up; we report the median ns/op. Cases in one run share the process, so ratios between
 * them are meaningful even on a busy machine; absolute numbers are not.
 */
export interface CaseResult {
  name: string;
  medianNs: number;
  p10Ns: number;
  p90Ns: number;
}

export function measure(
  name: string,
  fn: (i: number) => void,
  { iterations = 20_000, rounds = 15, warmup = 20_000 } = {},
): CaseResult {
  for (let i = 0; i < warmup; i++) fn(i);
  const perOp: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) fn(i);
    perOp.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  perOp.sort((a, b) => a - b);
  const at = (q: number) => perOp[Math.min(perOp.length - 1, Math.floor(q * perOp.length))]!;
  return { name, medianNs: at(0.5), p10Ns: at(0.1), p90Ns: at(0.9) };
}

export async function measureAsync(
  name: string,
  fn: (i: number) => Promise<unknown>,
  { iterations = 2_000, rounds = 9, warmup = 1_000 } = {},
): Promise<CaseResult> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const perOp: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await fn(i);
    perOp.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  perOp.sort((a, b) => a - b);
  const at = (q: number) => perOp[Math.min(perOp.length - 1, Math.floor(q * perOp.length))]!;
  return { name, medianNs: at(0.5), p10Ns: at(0.1), p90Ns: at(0.9) };
}

export function report(title: string, results: CaseResult[], baseline: string): void {
  const base = results.find((r) => r.name === baseline)!;
  console.log(`\n## ${title}\n`);
  console.log('| case | median | p10–p90 | × baseline |');
  console.log('|---|---:|---:|---:|');
  for (const r of results) {
    const fmt = (ns: number) => (ns >= 1000 ? `${(ns / 1000).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
    console.log(
      `| ${r.name} | ${fmt(r.medianNs)} | ${fmt(r.p10Ns)}–${fmt(r.p90Ns)} | ${(r.medianNs / base.medianNs).toFixed(2)} |`,
    );
  }
}

/** The agents the record benchmarks rotate through (five rows of the store). */
export const BENCH_AGENTS = ['planner', 'researcher', 'coder', 'reviewer', 'summarizer'];

/** The call the record benchmarks measure: every bucket, a priced catalog model, a duration. */
export const benchCall = (i: number) => ({
  provider: 'anthropic',
  model: 'claude-sonnet-4-20250514',
  agent: BENCH_AGENTS[i % BENCH_AGENTS.length],
  operation: 'plan',
  apiOperation: 'chat',
  usage: {
    inputTokens: 8_000 + (i & 255),
    cacheReadTokens: 5_000,
    cacheWriteTokens: 2_000,
    cacheWrite1hTokens: 500,
    outputTokens: 700,
    reasoningTokens: 200,
  },
  durationMs: 1_234,
  span: null,
});
