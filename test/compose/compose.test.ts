/**
 * docker-compose.yml is validated without a Docker engine: `docker-compose config` (the Debian
 * docker-compose package) checks the file, and the files it mounts — the very ones the other tests
 * use — are checked against each other: mounts exist, scrape and alerting targets name real
 * services and ports, ports stay on loopback.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROMETHEUS_DATASOURCE_UID } from '../../grafana/src/common.js';
import { DASHBOARDS } from '../../grafana/src/dashboards.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const COMPOSE_FILE = join(REPO, 'docker-compose.yml');
/** Scrape jobs for targets outside this stack: `llm-app` is the user's own instrumented app. */
const EXTERNAL_SCRAPE_JOBS = new Set<string>();

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
}
const compose = parse(readFileSync(COMPOSE_FILE, 'utf8')) as { services: Record<string, Service> };
const services = compose.services;
const readYaml = <T>(relative: string): T => parse(readFileSync(join(REPO, relative), 'utf8')) as T;

// An empty env file: a developer's .env must not decide whether the password is set.
const scratch = mkdtempSync(join(tmpdir(), 'llm-cost-compose-'));
const EMPTY_ENV_FILE = join(scratch, 'empty.env');
writeFileSync(EMPTY_ENV_FILE, '');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function composeConfig(env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('docker-compose', ['--env-file', EMPTY_ENV_FILE, '-f', COMPOSE_FILE, 'config'], {
    cwd: REPO,
    env,
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const envWithout = (name: string): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env[name];
  return env;
};

/** Host path of each `./host:/container[:mode]` bind mount of a service. */
function bindMounts(service: Service): { host: string; container: string }[] {
  return (service.volumes ?? [])
    .filter((v) => v.startsWith('./'))
    .map((v) => {
      const [host, container] = v.split(':') as [string, string];
      return { host: join(REPO, host), container };
    });
}

/** Where a container path of a service lives in the repo, through its bind mounts. */
function hostPathOf(serviceName: string, containerPath: string): string {
  const mount = bindMounts(services[serviceName]!)
    .filter((m) => containerPath === m.container || containerPath.startsWith(`${m.container}/`))
    .sort((a, b) => b.container.length - a.container.length)[0];
  if (!mount) throw new Error(`${serviceName} does not mount anything at ${containerPath}`);
  return join(mount.host, posix.relative(mount.container, containerPath));
}

/** Ports a service listens on inside the compose network (published container ports and `expose`). */
function containerPorts(service: Service): number[] {
  const published = (service.ports ?? []).map((p) => Number(p.split(':').at(-1)!.split('/')[0]));
  return [...published, ...(service.expose ?? []).map(Number)];
}

function flag(service: Service, name: string): string {
  const arg = (service.command ?? []).find((a) => a.startsWith(`--${name}=`));
  if (!arg) throw new Error(`no --${name} in ${JSON.stringify(service.command)}`);
  return arg.slice(name.length + 3);
}

/** The alertmanager service renders its config, then execs Alertmanager on it. */
function alertmanagerStartup(): { script: string; output: string; configFile: string } {
  const line = (services.alertmanager?.command ?? []).join(' ');
  const m = /^sh (\S+) > (\S+) && exec \/bin\/alertmanager --config\.file=(\S+) /.exec(line);
  if (!m) throw new Error(`unexpected alertmanager command: ${line}`);
  return { script: m[1]!, output: m[2]!, configFile: m[3]! };
}

/** Runs the mounted render script with the service's resolved environment, as the container does. */
function renderAlertmanagerConfig(): string {
  const resolved = parse(
    composeConfig({ ...envWithout('GRAFANA_ADMIN_PASSWORD'), GRAFANA_ADMIN_PASSWORD: 'x' }).stdout,
  ) as { services: Record<string, { environment?: Record<string, string> }> };
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...resolved.services.alertmanager?.environment };
  env.ALERTMANAGER_SECRETS_DIR = join(scratch, 'secrets');
  const run = spawnSync('sh', [hostPathOf('alertmanager', alertmanagerStartup().script)], {
    env,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const out = join(scratch, 'alertmanager.yml');
  writeFileSync(out, run.stdout);
  return out;
}

/** Asserts `host:port` names a compose service listening on that port. */
function expectServiceTarget(target: string, where: string): void {
  const [host, port] = target.split(':');
  expect(Object.keys(services), `${where}: ${target} is not a compose service`).toContain(host);
  expect(containerPorts(services[host!]!), `${where}: ${host} does not listen on ${port}`).toContain(
    Number(port),
  );
}

describe('docker-compose config', () => {
  it('accepts the file when GRAFANA_ADMIN_PASSWORD is set', () => {
    const run = composeConfig({
      ...envWithout('GRAFANA_ADMIN_PASSWORD'),
      GRAFANA_ADMIN_PASSWORD: 'not-admin',
    });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    const resolved = parse(run.stdout) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    expect(resolved.services.grafana?.environment?.GF_SECURITY_ADMIN_PASSWORD).toBe('not-admin');
  });

  it('refuses to start without GRAFANA_ADMIN_PASSWORD, saying which variable is missing', () => {
    const run = composeConfig(envWithout('GRAFANA_ADMIN_PASSWORD'));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('set GRAFANA_ADMIN_PASSWORD');
  });
});

describe('services', () => {
  it('runs the demo, Prometheus, Alertmanager, Grafana and the webhook receiver', () => {
    expect(Object.keys(services).sort()).toEqual([
      'alertmanager',
      'demo',
      'grafana',
      'prometheus',
      'webhook',
    ]);
  });

  it('keeps at least 31 days of samples, so a 30d budget sees its whole window', () => {
    const flag = (services.prometheus?.command as string[] | undefined)?.find((c) =>
      c.startsWith('--storage.tsdb.retention.time='),
    );
    const days = Number(/=(\d+)d$/.exec(flag ?? '')?.[1]);
    expect(days).toBeGreaterThanOrEqual(31);
  });

  it('pins every image to an exact version', () => {
    expect(services.prometheus?.image).toMatch(/^prom\/prometheus:v2\.53\.\d+$/);
    expect(services.alertmanager?.image).toMatch(/^prom\/alertmanager:v\d+\.\d+\.\d+$/);
    // Grafana 12.3 is the first whose dashboard schema (42) is the one the generated JSON declares.
    expect(services.grafana?.image).toMatch(/^grafana\/grafana:12\.(?:[3-9]|\d{2})\.\d+$/);
    for (const d of DASHBOARDS) expect(d.build().schemaVersion, d.file).toBe(42);
    expect(services.webhook?.image).toMatch(/^node:22\.\d+\.\d+-bookworm-slim$/);
    const dockerfile = readFileSync(join(REPO, services.demo!.build!.dockerfile), 'utf8');
    const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    expect(bases.length).toBeGreaterThan(0);
    for (const base of bases) expect(base).toMatch(/^node:22\.\d+\.\d+-bookworm-slim$/);
  });

  it('builds the demo from this repo and runs `llm-cost demo` on 0.0.0.0:9465 inside the container', () => {
    expect(services.demo?.build).toEqual({ context: '.', dockerfile: 'docker/demo.Dockerfile' });
    const dockerfile = readFileSync(join(REPO, 'docker/demo.Dockerfile'), 'utf8');
    expect(dockerfile).toContain(
      'CMD ["node", "dist/cli/bin.js", "demo", "--no-ui", "--host", "0.0.0.0", "--port", "9465"]',
    );
  });

  it('gives every service a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.healthcheck?.test?.[0], name).toBe('CMD');
    }
  });

  it('publishes ports on 127.0.0.1 only', () => {
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p]));
    expect(published.length).toBeGreaterThanOrEqual(4);
    for (const [name, port] of published) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('has no admin/admin Grafana: the password only comes from the environment', () => {
    expect(services.grafana?.environment?.GF_SECURITY_ADMIN_PASSWORD).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation syntax
      '${GRAFANA_ADMIN_PASSWORD:?set GRAFANA_ADMIN_PASSWORD}',
    );
  });
});

