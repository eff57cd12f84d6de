/** The package-level `withAgentRun` / `startAgentRun`: on the registered telemetry, or unmeasured (said once) before `register()`. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getLLMContext } from '../../src/context.js';
import { register } from '../../src/register.js';
import { startAgentRun, withAgentRun } from '../../src/runs/api.js';
import type { AgentRunEnd } from '../../src/runs/types.js';
import type { LLMTelemetry } from '../../src/telemetry.js';

let t: LLMTelemetry | undefined;
afterEach(async () => {
  await t?.shutdown();
  t = undefined;
  vi.restoreAllMocks();
});

describe('withAgentRun / startAgentRun from the package root', () => {
  it('before register(): the code runs in its scope, unmeasured, and that is said once on stderr', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const result = await withAgentRun({ agent: 'early' }, async () => getLLMContext()?.agent);
    expect(result).toBe('early');
    const error = new Error('boom');
    await expect(withAgentRun({ agent: 'early' }, () => Promise.reject(error))).rejects.toBe(error);
    const run = startAgentRun({ agent: 'early' });
    expect(run.run(() => getLLMContext()?.agent)).toBe('early');
    run.end();
    expect(run.ended).toBe(true);
    const said = stderr.mock.calls.map((c) => String(c[0])).filter((l) => l.includes('before register()'));
    expect(said).toHaveLength(1);
  });

  it('after register(): runs are measured on the registered telemetry', async () => {
    t = register({ prometheus: false, meterProvider: false });
    const ended: AgentRunEnd[] = [];
    t.onRunEnd((r) => ended.push(r));
    await withAgentRun({ agent: 'late' }, () => undefined);
    startAgentRun({ agent: 'manual' }).end({ outcome: 'failure' });
    expect(ended.map((r) => [r.agent, r.outcome])).toEqual([
      ['late', 'success'],
      ['manual', 'failure'],
    ]);
  });
});
