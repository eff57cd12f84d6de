/**
 * `llm-cost`: parse the command line and dispatch to one command module (each holds its options,
 * help and run). Callable in-process with injected streams and environment; bin.ts is the
 * executable. Every user error ends as one line on stderr and a documented exit code
 * (errors.ts); only a bug in the CLI prints a stack.
 */
import { parseArgs } from 'node:util';
import { demoCommand } from '../demo/demo.js';
import { LIBRARY_VERSION } from '../metrics/names.js';
import { adviseCommand } from './advise.js';
import { type CliIo, type Command, processIo } from './command.js';
import { CliError, EXIT, usageError } from './errors.js';
import { estimateCommand } from './estimate.js';
import { exportCommand } from './export.js';
import { redactUrls } from './http-read.js';
import { priceCommand } from './price.js';
import { pricesCommand } from './prices.js';
import { reportCommand } from './report.js';
import { safeText } from './terminal-text.js';
import { topCommand } from './top.js';
import { whatifCommand } from './whatif.js';

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

export const COMMANDS: Readonly<Record<string, Command>> = {
  demo: demoCommand,
  top: topCommand,
  export: exportCommand,
  price: priceCommand,
  prices: pricesCommand,
  estimate: estimateCommand,
  whatif: whatifCommand,
  advise: adviseCommand,
  report: reportCommand,
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

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout.write(MAIN_HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.stdout.write(`llm-cost-otel ${LIBRARY_VERSION}\n`);
    return EXIT.ok;
  }
  const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!spec) {
    throw usageError(
      `unknown command "${command}" — use ${Object.keys(COMMANDS).join(', ')} (llm-cost --help)`,
    );
  }
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
  if (parsed.values.help) {
    io.stdout.write(spec.help);
    return EXIT.ok;
  }
  if (parsed.positionals.length > (spec.positionals ?? 0)) {
    throw usageError(
      `${command}: unexpected argument ${parsed.positionals.at(-1)} (see llm-cost ${command} --help)`,
    );
  }
  return spec.run(parsed.values, parsed.positionals, io);
}

/**
 * Messages can carry text from the network (a Prometheus error, a label value) and URLs the user
 * typed: control characters are escaped (one line, no escape sequences) and credentials redacted.
 */
function report(error: unknown, io: CliIo): number {
  if (error instanceof CliError) {
    io.stderr.write(`llm-cost: ${safeText(redactUrls(error.message))}\n`);
    return error.exitCode;
  }
  const text = (error as Error)?.stack ?? String(error);
  const lines = text.split('\n').map((line) => safeText(redactUrls(line)));
  io.stderr.write(`llm-cost: internal error (please report it):\n${lines.join('\n')}\n`);
  return EXIT.failure;
}

/** Run `llm-cost argv…`: resolves to the exit code; errors are reported on `io.stderr`, never thrown. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    return report(error, io);
  }
}
