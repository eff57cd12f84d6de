/**
 * What every `llm-cost` command module exports — its option spec next to its help — and the
 * streams and environment it runs with, injectable so tests call `main()` in-process.
 */
import type { parseArgs } from 'node:util';

/** A stream commands write to: process.stdout/stderr, or a test's collector. */
export interface Output {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

export interface CliIo {
  stdout: Output;
  stderr: Output;
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

export type OptionSpec = NonNullable<NonNullable<Parameters<typeof parseArgs>[0]>['options']>;

/** parseArgs' values, as each command's own flags type reads them. */
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  help: string;
  options: OptionSpec;
  /** How many positional arguments the command takes (default none). */
  positionals?: number;
  run(values: Values, positionals: string[], io: CliIo): Promise<number> | number;
}

export const str = { type: 'string' } as const;
export const bool = { type: 'boolean' } as const;
export const helpOption = { help: { type: 'boolean', short: 'h' } } as const;
