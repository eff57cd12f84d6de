/** `notice()`: one line on stderr per key, safe whatever the message quotes, silenced by LLM_COST_QUIET. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { notice } from '../../src/diag.js';

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env.LLM_COST_QUIET;
});

const said = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((c) => String(c[0]));

describe('notice()', () => {
  it('says a key once, as one line with control characters and bidi overrides neutralised', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    notice('n1', 'model "\u001b]0;owned\u0007x\u202egpt\nnext" is odd');
    notice('n1', 'again');
    expect(said(stderr)).toEqual([
      '[llm-cost-otel] model "\uFFFD]0;owned\uFFFDx\uFFFDgpt\uFFFDnext" is odd\n',
    ]);
  });

  it('LLM_COST_QUIET=true keeps stderr quiet', () => {
    process.env.LLM_COST_QUIET = 'true';
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    notice('n2', 'quiet please');
    expect(said(stderr)).toEqual([]);
  });
});
