/**
 * `llm-cost`: argument parsing and dispatch. Every user error ends as one line on stderr and a
 * documented exit code (errors.ts); only a bug in the CLI prints a stack.
 */
import { parseArgs } from 'node:util';
import { DEMO_HELP, runDemo } from '../demo/demo.js';
import { ADVISE_HELP, runAdvise } from './advise.js';
import { CliError, EXIT, usageError } from './errors.js';
import { ESTIMATE_HELP, runEstimate } from './estimate.js';
import { EXPORT_HELP, type ExportFlags, runExport } from './export.js';
import { redactUrls } from './http-read.js';
import { PRICE_HELP, runPrice } from './price.js';
import { PRICES_HELP, runPrices } from './prices.js';
import { REPORT_HELP, runReport } from './report.js';
import { safeText } from './terminal-text.js';
import { runTop, TOP_HELP, type TopFlags } from './top.js';
import { runWhatif, WHATIF_HELP } from './whatif.js';

export const MAIN_HELP = `llm-cost — what your LLM calls cost, from the terminal

Usage:
  llm-cost <command> [options]        llm-cost <command> --help for details and examples

Commands:
  demo      run the whole thing locally: fake provider, multi-agent workload, /metrics, live view
  top       live spend dashboard from a /metrics URL or a Prometheus server
  export    cost, tokens and requests by dimension over a time range, as table, CSV or JSON
  price     what a call would cost, and which catalog price was used
  prices    fetch the current price catalog into a file (prices update --out FILE)
  estimate  the cost range of a request body before it is sent
  whatif    what the observed token mix would have cost on other models
  advise    recommendations ranked by saving, each with its evidence and what to do
  report    a self-contained HTML (or Markdown) cost report, every number with its query

Examples:
  llm-cost demo
  llm-cost top --metrics http://127.0.0.1:9465/metrics
  llm-cost export --prometheus http://127.0.0.1:9090 --by agent,model --range 7d --format csv
  llm-cost price gpt-4o --input 12000 --output 800

Exit codes: 0 ok · 1 failure (unreachable URL, rejected query, port in use) · 2 bad command line ·
3 price: the model has no known price. Colours only on a terminal, never with NO_COLOR set.
`;

type Spec = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

const str = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const help = { help: { type: 'boolean', short: 'h' } } as const;
/** How `top` and `export` authenticate and bound their requests (request-auth.ts). */
const requestOptions = {
  header: { type: 'string', multiple: true },
  'bearer-token': str,
  'basic-auth': str,
  timeout: str,
} as const;

const COMMANDS: Record<string, { help: string; options: Spec; positionals?: number }> = {
  demo: {
    help: DEMO_HELP,
    options: {
      ...help,
      duration: str,
      rate: str,
      calls: str,
      port: str,
      host: str,
      budget: str,
      seed: str,
      'no-ui': bool,
      'with-prometheus': bool,
      'no-prometheus': bool,
    },
  },
  top: {
    help: TOP_HELP,
    options: {
      ...help,
      metrics: str,
      prometheus: str,
      once: bool,
      json: bool,
      interval: str,
      range: str,
      'rate-window': str,
      sort: str,
      ...requestOptions,
    },
  },
  export: {
    help: EXPORT_HELP,
    options: {
      ...help,
      prometheus: str,
      by: str,
      range: str,
      from: str,
      to: str,
      step: str,
      format: str,
      ...requestOptions,
      runs: bool,
    },
  },
  price: {
    help: PRICE_HELP,
    positionals: 1,
    options: {
      ...help,
      provider: str,
      input: str,
      output: str,
      'cache-read': str,
      'cache-write': str,
      'cache-write-1h': str,
      reasoning: str,
      prices: str,
      catalog: str,
      tier: str,
      strict: bool,
      json: bool,
    },
  },
  prices: { help: PRICES_HELP, positionals: 1, options: { ...help, out: str, url: str } },
  estimate: {
    help: ESTIMATE_HELP,
    positionals: 1,
    options: { ...help, provider: str, model: str, json: bool },
  },
  whatif: {
    help: WHATIF_HELP,
    options: {
      ...help,
      ...requestOptions,
      prometheus: str,
      range: str,
      at: str,
      to: str,
      by: str,
      limit: str,
      format: str,
    },
  },
  advise: {
    help: ADVISE_HELP,
    options: {
      ...help,
      ...requestOptions,
      prometheus: str,
      range: str,
      at: str,
      format: str,
      'non-interactive': str,
    },
  },
  report: {
    help: REPORT_HELP,
    options: {
      ...help,
      ...requestOptions,
      prometheus: str,
      range: str,
      at: str,
      out: str,
      format: str,
      'non-interactive': str,
      bars: str,
    },
  },
};

