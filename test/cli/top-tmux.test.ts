/**
 * The live `top` view in a real terminal (tmux): it renders, `s` cycles the sort order, `q`
 * quits cleanly and restores the screen.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIN, ROOT } from './support.js';

const SOCKET = `llm-cost-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });

const AGENTS = [
  // name, cost, requests: each sort key gives a different order.
  ['alpha', 1, 50],
  ['bravo', 3, 10],
  ['charlie', 2, 90],
] as const;

const exposition = () =>
  [
    '# TYPE llm_cost_usd_total counter',
    ...AGENTS.map(
      ([agent, cost]) =>
        `llm_cost_usd_total{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_agent_name="${agent}",gen_ai_operation_name="chat",llm_token_type="input"} ${cost}`,
    ),
    '# TYPE llm_requests_total counter',
    ...AGENTS.map(
      ([agent, , requests]) =>
        `llm_requests_total{gen_ai_provider_name="openai",gen_ai_request_model="gpt-4o",gen_ai_agent_name="${agent}",gen_ai_operation_name="chat",llm_outcome="success",error_type=""} ${requests}`,
    ),
    '# TYPE llm_budget_spend_usd_total counter',
    'llm_budget_spend_usd_total{llm_budget_name="team-daily"} 6',
    '# TYPE llm_budget_limit_usd gauge',
    'llm_budget_limit_usd{llm_budget_name="team-daily",llm_budget_window="1d"} 10',
    '',
  ].join('\n');

let server: Server;
let url: string;
let dir: string;

beforeAll(async () => {
  server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'text/plain' }).end(exposition()),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/metrics`;
  dir = mkdtempSync(join(tmpdir(), 'llm-cost-tmux-'));
});

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function screen(until: (text: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  let text = '';
  while (Date.now() < deadline) {
    try {
      text = tmux('capture-pane', '-p', '-t', 'top');
    } catch {
      text = '';
    }
    if (until(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`screen never showed ${what}:\n${text}`);
}

/** Agent names in the order the Agents table shows them. */
function agentOrder(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Agents'));
  const order: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const name = /^ {2}(\w+)\s+\$/.exec(line)?.[1];
    if (!name) break;
    order.push(name);
  }
  return order;
}

describe('llm-cost top live view in a terminal', () => {
  it('renders, sorts on s and quits on q', async () => {
    const status = join(dir, 'status');
    const command = `cd ${ROOT} && ${process.execPath} --import tsx ${MAIN} top --metrics ${url} --interval 500ms; echo $? > ${status}`;
    tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', 'top', command);

    let text = await screen((t) => agentOrder(t).length === 3, 'the agents table');
    expect(text).toMatch(/^llm-cost top {2}http:\/\/127\.0\.0\.1:\d+\/metrics/m);
    expect(text).toContain('sort: cost   keys: s sort · r refresh · q quit');
    expect(text).toMatch(/^Total spend\s+\$6\.0000\s+since the process started$/m);
    expect(text).toMatch(/^ {2}team-daily\s+1d\s+[█░]+\s+60\.0%\s+\$6\.0000 of \$10\.0000\s+ok$/m);
    expect(agentOrder(text)).toEqual(['bravo', 'charlie', 'alpha']);

    tmux('send-keys', '-t', 'top', 's');
    text = await screen((t) => t.includes('sort: requests'), 'sort: requests');
    expect(agentOrder(text)).toEqual(['charlie', 'alpha', 'bravo']);

    tmux('send-keys', '-t', 'top', 's');
    text = await screen((t) => t.includes('sort: name'), 'sort: name');
    expect(agentOrder(text)).toEqual(['alpha', 'bravo', 'charlie']);

    tmux('send-keys', '-t', 'top', 'q');
    const deadline = Date.now() + 10_000;
    let code = '';
    while (Date.now() < deadline && code === '') {
      try {
        code = readFileSync(status, 'utf8').trim();
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    expect(code).toBe('0');
  }, 60_000);
});
