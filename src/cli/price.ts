/** `llm-cost price <model>`: what a call would cost, and which catalog entry priced it. */
import { type CatalogInfo, catalogInfo, installCatalog } from '../pricing/catalog-data.js';
import { readCatalogFile } from '../pricing/catalog-file.js';
import { loadPriceOverrides, PriceBook } from '../pricing/index.js';
import type { PriceCallInput, PriceResult } from '../types.js';
import { colorsFor } from './colors.js';
import { bool, type CliIo, type Command, helpOption, processIo, str } from './command.js';
import { CliError, EXIT, usageError } from './errors.js';
import { formatUsd } from './number-format.js';

export interface PriceFlags {
  provider?: string;
  input?: string;
  output?: string;
  'cache-read'?: string;
  'cache-write'?: string;
  'cache-write-1h'?: string;
  reasoning?: string;
  prices?: string;
  catalog?: string;
  tier?: string;
  strict?: boolean;
  json?: boolean;
}

export const PRICE_HELP = `llm-cost price — what a call would cost, and which price was used

Usage:
  llm-cost price <model> [--provider <p>] [--input N] [--output N] [--cache-read N]
                 [--cache-write N] [--cache-write-1h N] [--reasoning N] [--prices <file>]
                 [--catalog <file>] [--tier <service tier>] [--strict] [--json]

Token counts are inclusive, as providers and the OTel GenAI conventions report them:
--input counts every prompt token (cache reads and writes included), --output every generated
token (reasoning included); --cache-write-1h is the 1-hour part of --cache-write. Default 0 each
(--input 1000 --output 1000 when no count is given).

--provider defaults from the model name: gpt-*, o1/o3/o4*, text-embedding-* → openai;
claude-* → anthropic; gemini-* → gcp.gemini. Others need --provider (e.g. aws.bedrock,
deepseek, x_ai, azure.ai.openai).
--prices <file> applies price overrides and custom models (JSON/YAML, as LLM_COST_PRICES_FILE).
--tier prices at a service tier (flex, priority, batch, …; see README "Service tiers").
--strict treats approximate matches as unpriced, as strictPricing / LLM_COST_STRICT_PRICING does.
--catalog <file> prices from a catalog file (llm-cost prices update --out <file>; as
LLM_COST_PRICES_CATALOG_FILE) instead of the bundled data. The output names the catalog and its date,
and how the model was matched: exact, snapshot, alias, override, or approximate (a catalog rule
that only approximately fits: priced as a sibling model, flagged).

Exit codes: 0 priced · 3 no known price for the model (closest names printed) · 2 bad usage.

Examples:
  llm-cost price gpt-4o --input 12000 --output 800
  llm-cost price claude-sonnet-4-20250514 --input 20000 --cache-read 15000 --output 1200
  llm-cost price o4-mini --input 3000 --output 2500 --reasoning 2000 --json
  llm-cost price my-finetune --provider openai --prices prices.yaml --input 1000
`;

export function guessProvider(model: string): string | undefined {
  const m = model.toLowerCase();
  if (/^(gpt-|o\d|chatgpt-|text-embedding-|davinci|babbage|codex-)/.test(m)) return 'openai';
  if (m.startsWith('claude')) return 'anthropic';
  if (m.startsWith('gemini') || m.startsWith('gemma')) return 'gcp.gemini';
  return undefined;
}

function tokens(flags: PriceFlags, name: keyof PriceFlags): number | undefined {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isInteger(n) || n < 0) {
    throw usageError(`--${name} must be a whole number of tokens ≥ 0, got "${String(raw)}"`);
  }
  return n;
}

export interface PriceAnswer {
  input: PriceCallInput;
  result: PriceResult;
}

