/**
 * One run store for the ESM and CommonJS copies of the built package: a run started through one
 * copy gets the calls recorded through the other (the store lives on globalThis, see
 * src/shared-instance.ts). Prices: a custom model at $1/M input tokens.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

// dist/ is rebuilt from src/ before this file runs: the vitest project `package` (vitest.config.ts).

const SCRIPT = `
import { createRequire } from 'node:module';
const esm = await import(${JSON.stringify(`${root}/dist/index.js`)});
const cjs = createRequire(import.meta.url)(${JSON.stringify(`${root}/dist/index.cjs`)});
const t = esm.register({
  prometheus: false,
  meterProvider: false,
  prices: { overrides: [{ provider: 'acme', model: 'acme-1', inputPerMTok: 1, outputPerMTok: 1 }] },
});
const ended = [];
t.onRunEnd((r) => ended.push({ agent: r.agent, costUsd: r.totals.costUsd, calls: r.totals.llmCalls, parent: r.parentId !== undefined }));
const call = (n) => ({ provider: 'acme', model: 'acme-1', usage: { inputTokens: n, outputTokens: 0 } });
await cjs.withAgentRun({ agent: 'from-cjs' }, async () => {
  esm.record(call(1000));
  await esm.withAgentRun({ agent: 'from-esm' }, async () => cjs.record(call(2000)));
});
console.log(JSON.stringify({ ended, same: esm.getTelemetry() === cjs.getTelemetry() }));
`;

describe('ESM and CommonJS copies share one run store', () => {
  it('a run started by one copy gets the calls recorded through the other', () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', SCRIPT], {
      cwd: root,
      env: { ...process.env, LLM_COST_QUIET: 'true', LLM_COST_INSTRUMENTATIONS: '' },
      encoding: 'utf8',
    });
    const result = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(result.same).toBe(true);
    // from-esm: 2000 × $1/M = 0.002, inside from-cjs: 1000 × $1/M + 0.002 = 0.003
    expect(result.ended).toEqual([
      { agent: 'from-esm', costUsd: 0.002, calls: 1, parent: true },
      { agent: 'from-cjs', costUsd: 0.003, calls: 2, parent: false },
    ]);
  });
});