/** node:util's messages mention its own API; say what was wrong in terms of this command. */
function explainParseError(command: string, error: Error & { code?: string }): CliError {
  const option = /'(-[^']*)'/.exec(error.message)?.[1];
  const see = `see llm-cost ${command} --help`;
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return usageError(`${command}: unknown option ${option ?? ''} (${see})`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const name = option?.split(' ')[0] ?? 'an option';
      if (/ambiguous/.test(error.message)) {
        return usageError(
          `${command}: ${name} needs a value; for one starting with "-" write ${name}=<value> (${see})`,
        );
      }
      return usageError(
        /argument missing/.test(error.message)
          ? `${command}: ${name} needs a value (${see})`
          : `${command}: ${name} takes no value (${see})`,
      );
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return usageError(
        `${command}: unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ''} (${see})`,
      );
    default:
      return usageError(`${command}: ${error.message}`);
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(MAIN_HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write('llm-cost-otel 0.1.0\n');
    return EXIT.ok;
  }
  const spec = COMMANDS[command];
  if (!spec)
    throw usageError(
      `unknown command "${command}" — use demo, top, export, price or prices (llm-cost --help)`,
    );
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: spec.options,
      allowPositionals: (spec.positionals ?? 0) > 0,
      strict: true,
    });
  } catch (error) {
    throw explainParseError(command, error as Error & { code?: string });
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) {
    process.stdout.write(spec.help);
    return EXIT.ok;
  }
  if (parsed.positionals.length > (spec.positionals ?? 0)) {
    throw usageError(
      `${command}: unexpected argument ${parsed.positionals.at(-1)} (see llm-cost ${command} --help)`,
    );
  }
  switch (command) {
    case 'demo':
      return runDemo(values);
    case 'top':
      return runTop(parsed.values as TopFlags);
    case 'export':
      return runExport(parsed.values as ExportFlags);
    case 'prices':
      return runPrices(parsed.positionals[0], values);
    case 'whatif':
      return runWhatif(values);
    case 'report':
      return runReport(values);
    case 'advise':
      return runAdvise(values);
    case 'estimate':
      return runEstimate(parsed.positionals[0], values);
    default:
      return runPrice(parsed.positionals[0], values);
  }
}

/**
 * Messages can carry text from the network (a Prometheus error, a label value) and URLs the user
 * typed: control characters are escaped (one line, no escape sequences) and credentials redacted.
 */
function report(error: unknown): number {
  if (error instanceof CliError) {
    process.stderr.write(`llm-cost: ${safeText(redactUrls(error.message))}\n`);
    return error.exitCode;
  }
  const text = (error as Error)?.stack ?? String(error);
  const lines = text.split('\n').map((line) => safeText(redactUrls(line)));
  process.stderr.write(`llm-cost: internal error (please report it):\n${lines.join('\n')}\n`);
  return EXIT.failure;
}

/** Exit once stdout has taken everything: to a pipe it is asynchronous, and exit() would cut it. */
function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(exitAfterFlush, (error: unknown) => exitAfterFlush(report(error)));
