// A tiny Alertmanager webhook receiver for the docker-compose stack: prints one line per alert
// (`docker compose logs -f webhook`). Alertmanager posts to http://webhook:8080/alerts.
// Env: HOST (default 127.0.0.1; the compose file sets 0.0.0.0 inside the container), PORT (8080).
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

const MAX_BODY_BYTES = 1024 * 1024;

/** One readable line per alert: `[firing] LLMBudgetWarning severity=warning llm_budget_name=daily — summary`. */
export function formatAlert(alert) {
  const { alertname = '?', severity, ...rest } = alert.labels ?? {};
  const labels = Object.entries(rest)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  const summary = alert.annotations?.summary ?? alert.annotations?.description ?? '';
  const head = [`[${alert.status ?? 'unknown'}]`, alertname, severity ? `severity=${severity}` : '', ...labels];
  return `${head.filter(Boolean).join(' ')}${summary ? ` — ${summary}` : ''}`;
}

/** Starts the receiver; resolves with the listening server. `print` gets each formatted line. */
export function startWebhookReceiver({ host = '127.0.0.1', port = 8080, print = console.log } = {}) {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (req.method !== 'POST' || req.url !== '/alerts') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('POST Alertmanager webhooks to /alerts\n');
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('payload too large\n');
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      let payload;
      try {
        payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('body is not JSON\n');
        return;
      }
      for (const alert of payload.alerts ?? []) print(formatAlert(alert));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 8080);
  const server = await startWebhookReceiver({ host, port });
  console.log(`webhook receiver listening on http://${host}:${port}/alerts`);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
}