describe('mounted files', () => {
  it('mounts only paths that exist in the repo', () => {
    const mounts = Object.entries(services).flatMap(([name, s]) =>
      bindMounts(s).map((m) => [name, m.host] as const),
    );
    expect(mounts.length).toBeGreaterThanOrEqual(6);
    for (const [name, host] of mounts) expect(existsSync(host), `${name} mounts missing ${host}`).toBe(true);
  });

  it('gives Prometheus the config file its command names', () => {
    const prometheusYml = hostPathOf('prometheus', flag(services.prometheus!, 'config.file'));
    expect(prometheusYml).toBe(join(REPO, 'prometheus/prometheus.yml'));
    expect(existsSync(prometheusYml), prometheusYml).toBe(true);
  });

  it('starts Alertmanager on the config rendered from the mounted template', () => {
    const { script, output, configFile } = alertmanagerStartup();
    expect(configFile).toBe(output);
    const renderer = hostPathOf('alertmanager', script);
    expect(renderer).toBe(join(REPO, 'alertmanager/render-config.sh'));
    expect(existsSync(renderer), renderer).toBe(true);
    // render-config.sh reads the template next to itself.
    expect(existsSync(join(dirname(renderer), 'alertmanager.yml.tmpl'))).toBe(true);
  });

  it('puts every shipped dashboard where the dashboard provider looks', () => {
    const provider = readYaml<{ providers: { folder: string; options: { path: string } }[] }>(
      'grafana/provisioning/dashboards/llm-cost.yaml',
    ).providers[0]!;
    expect(provider.folder).toBe('LLM Cost');
    const dir = hostPathOf('grafana', provider.options.path);
    expect(dir).toBe(join(REPO, 'grafana/dashboards'));
    for (const { file } of DASHBOARDS) expect(existsSync(join(dir, file)), file).toBe(true);
    const home = services.grafana!.environment!.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!;
    expect(existsSync(hostPathOf('grafana', home)), home).toBe(true);
  });

  it('mounts the provisioning files where Grafana reads them', () => {
    for (const kind of ['datasources', 'dashboards']) {
      const dir = hostPathOf('grafana', `/etc/grafana/provisioning/${kind}`);
      expect(statSync(dir).isDirectory()).toBe(true);
      expect(readdirSync(dir).filter((f) => f.endsWith('.yaml')).length, kind).toBeGreaterThan(0);
    }
  });
});

