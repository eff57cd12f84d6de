/**
 * What `npm publish` would ship, checked on the built package: the files (no sources that import
 * unshipped files), the runtime exports of each entry in both formats, public types that name only
 * public or peer types, the README's imports compiling against them, and dependency ranges that
 * agree with the code.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { type Provider, waitForUpdate } from '@pydantic/genai-prices';
import { beforeAll, describe, expect, it } from 'vitest';
import { ANTHROPIC_SDK_RANGE } from '../../src/instrumentations/anthropic/index.js';
import { GOOGLE_GENAI_SDK_RANGE } from '../../src/instrumentations/gemini/index.js';
import { SUPPORTED_OPENAI_VERSIONS } from '../../src/instrumentations/openai/types.js';
import { writeCatalogFile } from '../../src/pricing/catalog-file.js';
import { ensureFreshDist, ROOT } from '../otel/dist.js';
import { PRICING_EXPORTS, ROOT_EXPORTS } from './public-exports.js';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

beforeAll(() => ensureFreshDist(), 180_000);

describe('the published files', () => {
  it('ship the built package and the generated monitoring files, not their sources', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT });
    const files = (JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map(
      (f) => f.path,
    );
    expect(files.filter((f) => /^(grafana|prometheus)\/src\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.d.cts'))).toEqual(
      [],
    );
    for (const expected of [
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/pricing.js',
      'dist/pricing.cjs',
      'dist/register-hook.js',
      'dist/cli/bin.js',
      'grafana/dashboards/llm-cost-overview.json',
      'grafana/provisioning/dashboards/llm-cost.yaml',
      'prometheus/rules/llm-cost-alerts.yml',
      'alertmanager/alertmanager.yml',
    ]) {
      expect(files).toContain(expected);
    }
  });
});

describe('the entries', () => {
  const require = createRequire(join(ROOT, 'package.json'));
  it.each([
    ['llm-cost-otel', ROOT_EXPORTS],
    ['llm-cost-otel/pricing', PRICING_EXPORTS],
  ])('%s: the same runtime exports from import and require', async (entry, names) => {
    const esm = (await import(pathToFileURL(require.resolve(entry).replace(/\.cjs$/, '.js')).href)) as object;
    expect(Object.keys(esm).sort()).toEqual([...names].sort());
    expect(Object.keys(require(entry) as object).sort()).toEqual([...names].sort());
  });

  it.each([
    ['index', ROOT_EXPORTS],
    ['pricing', PRICING_EXPORTS],
  ])('dist/%s.d.ts declares as a value only what the entry exports at runtime', (entry, names) => {
    const dts = readFileSync(join(ROOT, 'dist', `${entry}.d.ts`), 'utf8');
    const list = /^export \{ (.*) \};$/m.exec(dts)?.[1] ?? '';
    const exported = list
      .split(', ')
      .filter((item) => !item.startsWith('type '))
      .map((item) => item.split(' as ').at(-1)!);
    // A value declaration (class, const, function) exported from the types must exist at runtime:
    // a type-only re-export of a class still declares the class, so `new X()` would compile.
    const values = exported.filter((name) =>
      new RegExp(`declare (const|class|function|let|enum) ${name}\\b`).test(dts),
    );
    expect(values.length).toBeGreaterThan(0);
    expect(values.filter((name) => !names.includes(name))).toEqual([]);
  });

  it('CommonJS: a catalog register() installed is the one llm-cost-otel/pricing prices with (separate bundles)', async () => {
    const data = JSON.parse(JSON.stringify(await waitForUpdate())) as Provider[];
    const openai = data.find((p) => p.id === 'openai')!;
    (openai.models.find((m) => m.id === 'gpt-4o')!.prices as Record<string, number>).input_mtok = 3;
    const dir = mkdtempSync(join(tmpdir(), 'llm-cost-cjs-catalog-'));
    const file = join(dir, 'catalog.json');
    writeCatalogFile(file, { providers: data, date: '2026-11-30', source: 'file-under-test' });
    const root = require('llm-cost-otel') as typeof import('../../src/index.js');
    const pricing = require('llm-cost-otel/pricing') as typeof import('../../src/entry-pricing.js');
    const telemetry = root.register({
      prometheus: false,
      meterProvider: false,
      prices: { catalogFile: file },
    });
    try {
      expect(pricing.catalogInfo()).toMatchObject({ date: '2026-11-30' });
      // gpt-4o from the file: 1000×3 + 500×10 = 8000 µ$ (the bundled $2.50 would give 7500 µ$)
      const r = pricing.priceCall({
        provider: 'openai',
        model: 'gpt-4o',
        usage: { inputTokens: 1_000, outputTokens: 500 },
      });
      expect(r.priced && r.costUsd).toBeCloseTo(0.008, 15);
    } finally {
      await telemetry.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('public types name no internal class and no sdk-trace-base type (the app may run another line)', () => {
    const declarations = readdirSync(join(ROOT, 'dist'))
      .filter((f) => /\.d\.c?ts$/.test(f))
      .map((f) => readFileSync(join(ROOT, 'dist', f), 'utf8'))
      .join('\n');
    expect(declarations).not.toMatch(/from '@opentelemetry\/sdk-trace-base'/);
    expect(declarations).not.toMatch(
      /declare class (LLMTelemetry|BudgetSet|Recorder|RunTracker|MetricFamily)\b/,
    );
  });

  it("the README's imports compile against the published types", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const imports = [
      ...readme.matchAll(/^import (?:type )?\{[^}]+\} from 'llm-cost-otel(?:\/[a-z]+)?';$/gm),
    ].map((m) => m[0]);
    expect(imports.length).toBeGreaterThan(3);
    // Inside the package, so `llm-cost-otel` resolves to it through package.json `exports`.
    const dir = join(ROOT, '.tmp', 'readme-imports');
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(
        join(dir, 'check.ts'),
        `${imports
          .map((line, i) =>
            line.replace(
              /\{([^}]+)\}/,
              (_, names: string) =>
                `{ ${names
                  .split(',')
                  .map((n) => `${n.trim()} as _${i}_${n.trim().replace(/^type /, '')}`)
                  .join(', ')} }`,
            ),
          )
          .join('\n')}\nexport {};\n`,
      );
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: 'nodenext',
            moduleResolution: 'nodenext',
            noEmit: true,
            types: ['node'],
          },
          files: ['check.ts'],
        }),
      );
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      // tsc exits 2 with its diagnostics on stdout: compare them, so a failure names the import.
      const result = await run(process.execPath, [tsc, '-p', dir], { cwd: ROOT }).catch(
        (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
      );
      expect(result.stdout).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('dependency ranges', () => {
  it('the SDK peer ranges are the ranges the instrumentations accept', () => {
    expect(pkg.peerDependencies).toMatchObject({
      openai: SUPPORTED_OPENAI_VERSIONS,
      '@anthropic-ai/sdk': ANTHROPIC_SDK_RANGE,
      '@google/genai': GOOGLE_GENAI_SDK_RANGE,
    });
  });

  it('@opentelemetry/api: what sdk-metrics 2.x (>=1.9 <1.10) and 3.x (>=1.10 <1.11) accept together', () => {
    expect(pkg.dependencies['@opentelemetry/sdk-metrics']).toBe('^2.12.1 || ^3.1.0');
    expect(pkg.peerDependencies['@opentelemetry/api']).toBe('>=1.9.0 <1.11.0');
  });

  const built = () =>
    readdirSync(join(ROOT, 'dist'), { recursive: true })
      .map(String)
      .filter((f) => /\.(c?js)$/.test(f))
      .map((f) => readFileSync(join(ROOT, 'dist', f), 'utf8'))
      .join('\n');

  it('every package the built code imports is a dependency, a peer or a Node built-in', () => {
    const imported = new Set(
      [...built().matchAll(/(?:from |import\(|require\()\s*["']([^"'./][^"']*)["']/g)].map(
        (m) => /^(@[^/]+\/[^/]+|[^/]+)/.exec(m[1]!)![1]!,
      ),
    );
    const declared = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    const undeclared = [...imported].filter((name) => !declared.has(name) && !isBuiltin(name));
    expect(undeclared).toEqual([]);
  });

  it('every runtime dependency is loaded by the built package (test-only packages are devDependencies)', () => {
    const code = built();
    const unused = Object.keys(pkg.dependencies).filter(
      (name) => !code.includes(`"${name}"`) && !code.includes(`"${name}/`) && !code.includes(`'${name}'`),
    );
    expect(unused).toEqual([]);
  });
});
