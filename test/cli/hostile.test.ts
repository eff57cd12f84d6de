/**
 * The real `llm-cost` against a hostile local `/metrics` and a hostile fake Prometheus (both on
 * 127.0.0.1:0): escape sequences in label values and error texts never reach the terminal raw,
 * CSV formulas are neutralised, malformed JSON and 200k rows give a one-line error or a result
 * (never a TypeError or a stack overflow), a trickling body times out, protected endpoints can be
 * read with --bearer-token / --basic-auth / credentials in the URL, and passwords never print.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runMain } from './support.js';

const ESC = '\u001b';
/** Window title, screen clear, hidden text, a hyperlink, a bidi override, a C1 CSI. */
const EVIL = `${ESC}]0;pwned${ESC}\\${ESC}[2J${ESC}[8mhidden${ESC}]8;;http://evil/${ESC}\\link\u202e\u009b31m`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the test
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

const oneLine = (stderr: string) => {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at |TypeError|RangeError|internal error/);
  expect(stderr).not.toMatch(RAW_CONTROL);
};

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;
let handler: Handler = (_req, res) => res.end();
let server: Server;
let base: string;
let trickles: NodeJS.Timeout[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => handler(req, res, body));
  });
  // The CLI runs in this process: while it parses 200,000 rows the server's timers wait too, and
  // the default 5 s keep-alive would close the client's pooled socket under its next request.
  server.keepAliveTimeout = 120_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const t of trickles) clearInterval(t);
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

const exposition = (agent: string) =>
  [
    '# TYPE llm_cost_usd_total counter',
    `llm_cost_usd_total{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_agent_name="${agent}"} 1.5`,
    `llm_requests_total{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_agent_name="${agent}",llm_outcome="success"} 3`,
    `llm_budget_limit_usd{llm_budget_name="${agent}",llm_budget_window="1d"} 10`,
    '',
  ].join('\n');

function serveMetrics(text: string, auth?: string) {
  handler = (req, res) => {
    if (auth !== undefined && req.headers.authorization !== auth) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end('no');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(text);
  };
}

/** A fake Prometheus: `answer(query)` gives the JSON body for each instant query. */
function servePrometheus(answer: (query: string) => unknown, auth?: string) {
  handler = (req, res, body) => {
    if (auth !== undefined && req.headers.authorization !== auth) {
      res.writeHead(401).end('unauthorized');
      return;
    }
    const query = new URLSearchParams(body).get('query') ?? '';
    const out = answer(query);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(typeof out === 'string' ? out : JSON.stringify(out));
  };
}

/** `top --once` on a /metrics URL, its two snapshots 100 ms apart. */
const topOnce = (url: string, ...args: string[]) =>
  runMain(['top', '--once', '--interval', '100ms', '--metrics', url, ...args]);

const vector = (result: unknown) => ({ status: 'success', data: { resultType: 'vector', result } });
const agentRows = (agents: string[]) =>
  vector(agents.map((a, i) => ({ metric: { gen_ai_agent_name: a }, value: [1, String(i + 1)] })));

describe('escape sequences from the network never reach the terminal raw', () => {
  it('top --metrics: label values are shown escaped', async () => {
    serveMetrics(exposition(EVIL.replace(/\\/g, '\\\\')));
    const res = await topOnce(`${base}/metrics`);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).not.toMatch(RAW_CONTROL);
    expect(res.stdout).toContain('\\x1b]0;pwned');
    const json = await topOnce(`${base}/metrics`, '--json');
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    expect(JSON.parse(json.stdout).agents[0].name).toBe(EVIL);
  });

  it('export: a Prometheus error text is one escaped line', async () => {
    servePrometheus(() => ({ status: 'error', errorType: 'bad_data', error: `bad\n${EVIL}` }));
    const res = await runMain(['export', '--prometheus', base, '--by', 'agent']);
    expect(res.code).toBe(1);
    oneLine(res.stderr);
    expect(res.stderr).toContain('Prometheus rejected the query');
  });

  it('export table and csv: label values escaped', async () => {
    servePrometheus(() => agentRows([EVIL]));
    for (const format of ['table', 'csv', 'json']) {
      const res = await runMain(['export', '--prometheus', base, '--by', 'agent', '--format', format]);
      expect(res.code).toBe(0);
      expect(res.stdout).not.toMatch(RAW_CONTROL);
    }
  });
});