describe('wiring between services', () => {
  interface PrometheusYml {
    global?: { scrape_interval?: string };
    rule_files?: string[];
    scrape_configs: {
      job_name: string;
      scrape_interval?: string;
      static_configs?: { targets: string[] }[];
    }[];
    alerting?: { alertmanagers?: { static_configs?: { targets: string[] }[] }[] };
  }
  const prometheusYml = (): PrometheusYml => readYaml<PrometheusYml>('prometheus/prometheus.yml');

  it('scrapes the demo at demo:9465 and only compose services for the stack’s own jobs', () => {
    const jobs = prometheusYml().scrape_configs;
    const targets = (job: { static_configs?: { targets: string[] }[] }): string[] =>
      (job.static_configs ?? []).flatMap((c) => c.targets);
    expect(targets(jobs.find((j) => j.job_name === 'llm-cost-demo') ?? {})).toContain('demo:9465');
    for (const job of jobs) {
      if (EXTERNAL_SCRAPE_JOBS.has(job.job_name)) continue;
      for (const target of targets(job)) {
        if (target.startsWith('localhost:') || target.startsWith('127.0.0.1:')) continue; // Prometheus itself
        expectServiceTarget(target, `scrape job ${job.job_name}`);
      }
    }
  });

  it('sends alerts to the alertmanager service', () => {
    const alertmanagers = (prometheusYml().alerting?.alertmanagers ?? []).flatMap((a) =>
      (a.static_configs ?? []).flatMap((c) => c.targets),
    );
    expect(alertmanagers).toContain('alertmanager:9093');
    for (const target of alertmanagers) expectServiceTarget(target, 'alerting');
  });

  it('loads rule files that exist in the mounted prometheus/ directory', () => {
    const patterns = prometheusYml().rule_files ?? [];
    expect(patterns.length).toBeGreaterThan(0);
    for (const pattern of patterns) {
      const containerPath = posix.isAbsolute(pattern) ? pattern : posix.join('/etc/prometheus', pattern);
      const hostPattern = hostPathOf('prometheus', containerPath);
      const dir = dirname(hostPattern);
      const glob = new RegExp(
        `^${hostPattern
          .slice(dir.length + 1)
          .replace(/\./g, '\\.')
          .replace(/\*/g, '[^/]*')}$`,
      );
      const matches = existsSync(dir) ? readdirSync(dir).filter((f) => glob.test(f)) : [];
      expect(matches.length, `rule_files ${pattern} matches nothing in ${dir}`).toBeGreaterThan(0);
    }
  });

  it('renders an Alertmanager config that amtool accepts and that posts to webhook:8080/alerts', () => {
    const rendered = renderAlertmanagerConfig();
    const check = spawnSync('amtool', ['check-config', rendered], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const config = parse(readFileSync(rendered, 'utf8')) as {
      receivers?: { webhook_configs?: { url?: string }[] }[];
    };
    const urls = (config.receivers ?? []).flatMap((r) => (r.webhook_configs ?? []).map((w) => w.url ?? ''));
    expect(urls).toEqual(['http://webhook:8080/alerts']);
    expectServiceTarget(new URL(urls[0]!).host, 'alertmanager webhook');
  });

  it('points the provisioned datasources at the prometheus and alertmanager services', () => {
    const { datasources } = readYaml<{
      datasources: {
        uid: string;
        type: string;
        url: string;
        isDefault?: boolean;
        jsonData?: { timeInterval?: string };
      }[];
    }>('grafana/provisioning/datasources/llm-cost.yaml');
    const prometheus = datasources.find((d) => d.type === 'prometheus')!;
    const alertmanager = datasources.find((d) => d.type === 'alertmanager')!;
    expect(prometheus.uid).toBe(PROMETHEUS_DATASOURCE_UID);
    // Provisioned into an existing Grafana, ours must not become everyone's default datasource.
    expect(datasources.map((d) => d.isDefault ?? false)).toEqual([false, false]);
    expect(alertmanager.uid).toBe('llm-cost-alertmanager');
    expectServiceTarget(new URL(prometheus.url).host, 'prometheus datasource');
    expectServiceTarget(new URL(alertmanager.url).host, 'alertmanager datasource');
  });

  it("tells Grafana Prometheus's scrape interval, so $__rate_interval spans enough scrapes", () => {
    const { datasources } = readYaml<{
      datasources: { type: string; jsonData?: { timeInterval?: string } }[];
    }>('grafana/provisioning/datasources/llm-cost.yaml');
    const timeInterval = datasources.find((d) => d.type === 'prometheus')?.jsonData?.timeInterval;
    const config = prometheusYml();
    const demo = config.scrape_configs.find((j) => j.job_name === 'llm-cost-demo');
    // Prometheus' default scrape_interval is 1m.
    expect(timeInterval).toBe(demo?.scrape_interval ?? config.global?.scrape_interval ?? '1m');
  });
});
