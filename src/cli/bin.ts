/** The `llm-cost` executable: run main() on the process's arguments and exit with its code. */
import { main } from './main.js';

const code = await main(process.argv.slice(2));
// To a pipe stdout is asynchronous: exit only once it has taken everything (exit() would cut it).
process.stdout.write('', () => process.exit(code));
