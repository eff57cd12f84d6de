/**
 * User errors: one line on stderr, no stack trace, a non-zero exit code — through main() in this
 * process, and end to end through the `llm-cost` executable (bin.ts) for the exit codes themselves.
 */
import { describe, expect, it } from 'vitest';
import { closedPort, runCli, runMain } from './support.js';

const oneLine = (stderr: string) => {
  expect(stderr.endsWith('\n')).toBe(true);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
};

describe('bad command lines exit 2 with one line', () => {
  it.each([
    [
      ['frob'],
      'llm-cost: unknown command "frob" — use demo, top, export, price, prices, estimate, whatif, advise, report (llm-cost --help)',
    ],
    [['top', '--bogus'], 'llm-cost: top: unknown option --bogus (see llm-cost top --help)'],
    [['top', '--metrics'], 'llm-cost: top: --metrics needs a value (see llm-cost top --help)'],
    [
      ['top', '--once'],
      'llm-cost: top: give --metrics <url> or --prometheus <url> (see llm-cost top --help)',
    ],
    [['demo', '--port', '99999'], 'llm-cost: --port must be an integer from 0 to 65535, got "99999"'],
    [
      ['demo', '--duration', 'soon'],
      'llm-cost: --duration must be a duration like 30s, 5m, 1h30m or 7d, got "soon"',
    ],
    [
      ['export', '--prometheus', 'http://127.0.0.1:9', '--format', 'xml'],
      'llm-cost: --format must be one of table, csv, json, got "xml"',
    ],
    [['export'], 'llm-cost: export: --prometheus <url> is required (see llm-cost export --help)'],
    [['price', 'gpt-4o', '--input=-5'], 'llm-cost: --input must be a whole number of tokens ≥ 0, got "-5"'],
    [
      ['price', 'gpt-4o', '--input', '-5'],
      'llm-cost: price: --input needs a value; for one starting with "-" write --input=<value> (see llm-cost price --help)',
    ],
    [['top', '--once=yes'], 'llm-cost: top: --once takes no value (see llm-cost top --help)'],
  ])('%j', async (args, message) => {
    const res = await runMain(args);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    oneLine(res.stderr);
    expect(res.stderr.trimEnd()).toBe(message);
  });
});

describe('unreachable URLs exit 1 with one line', () => {
  it('top --metrics', async () => {
    const port = await closedPort();
    const res = await runMain(['top', '--once', '--metrics', `http://127.0.0.1:${port}/metrics`]);
    expect(res.code).toBe(1);
    oneLine(res.stderr);
    expect(res.stderr).toBe(
      `llm-cost: cannot reach the metrics endpoint at http://127.0.0.1:${port}/metrics: ECONNREFUSED\n`,
    );
  });

  it('top --prometheus', async () => {
    const port = await closedPort();
    const res = await runMain(['top', '--once', '--prometheus', `http://127.0.0.1:${port}`]);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`llm-cost: cannot reach Prometheus at http://127.0.0.1:${port}: ECONNREFUSED\n`);
  });

  it('export', async () => {
    const port = await closedPort();
    const res = await runMain(['export', '--prometheus', `127.0.0.1:${port}`, '--range', '1d']);
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(`llm-cost: cannot reach Prometheus at http://127.0.0.1:${port}: ECONNREFUSED\n`);
  });
});

describe('help', () => {
  it.each(['demo', 'top', 'export', 'price'])(
    '%s --help shows usage and examples, exit 0',
    async (command) => {
      const res = await runMain([command, '--help']);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(`llm-cost ${command}`);
      expect(res.stdout).toMatch(/\nExamples:\n/);
    },
  );

  it('no command prints the overview and exits 2', async () => {
    const res = await runMain([]);
    expect(res.code).toBe(2);
    expect(res.stdout).toContain('Commands:');
  });
});

describe('a port in use', () => {
  it('demo says so and suggests --port 0', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    try {
      const res = await runMain([
        'demo',
        '--port',
        String(port),
        '--no-ui',
        '--no-prometheus',
        '--duration',
        '1s',
      ]);
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(
        `llm-cost: port ${port} on 127.0.0.1 is already in use (another demo or exporter?): stop it, or pass --port 0 for a free port\n`,
      );
    } finally {
      server.close();
    }
  });
});

describe('the llm-cost executable (a real process)', () => {
  it('--version prints the version and exits 0', async () => {
    const res = await runCli(['--version']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^llm-cost-otel \d+\.\d+\.\d+\n$/);
    expect(res.stderr).toBe('');
  });

  it('a bad command line exits 2 with one line on stderr', async () => {
    const res = await runCli(['top', '--bogus']);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('llm-cost: top: unknown option --bogus (see llm-cost top --help)\n');
  });

  it('an unpriced model exits 3; all of stdout arrives before the exit', async () => {
    const res = await runCli(['price', 'mystery-model', '--provider', 'openai', '--json']);
    expect(res.code).toBe(3);
    expect(JSON.parse(res.stdout)).toMatchObject({ model: 'mystery-model', priced: false });
  });

  it('an unreachable URL exits 1', async () => {
    const res = await runCli(['top', '--once', '--prometheus', `http://127.0.0.1:${closedPort()}`]);
    expect(res.code).toBe(1);
    oneLine(res.stderr);
  });
});
