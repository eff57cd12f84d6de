import { errorMessage } from '../util/error-message.js';
/**
 * User-facing failures of the CLI: one line on stderr, no stack trace, a documented exit code.
 * Anything else that escapes is a bug in the CLI and is shown with its stack.
 */

/** Exit codes of `llm-cost` (documented in `llm-cost --help`). */
export const EXIT = {
  ok: 0,
  /** Something failed at run time: an unreachable URL, a query Prometheus rejected, a port in use. */
  failure: 1,
  /** The command line was wrong: unknown command or option, bad value. */
  usage: 2,
  /** `llm-cost price`: the model has no known price. */
  unpriced: 3,
} as const;

export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

/** A bad command line: exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}

/** The one line to print for a failed `fetch` to `url`: the network cause, not undici's wrapper. */
export function unreachable(what: string, url: string, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  let reason = cause?.code ?? cause?.message ?? errorMessage(error);
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    reason = 'timed out';
  }
  return new CliError(`cannot reach ${what} at ${url}: ${reason}`);
}
