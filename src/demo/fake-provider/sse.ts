/**
 * Server-sent events writer: paces events, and acts out the stream scenarios — a cut (socket
 * destroyed after N events, no terminator) and an in-stream provider error.
 */

import type { Exchange } from './exchange.js';
import { providerHeaders } from './http.js';
import type { FakeProviderFamily } from './types.js';

export interface SseEvent {
  /** `event:` line (Responses, Anthropic); none for chat chunks and Gemini. */
  event?: string;
  /** JSON payload, or a literal such as `[DONE]`. */
  data: unknown;
}

export interface SseStyle {
  family: FakeProviderFamily;
  /** Gemini frames events with CRLF; the others with LF. */
  eol: '\n' | '\r\n';
  /** Sent instead of the next event by `error-mid-stream`. */
  errorEvent: SseEvent;
}

function frame(event: SseEvent, eol: string): string {
  const data = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  return (event.event ? `event: ${event.event}${eol}` : '') + `data: ${data}${eol}${eol}`;
}

function write(ex: Exchange, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (ex.res.destroyed) return resolve();
    ex.res.write(text, () => resolve());
  });
}

/** Streams `events`; resolves when the stream ended, was cut, or the client went away. */
export async function streamEvents(ex: Exchange, events: SseEvent[], style: SseStyle): Promise<void> {
  const { res, control, record } = ex;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...providerHeaders(style.family, ex.requestId),
  });
  res.flushHeaders();
  record.status = 200;
  const cut = control.scenarios.has('cut-mid-stream');
  const fail = control.scenarios.has('error-mid-stream');
  try {
    for (let i = 0; i < events.length; i++) {
      if (i === control.cutAfter && cut) {
        record.outcome = 'cut';
        res.socket?.destroy();
        res.destroy();
        return;
      }
      if (i === control.cutAfter && fail) {
        await write(ex, frame(style.errorEvent, style.eol));
        record.outcome = 'error';
        res.end();
        return;
      }
      if (i > 0 && control.chunkDelayMs > 0) await ex.sleep(control.chunkDelayMs);
      if (ex.signal.aborted || res.destroyed) break;
      await write(ex, frame(events[i] as SseEvent, style.eol));
    }
  } catch {
    // the client went away or the server stopped while we waited
  }
  if (ex.signal.aborted || res.destroyed) {
    if (record.outcome === 'pending') record.outcome = 'aborted';
    res.destroy();
    return;
  }
  record.outcome = 'completed';
  res.end();
}
