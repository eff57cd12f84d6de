/**
 * Fresh-process start-up: `import` of the library + `register()` (until it returns), in a new Node
 * process each time, against `@opentelemetry/sdk-metrics` + `PrometheusExporter` set up alone. The
 * cases alternate run by run, so load on the machine hits them alike; we print medians and the
 * ratio to the baseline measured in the same run.
 *
 *   npx tsx bench/startup.ts                          # the working tree's dist/ (npm run build first)
 *   npx tsx bench/startup.ts before=$(sh bench/build-ref.sh <commit>) after=dist
 *
 * Each `label=dir` names a built dist directory (inside this checkout, so it resolves this
 * node_modules). `LLM_BENCH_RUNS` sets the runs per case (default 21).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseBuilds } from './builds.js';

const runs = Number(process.env.LLM_BENCH_RUNS ?? 21);
const builds = parseBuilds(process.argv.slice(2));

// Both sides: time from the first line of the script until the set-up call returned, in ms.
const baselineScript = `
const t0 = performance.now();
const { MeterProvider } = await import('@opentelemetry/sdk-metrics');
const { PrometheusExporter } = await import('@opentelemetry/exporter-prometheus');
const exporter = new PrometheusExporter({ port: 0, preventServerStart: true });
const provider = new MeterProvider({ readers: [exporter] });
provider.getMeter('bench').createCounter('x').add(1);
process.stdout.write(String(performance.now() - t0));
await provider.shutdown();
`;
const libraryScript = (dist: string) => `
const t0 = performance.now();
const { register } = await import(${JSON.stringify(pathToFileURL(resolve(dist, 'index.js')).href)});
const telemetry = register({ prometheus: { server: false } });
process.stdout.write(String(performance.now() - t0));
await telemetry.shutdown();
`;

const cases = [
  { name: 'sdk-metrics + PrometheusExporter alone', script: baselineScript },
  ...builds.map((b) => ({ name: `llm-cost-otel ${b.label} (${b.dir})`, script: libraryScript(b.dir) })),
];
const samples = cases.map(() => [] as number[]);
for (let r = 0; r < runs; r++) {
  cases.forEach((c, i) => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', c.script], {
      cwd: process.cwd(),
      env: { ...process.env, LLM_COST_INSTRUMENTATIONS: 'none', OTEL_LOG_LEVEL: 'none' },
    });
    samples[i]!.push(Number(out.toString()));
  });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const base = median(samples[0]!);
console.log(`\n## Fresh-process start-up: import + set-up, median of ${runs} runs\n`);
console.log('| case | median | × baseline |');
console.log('|---|---:|---:|');
cases.forEach((c, i) => {
  const m = median(samples[i]!);
  console.log(`| ${c.name} | ${m.toFixed(1)} ms | ${(m / base).toFixed(2)} |`);
});
