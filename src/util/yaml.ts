/**
 * YAML parsing, loaded at the first YAML file: only budget and price files written in YAML need
 * the `yaml` package, so apps configured in code or JSON never pay for loading it. Synchronous
 * (`require`), because configuration is resolved synchronously inside `register()`; `yaml` ships
 * CommonJS only on Node, so this is the same module instance an `import` would give.
 */
import { createRequire } from 'node:module';

type Parse = (text: string) => unknown;
let parse: Parse | undefined;

export function parseYaml(text: string): unknown {
  parse ??= (createRequire(ownFile())('yaml') as { parse: Parse }).parse;
  return parse(text);
}

/** The CommonJS build has `__filename`; in the ESM build it is undefined and `import.meta` works. */
function ownFile(): string {
  return typeof __filename === 'string' ? __filename : import.meta.url;
}
