/**
 * (d) The app's own OTLP metric reader (PeriodicExportingMetricReader + OTLPMetricExporter,
 * http/json) carries our llm.cost.usd with the app's resource attributes (service.name,
 * deployment.environment from the OTEL_* env) into a local OTLP receiver.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider } from '../../src/demo/fake-provider/index.js';
import type { FakeProvider } from '../../src/demo/fake-provider/types.js';
import { eventually } from '../support/processes.js';
import { appPath, type RunningApp, startApp } from './app-process.js';
import { ensureFreshDist } from './dist.js';
import { fakeProviderEnv } from './nodesdk-app.js';

// gpt-4o 1000 × $2.50/1e6 + 200 × $10/1e6 = $0.0045; claude-haiku-4-5 2000 × $1/1e6 + 400 × $5/1e6
// = $0.004 (published prices per million tokens; usage pinned in apps/common.mjs).
const TOTAL_COST = 0.0045 + 0.004;

interface KeyValue {
  key: string;
  value: { stringValue?: string };
}
interface DataPoint {
  attributes: KeyValue[];
  asDouble?: number;
  asInt?: number | string;
}
interface OtlpMetric {
  name: string;
  unit?: string;
  sum?: { dataPoints: DataPoint[]; aggregationTemporality: number; isMonotonic: boolean };
}
interface ExportRequest {
  resourceMetrics: Array<{
    resource: { attributes: KeyValue[] };
    scopeMetrics: Array<{ scope: { name: string }; metrics: OtlpMetric[] }>;
  }>;
}

/** A minimal OTLP/HTTP JSON metrics receiver on 127.0.0.1, port 0. */
function startReceiver(): Promise<{ server: Server; url: string; requests: ExportRequest[] }> {
  const requests: ExportRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/metrics' && req.headers['content-type']?.startsWith('application/json')) {
        requests.push(JSON.parse(Buffer.concat(chunks).toString()) as ExportRequest);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        res.writeHead(415).end();
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${address.port}/v1/metrics`, requests });
    }),
  );
}

const attributes = (list: KeyValue[]) => Object.fromEntries(list.map((a) => [a.key, a.value.stringValue]));

let fake: FakeProvider;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let app: RunningApp<object>;

beforeAll(async () => {
  await ensureFreshDist();
  fake = await startFakeProvider();
  receiver = await startReceiver();
  app = await startApp(appPath('otlp-app.mjs'), {
    env: {
      ...fakeProviderEnv(fake),
      OTLP_URL: receiver.url,
      OTEL_SERVICE_NAME: 'checkout-agent',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=staging,service.namespace=shop',
    },
  });
}, 120_000);

afterAll(async () => {
  await app?.stop();
  await new Promise((r) => receiver?.server.close(r));
  await fake?.stop();
});

/** The newest export whose llm.cost.usd carries both calls. */
async function exportWithCost() {
  return eventually(
    async () => {
      for (const request of [...receiver.requests].reverse()) {
        for (const rm of request.resourceMetrics) {
          for (const sm of rm.scopeMetrics) {
            const metric = sm.metrics.find((m) => m.name === 'llm.cost.usd');
            const sum = metric?.sum?.dataPoints.reduce((s, p) => s + Number(p.asDouble ?? p.asInt ?? 0), 0);
            if (metric && sum !== undefined && sum > 0.008)
              return { resource: rm.resource, scope: sm.scope, metric, sum };
          }
        }
      }
      return undefined;
    },
    { timeoutMs: 20_000, intervalMs: 100, what: 'an OTLP export with llm.cost.usd' },
  );
}

describe("the app's OTLP reader", () => {
  it("exports llm.cost.usd with the app's resource attributes", async () => {
    const { resource, scope, metric, sum } = await exportWithCost();
    expect(attributes(resource.attributes)).toMatchObject({
      'service.name': 'checkout-agent',
      'deployment.environment': 'staging',
      'service.namespace': 'shop',
    });
    expect(scope.name).toBe('llm-cost-otel');
    expect(sum).toBeCloseTo(TOTAL_COST, 12);
    expect(metric.unit).toBe('{USD}');
    // Cumulative (2), monotonic: the reader's default temporality applies to our counter.
    expect(metric.sum).toMatchObject({ aggregationTemporality: 2, isMonotonic: true });
    const byAgent = metric
      .sum!.dataPoints.filter((p) => Number(p.asDouble ?? 0) > 0)
      .map((p) => attributes(p.attributes))
      .map(
        (a) =>
          `${a['gen_ai.agent.name']}/${a['llm.operation.name']}/${a['gen_ai.operation.name']}/${a['llm.token.type']}`,
      );
    expect(byAgent.sort()).toEqual([
      'coder/code/chat/input',
      'coder/code/chat/output',
      'planner/plan/chat/input',
      'planner/plan/chat/output',
    ]);
  });

  it("the app's own metric and ours share one resource (one MeterProvider)", async () => {
    await exportWithCost();
    const both = receiver.requests.some((r) =>
      r.resourceMetrics.some((rm) => {
        const names = rm.scopeMetrics.flatMap((sm) => sm.metrics.map((m) => m.name));
        return names.includes('app_jobs') && names.includes('llm.cost.usd');
      }),
    );
    expect(both).toBe(true);
  });
});
