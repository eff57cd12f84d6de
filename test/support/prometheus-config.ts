/** prometheus.yml text for tests that run a real Prometheus against our endpoints. */

export interface ScrapeConfigOptions {
  /** Rule files to load (absolute paths, or names of files handed to startPrometheus). */
  ruleFiles?: readonly string[];
  /** Per-job scrape timeout, e.g. `1s` (Prometheus' default is 10s, capped at the interval). */
  scrapeTimeout?: string;
}

/**
 * Scrapes each `job → host:port` every second and evaluates rules every second: tests wait
 * seconds, not minutes, for a sample or an alert.
 */
export function scrapeConfig(targets: Record<string, string>, options: ScrapeConfigOptions = {}): string {
  const lines = ['global: { scrape_interval: 1s, evaluation_interval: 1s }'];
  if (options.ruleFiles?.length) lines.push('rule_files:', ...options.ruleFiles.map((f) => `  - ${f}`));
  lines.push('scrape_configs:');
  for (const [job, target] of Object.entries(targets)) {
    lines.push(`  - job_name: ${job}`);
    if (options.scrapeTimeout) lines.push(`    scrape_timeout: ${options.scrapeTimeout}`);
    lines.push(`    static_configs: [{ targets: ["${target}"] }]`);
  }
  return lines.join('\n');
}
