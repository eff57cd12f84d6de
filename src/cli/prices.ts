/** `llm-cost prices update --out FILE`: fetch the current price catalog into a file. */
import { DEFAULT_CATALOG_URL, fetchCatalog, writeCatalogFile } from '../pricing/catalog-file.js';
import { errorMessage } from '../util/error-message.js';
import { type CliIo, type Command, helpOption, processIo, str } from './command.js';
import { CliError, EXIT, usageError } from './errors.js';

export interface PricesFlags {
  out?: string;
  url?: string;
}

export const PRICES_HELP = `llm-cost prices — manage the price catalog

Usage:
  llm-cost prices update --out <file> [--url <url>]

update   fetch genai-prices' current data (validated: shape, sizes, every rate) and write it to
         <file> atomically, with its source and date. Point the app at it with
         prices.catalogFile / LLM_COST_PRICES_CATALOG_FILE (air-gapped hosts: fetch elsewhere,
         copy the file over), or use it as the cache of prices.refresh. See "Pricing" in README.
--url    where to fetch from (default: ${DEFAULT_CATALOG_URL}; env LLM_COST_PRICES_URL)

Exit codes: 0 written · 1 fetch failed or the data was refused (nothing written) · 2 bad usage.

Example:
  llm-cost prices update --out /var/lib/llm-cost/catalog.json
`;

export async function runPrices(
  action: string | undefined,
  flags: PricesFlags,
  io: CliIo = processIo(),
): Promise<number> {
  if (action !== 'update') {
    throw usageError(
      `prices: ${action === undefined ? 'name an action' : `unknown action "${action}"`} — use "prices update --out <file>"`,
    );
  }
  if (!flags.out) throw usageError('prices update: --out <file> is required');
  const url = flags.url ?? (io.env.LLM_COST_PRICES_URL || DEFAULT_CATALOG_URL);
  let data: Awaited<ReturnType<typeof fetchCatalog>>;
  try {
    data = await fetchCatalog(url);
  } catch (error) {
    throw new CliError(errorMessage(error));
  }
  try {
    writeCatalogFile(flags.out, data);
  } catch (error) {
    throw new CliError(`cannot write ${flags.out}: ${errorMessage(error)}`);
  }
  const models = data.providers.reduce((n, p) => n + p.models.length, 0);
  io.stdout.write(
    `wrote ${flags.out}: ${data.providers.length} providers, ${models} models, data of ${data.date} from ${data.source}\n`,
  );
  return EXIT.ok;
}

export const pricesCommand: Command = {
  help: PRICES_HELP,
  positionals: 1,
  options: { ...helpOption, out: str, url: str },
  run: (values, positionals, io) => runPrices(positionals[0], values as PricesFlags, io),
};