export function priceFromFlags(
  model: string | undefined,
  flags: PriceFlags,
  env: NodeJS.ProcessEnv = process.env,
): PriceAnswer {
  if (!model) throw usageError('price: name a model, e.g. llm-cost price gpt-4o --input 1000 --output 200');
  const provider = flags.provider ?? guessProvider(model);
  if (!provider) {
    throw usageError(
      `price: cannot tell the provider of "${model}"; pass --provider (e.g. --provider openai)`,
    );
  }
  const counts = {
    input: tokens(flags, 'input'),
    output: tokens(flags, 'output'),
    cacheRead: tokens(flags, 'cache-read'),
    cacheWrite: tokens(flags, 'cache-write'),
    cacheWrite1h: tokens(flags, 'cache-write-1h'),
    reasoning: tokens(flags, 'reasoning'),
  };
  const none = Object.values(counts).every((v) => v === undefined);
  const usage = {
    inputTokens: none ? 1000 : (counts.input ?? 0),
    outputTokens: none ? 1000 : (counts.output ?? 0),
    ...(counts.cacheRead !== undefined ? { cacheReadTokens: counts.cacheRead } : {}),
    ...(counts.cacheWrite !== undefined ? { cacheWriteTokens: counts.cacheWrite } : {}),
    ...(counts.cacheWrite1h !== undefined ? { cacheWrite1hTokens: counts.cacheWrite1h } : {}),
    ...(counts.reasoning !== undefined ? { reasoningTokens: counts.reasoning } : {}),
  };
  let book: PriceBook;
  try {
    if (flags.catalog) {
      const data = readCatalogFile(flags.catalog);
      installCatalog(data.providers, { source: data.source, date: data.date });
    }
    const strictPricing =
      flags.strict === true || /^(1|true|yes|on)$/i.test(env.LLM_COST_STRICT_PRICING ?? '');
    book = flags.prices
      ? new PriceBook({
          overrides: loadPriceOverrides(flags.prices),
          overridesSource: flags.prices,
          strictPricing,
        })
      : new PriceBook({ strictPricing });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const input: PriceCallInput = {
    provider,
    model,
    usage,
    ...(flags.tier ? { serviceTier: flags.tier } : {}),
  };
  return { input, result: book.price(input) };
}

const SOURCE_NAMES = {
  'genai-prices': 'genai-prices catalog',
  correction: 'corrected price (dated, sourced: PRICE_CORRECTIONS)',
  override: 'price override',
} as const;

const BUCKETS = [
  ['input', 'input', 'input'],
  ['cache_read', 'cache read', 'cacheRead'],
  ['cache_write', 'cache write', 'cacheWrite5m'],
  ['output', 'output', 'output'],
  ['reasoning', 'reasoning', 'reasoning'],
] as const;

export function renderPrice(answer: PriceAnswer, colors = colorsFor(process.stdout)): string {
  const { input, result } = answer;
  const u = input.usage;
  const lines: string[] = [];
  if (!result.priced) {
    lines.push(`${colors.yellow('unpriced')}: ${result.message}`);
    if (result.candidates?.length) lines.push(`closest known models: ${result.candidates.join(', ')}`);
    lines.push(catalogLine(catalogInfo()));
    return `${lines.join('\n')}\n`;
  }
  const e = result.entry;
  lines.push(`${colors.bold(formatUsd(result.costUsd))}  ${input.provider} ${input.model}`);
  lines.push(
    `usage     input ${u.inputTokens} · output ${u.outputTokens} · cache read ${u.cacheReadTokens ?? 0} · cache write ${u.cacheWriteTokens ?? 0} · reasoning ${u.reasoningTokens ?? 0}`,
  );
  lines.push(`entry     ${e.provider}/${e.model} (${e.matchedBy} match, ${SOURCE_NAMES[e.source]})`);
  if (e.matchedBy === 'approximate') {
    lines.push(
      `${colors.yellow('warning')}   not in the catalog: priced as ${e.model} by the catalog rule ${e.matchedRule}; confirm with an aliasOf override or set a price (strictPricing leaves it unpriced)`,
    );
  }
  lines.push(catalogLine(catalogInfo()));
  lines.push(
    `price     ${e.priceDate ? `effective from ${e.priceDate}` : 'current catalog price (undated)'}`,
  );
  if (e.tierStartTokens !== undefined)
    lines.push(`tier      long-context rates from ${e.tierStartTokens} input tokens`);
  if (e.multiplier !== undefined) lines.push(`discount  ×${e.multiplier} from overrides`);
  if (e.serviceTier !== undefined) lines.push(`tier      ${e.serviceTier} service tier rates`);
  lines.push('bucket         USD/MTok          cost');
  for (const [key, label, rate] of BUCKETS) {
    const perM = rate === 'cacheWrite5m' ? e.ratesPerMTok.cacheWrite5m : e.ratesPerMTok[rate];
    lines.push(
      `  ${label.padEnd(12)}${perM.toFixed(4).padStart(10)}  ${result.breakdown[key].toFixed(8).padStart(12)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function catalogLine(info: CatalogInfo): string {
  const what =
    info.source === 'bundled' ? 'bundled genai-prices data' : `genai-prices data from ${info.source}`;
  return `catalog   ${what} of ${info.date}`;
}

export function runPrice(model: string | undefined, flags: PriceFlags, io: CliIo = processIo()): number {
  const answer = priceFromFlags(model, flags, io.env);
  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify({ provider: answer.input.provider, model: answer.input.model, usage: answer.input.usage, ...answer.result, catalog: catalogInfo() }, null, 2)}\n`,
    );
  } else {
    io.stdout.write(renderPrice(answer, colorsFor(io.stdout, io.env)));
  }
  return answer.result.priced ? EXIT.ok : EXIT.unpriced;
}

export const priceCommand: Command = {
  help: PRICE_HELP,
  positionals: 1,
  options: {
    ...helpOption,
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
  run: (values, positionals, io) => runPrice(positionals[0], values as PriceFlags, io),
};
