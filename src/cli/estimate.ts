/**
 * `llm-cost estimate <request.json>`: the cost range of an SDK request body before it is sent,
 * counted as the budget guard counts it, with the price entry used.
 */
import { readFileSync } from 'node:fs';
import { parseModelRef } from '../advice/candidates.js';
import { estimateCost, preloadTokenizers } from '../advice/estimate.js';
import { errorMessage } from '../util/error-message.js';
import { bool, type CliIo, type Command, helpOption, processIo, str } from './command.js';
import { CliError, EXIT, usageError } from './errors.js';

export interface EstimateFlags {
  provider?: string;
  model?: string;
  json?: boolean;
}

export const ESTIMATE_HELP = `llm-cost estimate — what a request would cost, before it is sent

Usage:
  llm-cost estimate <request.json> [--provider openai|anthropic|gcp.gemini|…] [--model <m>] [--json]

<request.json> is the body you pass to the SDK (chat.completions.create, responses.create,
messages.create, generateContent, embeddings.create); - reads it from standard input. Prompt
tokens are counted as the budget guard counts them: the model's tokenizer for OpenAI, the UTF-8
bytes of the prompt for others (an upper bound), images and audio by the providers' published
rules, the whole context window for what cannot be sized (a PDF, a file id). Output is bounded by
max_tokens / max_completion_tokens / max_output_tokens / maxOutputTokens (× n), else by the
model's published maximum output.

The range: at least every prompt token read from the cache and no output; at most every prompt
token at the dearest input rate (cache writes included) plus the whole output cap, at the
long-context tier the prompt falls in and the body's service_tier.

Options:
  --provider <p>  default: the provider whose catalog prices the body's model (openai first)
  --model <m>     default: the body's "model" field (Gemini bodies have none: give it here)
  --json          machine-readable output

Exit codes: 0 priced · 3 the model has no known price (no range is printed).

Examples:
  llm-cost estimate request.json
  echo '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"max_tokens":200}' | llm-cost estimate -
`;

export async function runEstimate(
  file: string | undefined,
  flags: EstimateFlags,
  io: CliIo = processIo(),
): Promise<number> {
  if (file === undefined)
    throw usageError(
      'estimate: give a request body file, or - for standard input (see llm-cost estimate --help)',
    );
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${errorMessage(error)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw usageError(`${file} is not JSON: ${errorMessage(error)}`);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw usageError(`${file} must hold a JSON object (a request body)`);
  const model = flags.model ?? (body as { model?: unknown }).model;
  if (typeof model !== 'string' || model === '') throw usageError('the body names no model: give --model');
  const provider = flags.provider ?? parseModelRef(model)?.provider ?? 'openai';
  // Count OpenAI prompts with the tokenizer rather than bound them by bytes.
  await preloadTokenizers();
  const e = estimateCost({ provider, model, body });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(e, null, 2)}\n`);
    return e.priced ? EXIT.ok : EXIT.unpriced;
  }
  const lines = [
    `${provider} ${model}: ${e.inputTokens.toLocaleString('en-US')} prompt tokens, at most ${e.maxOutputTokens.toLocaleString('en-US')} output tokens (${e.outputBound})`,
  ];
  if (e.priced) {
    lines.push(
      `cost between $${e.minUsd.toPrecision(4)} and $${e.maxUsd.toPrecision(4)}`,
      `price entry: ${e.entry.provider}/${e.entry.model} (${e.entry.matchedBy}, ${e.entry.source}${e.entry.tierStartTokens === undefined ? '' : `, tier over ${e.entry.tierStartTokens.toLocaleString('en-US')} tokens`}), USD/MTok input ${e.entry.ratesPerMTok.input}, cached ${e.entry.ratesPerMTok.cacheRead}, output ${e.entry.ratesPerMTok.output}`,
    );
  } else {
    lines.push(`no known price: ${e.message}`);
  }
  for (const a of e.assumptions) lines.push(`assumes: ${a}`);
  io.stdout.write(`${lines.join('\n')}\n`);
  return e.priced ? EXIT.ok : EXIT.unpriced;
}

export const estimateCommand: Command = {
  help: ESTIMATE_HELP,
  positionals: 1,
  options: { ...helpOption, provider: str, model: str, json: bool },
  run: (values, positionals, io) => runEstimate(positionals[0], values as EstimateFlags, io),
};