describe('CSV cells a spreadsheet would run are neutralised (OWASP)', () => {
  it('= + - @ tab CR get a leading quote; numbers stay numbers', async () => {
    const agents = ['=HYPERLINK("http://evil","x")', '@SUM(A1)', '+1+1', '-2+3', '\tx', '\rx', 'planner'];
    servePrometheus(() => agentRows(agents));
    const res = await runMain(['export', '--prometheus', base, '--by', 'agent', '--format', 'csv']);
    expect(res.code).toBe(0);
    // Sorted by cost; the numeric columns are Prometheus's numbers, unchanged.
    expect(res.stdout.trimEnd().split('\n')).toEqual([
      'agent,cost_usd,tokens,requests',
      'planner,7,7,7',
      "'\\x0dx,6,6,6",
      "'\\x09x,5,5,5",
      "'-2+3,4,4,4",
      "'+1+1,3,3,3",
      "'@SUM(A1),2,2,2",
      `"'=HYPERLINK(""http://evil"",""x"")",1,1,1`,
    ]);
  });
});

describe('malformed Prometheus answers: one line naming the field', () => {
  it.each([
    ['metric: null', vector([{ metric: null, value: [1, '1'] }]), 'data.result[0].metric is null'],
    ['value missing', vector([{ metric: { gen_ai_agent_name: 'a' } }]), 'data.result[0].value is missing'],
    ['value a number', vector([{ metric: {}, value: [1, 2] }]), 'data.result[0].value[1] is a number'],
    [
      'value not numeric',
      vector([{ metric: {}, value: [1, '=1+1'] }]),
      'data.result[0].value[1] is the text "=1+1"',
    ],
    [
      'label a number',
      vector([{ metric: { gen_ai_agent_name: 5 }, value: [1, '1'] }]),
      'data.result[0].metric.gen_ai_agent_name is a number',
    ],
    ['row null', vector([null]), 'data.result[0] is null'],
    ['data missing', { status: 'success' }, 'data is missing'],
    ['not JSON', '<html>', 'did not answer like a Prometheus server'],
  ])('%s', async (_name, answer, message) => {
    servePrometheus(() => answer);
    const res = await runMain(['export', '--prometheus', base, '--by', 'agent']);
    expect(res.code).toBe(1);
    oneLine(res.stderr);
    expect(res.stderr).toContain(message);
  });

  it('top --prometheus too', async () => {
    servePrometheus(() => vector([{ metric: null, value: [1, '1'] }]));
    const res = await runMain(['top', '--once', '--prometheus', base]);
    expect(res.code).toBe(1);
    oneLine(res.stderr);
    expect(res.stderr).toContain('.metric is null');
  });
});

// A guard for a loaded two-core machine, not a time assertion: these runs take seconds each.
describe('200,000 rows', { timeout: 120_000 }, () => {
  const agents = Array.from({ length: 200_000 }, (_, i) => `agent-${i}`);
  const big = JSON.stringify(agentRows(agents));

  it('export --format csv: every row, no stack overflow', async () => {
    servePrometheus(() => big);
    const res = await runMain(['export', '--prometheus', base, '--by', 'agent', '--format', 'csv']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout.trimEnd().split('\n')).toHaveLength(200_001);
  });

  it('export as a table', async () => {
    servePrometheus(() => big);
    const table = await runMain(['export', '--prometheus', base, '--by', 'agent']);
    expect(table.stderr).toBe('');
    expect(table.code).toBe(0);
    expect(table.stdout.trimEnd().split('\n')).toHaveLength(200_003);
  });

  it('top --prometheus (10 queries of 200,000 rows each)', async () => {
    servePrometheus(() => big);
    const top = await runMain(['top', '--once', '--prometheus', base]);
    expect(top.stderr).toBe('');
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('… 199988 more');
  });
});

describe('network reads have a deadline and a size limit', () => {
  it('a body that trickles forever → a one-line timeout', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('# a page that never ends\n');
      trickles.push(setInterval(() => res.write('#\n'), 100));
    };
    const res = await runMain(['top', '--once', '--timeout', '1s', '--metrics', `${base}/metrics`]);
    for (const t of trickles) clearInterval(t);
    trickles = [];
    expect(res.code).toBe(1);
    oneLine(res.stderr);
    expect(res.stderr).toContain('did not finish its answer within 1s (timed out)');
  });

  it('a body past the limit → a one-line error', async () => {
    serveMetrics(`${'# padding\n'.repeat(1000)}${exposition('a')}`);
    // A subprocess: the limit is read from the process environment where the body is read.
    const res = await runCli(['top', '--once', '--metrics', `${base}/metrics`], {
      env: { LLM_COST_CLI_MAX_BODY_BYTES: '5000' },
    });
    expect(res.code).toBe(1);
    oneLine(res.stderr);
    expect(res.stderr).toContain('sent more than 5000 bytes');
  });
});

