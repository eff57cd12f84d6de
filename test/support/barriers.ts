/**
 * Positive barriers for "nothing more arrived" assertions. Instead of sleeping and hoping the
 * system had the time to (wrongly) act, wait for a later event that the system itself produces
 * only after it has had its chance — so a loaded machine makes the test slower, never wrong.
 */
import { eventually, scrapedAfter } from './processes.js';

/** The part of Alertmanager's webhook payload a barrier reads. */
interface Notification {
  alerts: { labels: Record<string, string> }[];
}

/** Alertnames of the barrier's own alerts start with this (tests exclude them from their counts). */
export const MARKER_ALERTNAME = 'LLMTestMarker';

let markers = 0;

/**
 * Alertmanager's own clock, `rounds` times: post a marker alert in a group of its own (a fresh
 * alertname; severity info, so the shipped routes deliver it and nothing inhibits it) and wait
 * until the webhook received it. A marker's group flushes only after its group_wait, so each round
 * spans at least one group_wait of Alertmanager's dispatcher; with group_wait ≥ group_interval
 * (as the tests configure), every older group has had a flush in between — two rounds leave no
 * boundary case. Markers are alerts like any other: count only the groups the test is about.
 */
export async function alertmanagerFlushed(
  alertmanagerUrl: string,
  received: readonly Notification[],
  { rounds = 2, timeoutMs = 60_000 } = {},
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const alertname = `${MARKER_ALERTNAME}${++markers}`;
    const res = await fetch(`${alertmanagerUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels: { alertname, severity: 'info' },
          annotations: { summary: 'test barrier', description: 'posted by test/support/barriers.ts' },
          startsAt: new Date().toISOString(),
        },
      ]),
    });
    if (!res.ok) throw new Error(`Alertmanager refused the marker alert: ${res.status} ${await res.text()}`);
    await eventually(
      async () =>
        received.some((n) => n.alerts.some((a) => a.labels.alertname === alertname)) ? true : undefined,
      { timeoutMs, intervalMs: 100, what: `Alertmanager to deliver the marker alert ${alertname}` },
    );
  }
}

/**
 * Prometheus's own clock: resolves once every rule group has been evaluated at or after `sinceMs`
 * (epoch ms), so a rule whose condition held before then has been evaluated (and any alert it
 * fires handed to the notifier) — however far behind a busy machine makes the evaluations run.
 */
export async function rulesEvaluatedAfter(prometheusUrl: string, sinceMs: number): Promise<void> {
  await eventually(
    async () => {
      const res = await fetch(`${prometheusUrl}/api/v1/rules`);
      const body = (await res.json()) as { data: { groups: { name: string; lastEvaluation: string }[] } };
      const groups = body.data.groups;
      if (groups.length === 0) throw new Error('Prometheus has no rule groups');
      return groups.every((g) => Date.parse(g.lastEvaluation) >= sinceMs) ? true : undefined;
    },
    {
      timeoutMs: 60_000,
      intervalMs: 200,
      what: `every rule group evaluated after ${new Date(sinceMs).toISOString()}`,
    },
  );
}

/**
 * Prometheus may move a scrape's timestamp by a few ms to align it with the interval (2 ms
 * tolerance); a margin well past that keeps "began after" true.
 */
const TIMESTAMP_MARGIN_S = 0.01;

/**
 * Timestamp (s) of a scrape of `metric` that Prometheus began after this call. The app renders a
 * page when the scrape's request arrives, so that sample holds everything the test recorded
 * before calling — unlike "the newest scrape" or "a scrape a bit later than the last one", which a
 * busy machine can make a scrape rendered before the test's last records.
 */
export async function scrapeAfterNow(prometheusUrl: string, metric: string): Promise<number> {
  return scrapedAfter(prometheusUrl, metric, Date.now() / 1000 + TIMESTAMP_MARGIN_S);
}
