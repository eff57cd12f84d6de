/**
 * 100,000 distinct label values cannot blow up memory or the exposition: every family keeps at
 * most `maxSeries` label combinations plus one overflow combination, totals stay exact, the heap
 * stops growing once the caps are reached, and a warning names the metric and the label.
 * Runs in child processes with `--expose-gc` (cardinality-probe.ts) so heap readings are clean.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC } from '../../src/metrics/names.js';

const PROBE = join(import.meta.dirname, 'cardinality-probe.ts');
const CAP = 500;
const RECORDS = 100_000;
const HEAP_MARGIN_BYTES = 20 * 1024 * 1024;

interface ProbeResult {
  heapGrowthBytes: number;
  series: Record<string, { series: number; cappedTuples: number }>;
  warnings: string[];
  requests: number;
  costUsd: number;
  exposedRequests: number;
  exposedCost: number;
}

async function probe(kind: 'agent' | 'model'): Promise<ProbeResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', PROBE, kind, String(RECORDS), String(CAP)],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as ProbeResult;
}

let agents: ProbeResult;
let models: ProbeResult;
beforeAll(async () => {
  [agents, models] = await Promise.all([probe('agent'), probe('model')]);
}, 120_000);

describe.each([
  ['agent', () => agents, 'gen_ai_agent_name'],
  ['model', () => models, 'gen_ai_request_model'],
] as const)('100,000 distinct %s strings', (_kind, result, label) => {
  it('keep every family at ≤ cap + 1 label combinations (bounded labels such as token type kept)', () => {
    for (const [name, { series, cappedTuples }] of Object.entries(result().series)) {
      expect(cappedTuples, name).toBeLessThanOrEqual(CAP + 1);
      // The cap counts combinations of the capped labels; bounded labels (at most 5 values: token
      // types, outcomes, pre-created usage-missing reasons) multiply them, the overflow one too.
      expect(series, name).toBeLessThanOrEqual((CAP + 1) * 5);
    }
    expect(result().series[METRIC.requestCostUsd]!.series).toBe(CAP + 1);
  });

  it('lose nothing: every request is counted and /metrics totals equal summary()', () => {
    const r = result();
    expect(r.requests).toBe(RECORDS);
    expect(r.exposedRequests).toBe(RECORDS);
    if (_kind === 'agent') expect(r.exposedCost).toBeCloseTo(r.costUsd, 9);
  });

  it('warn once per family, naming the metric and the label that filled it', () => {
    const w = result().warnings.find((m) => m.includes(`metric ${METRIC.requestCostUsd} reached its cap`));
    expect(w).toContain(`Label ${label} has ${CAP} distinct values`);
    expect(w).toContain('__overflow__');
    const perFamily = result().warnings.filter((m) => m.includes('reached its cap'));
    expect(new Set(perFamily).size).toBe(perFamily.length);
  });
});

describe('the heap is flat once the caps are reached', () => {
  it('100,000 agent strings: growth after the caps < 20 MB', () => {
    expect(agents.heapGrowthBytes).toBeLessThan(HEAP_MARGIN_BYTES);
  });

  // The PriceBook bounds its cache of unknown names (price-book.ts MAX_CACHED_UNKNOWN).
  it('100,000 model strings: growth after the caps < 20 MB', () => {
    expect(models.heapGrowthBytes).toBeLessThan(HEAP_MARGIN_BYTES);
  });
});