describe('protected endpoints, and credentials never printed', () => {
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  it('top --metrics with --bearer-token, env, and a one-line hint without it', async () => {
    serveMetrics(exposition('planner'), 'Bearer s3cret-token');
    const url = `${base}/metrics`;
    const denied = await runMain(['top', '--once', '--metrics', url]);
    expect(denied.code).toBe(1);
    oneLine(denied.stderr);
    expect(denied.stderr).toContain('answered HTTP 401');
    expect(denied.stderr).toContain('--bearer-token');
    const ok = await topOnce(url, '--bearer-token', 's3cret-token');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('planner');
    const env = await runMain(['top', '--once', '--interval', '100ms', '--metrics', url], {
      env: { LLM_COST_CLI_BEARER_TOKEN: 's3cret-token' },
    });
    expect(env.code).toBe(0);
  });

  it('--header and --basic-auth for export', async () => {
    servePrometheus(() => agentRows(['planner']), basic('ops', 'pa55'));
    const viaFlag = await runMain([
      'export',
      '--prometheus',
      base,
      '--by',
      'agent',
      '--basic-auth',
      'ops:pa55',
    ]);
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toContain('planner');
    const viaHeader = await runMain([
      'export',
      '--prometheus',
      base,
      '--by',
      'agent',
      '--header',
      `Authorization: ${basic('ops', 'pa55')}`,
    ]);
    expect(viaHeader.code).toBe(0);
  });

  it('credentials in the URL work and are redacted in every message and title', async () => {
    serveMetrics(exposition('planner'), basic('ops', 'hunter2'));
    const good = `http://ops:hunter2@${base.slice('http://'.length)}/metrics`;
    const ok = await topOnce(good);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('http://***@127.0.0.1');
    expect(ok.stdout + ok.stderr).not.toContain('hunter2');

    const wrong = await runMain(['top', '--once', '--metrics', good.replace('hunter2', 'wrongpass')]);
    expect(wrong.code).toBe(1);
    oneLine(wrong.stderr);
    expect(wrong.stderr).not.toContain('wrongpass');
    expect(wrong.stderr).toContain('http://***@127.0.0.1');

    servePrometheus(() => ({ status: 'error', error: `see http://ops:hunter2@${base.slice(7)}/` }));
    const echoed = await runMain(['export', '--prometheus', good.replace('/metrics', '')]);
    expect(echoed.code).toBe(1);
    oneLine(echoed.stderr);
    expect(echoed.stderr).not.toContain('hunter2');
    const bad = await runMain(['top', '--once', '--metrics', 'ftp://ops:hunter2@x/metrics']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain('hunter2');
  });
});

describe('whatif, advise and report read Prometheus as untrusted too', () => {
  /** Every instant query answers one hostile-labelled sample, every range query one series. */
  const labels = {
    gen_ai_provider_name: 'openai',
    gen_ai_request_model: EVIL,
    gen_ai_agent_name: EVIL,
    llm_token_type: 'input',
    llm_outcome: 'aborted',
    error_type: EVIL,
  };
  const serveAnalysis = (range: unknown = undefined) => {
    handler = (req, res) => {
      const matrix = req.url?.startsWith('/api/v1/query_range');
      const body = matrix
        ? (range ?? {
            status: 'success',
            data: { resultType: 'matrix', result: [{ metric: labels, values: [[1, '2']] }] },
          })
        : vector([{ metric: labels, value: [1, '2'] }]);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
  };

  it.each([
    ['whatif', ['whatif', '--prometheus', '', '--range', '1h', '--to', 'gpt-4o-mini']],
    ['advise', ['advise', '--prometheus', '', '--range', '1h']],
    ['report --format md', ['report', '--prometheus', '', '--range', '1h', '--format', 'md']],
  ])('%s: no raw escape sequence reaches the terminal', async (_name, args) => {
    serveAnalysis();
    const res = await runMain(args.map((a) => (a === '' ? base : a)));
    expect(res.stderr).not.toMatch(/internal error|TypeError|RangeError/);
    expect(res.stdout).not.toMatch(RAW_CONTROL);
    expect(res.stderr).not.toMatch(RAW_CONTROL);
  });

  it('report: a malformed range answer is one line naming the field', async () => {
    serveAnalysis({
      status: 'success',
      data: { resultType: 'matrix', result: [{ metric: null, values: [] }] },
    });
    const res = await runMain(['report', '--prometheus', base, '--range', '1h', '--format', 'md']);
    expect(res.code).toBe(1);
    oneLine(res.stderr);
    expect(res.stderr).toContain('data.result[0].metric');
  });
});
