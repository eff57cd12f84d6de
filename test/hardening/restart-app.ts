// A tiny app for the restart fault test: serves /metrics on PORT, creates its series at $0 on
// start, then records `spend <usd>` lines from stdin (answering `OK spend <usd>`).
import { createInterface } from 'node:readline';
import { register } from '../../src/register.js';
import { ACME_PRICES } from '../support/telemetry.js';

const telemetry = register({
  serviceName: 'restart-app',
  prices: ACME_PRICES,
  prometheus: { port: Number(process.env.PORT) },
});
const call = (inputTokens: number) =>
  telemetry.record({
    provider: 'acme',
    model: 'acme-1',
    agent: 'billing',
    usage: { inputTokens, outputTokens: 0 },
  });
call(0);
console.log(`READY ${await telemetry.metricsUrl()}`);
for await (const line of createInterface({ input: process.stdin })) {
  const [command, usd] = line.trim().split(' ');
  // ACME_PRICES: $1 per million input tokens.
  if (command === 'spend') call(Number(usd) * 1_000_000);
  console.log(`OK ${line.trim()}`);
}
